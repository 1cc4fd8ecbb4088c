"""Where a customer's phone is, in time: the time zones of a number, from ``phonenumbers``'
time-zone data, and the zones themselves (``zoneinfo``).

On the relay both come with the installed packages. In the browser neither is part of the
panel's first load (the panel ships ``phonenumberslite``, which has no time-zone data, and
Pyodide has no zone database): the worker adds them when a view first needs them, so the
functions here say "not yet" (None) instead of failing until then.
"""

from __future__ import annotations

import importlib
from datetime import tzinfo
from functools import cache
from types import ModuleType

import phonenumbers

#: phonenumbers' name for "no zone known" (ICU's).
UNKNOWN_ZONE = "Etc/Unknown"
#: The zone of a number for which nothing better is known.
FALLBACK_ZONE = "UTC"


def number_zones(e164: str) -> tuple[str, ...] | None:
    """The IANA time zones a number may be in (several for a country with several zones and
    a number that does not tell which); None while the time-zone data is not loaded.

    A number the data does not place gets its country's zones, and one whose country it does
    not know either ``UTC``: quiet hours then apply in UTC rather than not at all."""
    lookup = _zone_lookup()
    if lookup is None or zone("UTC") is None:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return (FALLBACK_ZONE,)
    found = _known(lookup.time_zones_for_number(number))
    if not found:
        # The table's entry for the country code itself (what phonenumbers gives numbers that
        # are not geographic) — its own data, read directly, as it offers no call for it.
        found = _known(tuple(lookup.TIMEZONE_DATA.get(str(number.country_code), ())))
    return found or (FALLBACK_ZONE,)


def zone(name: str) -> tzinfo | None:
    """The zone called ``name``; None when it is unknown or the zone database is not loaded."""
    try:
        return _zone(name)
    except (ImportError, LookupError, ValueError, OSError):
        return None


def data_loaded() -> bool:
    """Whether both time-zone data sets can be used (always on the relay)."""
    return _zone_lookup() is not None and zone("UTC") is not None


@cache
def _zone(name: str) -> tzinfo:
    # Imported here: zoneinfo finds the zone database when it is first asked, and in the
    # browser that is after the worker added it.
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _known(zones: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(z for z in zones if z != UNKNOWN_ZONE and zone(z) is not None)


def _zone_lookup() -> ModuleType | None:
    """``phonenumbers.timezone``, or None while its data is missing (phonenumberslite)."""
    try:
        return importlib.import_module("phonenumbers.timezone")
    except ImportError:
        return None
