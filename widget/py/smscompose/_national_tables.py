"""National language shift tables of 3GPP TS 23.038 Annex A (to be filled in)."""

LOCKING_SHIFT_TABLES: dict[str, str] = {}
SINGLE_SHIFT_TABLES: dict[str, str] = {}
