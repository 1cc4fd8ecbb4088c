"""Writes the time-zone data the panel loads when it first needs a customer's local time:
phonenumbers' number-to-zone table (``phonenumbers/tzdata``, which phonenumberslite leaves
out) and the IANA zone database (the ``tzdata`` package, which Pyodide does not have), both
taken from this environment — the relay's own — so the panel and the relay decide with the
same data. One zip, put on ``sys.path`` (and ``phonenumbers.__path__``) by the worker
(widget/static/python-core.mjs); byte for byte the same for the same packages.

Usage: .venv/bin/python scripts/build-zone-data.py OUT.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import phonenumbers
import tzdata

#: The zip's fixed timestamp (as SOURCE_DATE_EPOCH does for the wheels).
STAMP = (1980, 1, 1, 0, 0, 0)


def files() -> list[tuple[str, Path]]:
    numbers = Path(phonenumbers.__file__).parent / "tzdata"
    zones = Path(tzdata.__file__).parent
    found = [(f"phonenumbers/tzdata/{p.name}", p) for p in sorted(numbers.glob("*.py"))]
    found += [
        (f"tzdata/{p.relative_to(zones).as_posix()}", p)
        for p in sorted(zones.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".pyi"}
    ]
    return found


def main(out: str) -> None:
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, path in files():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    print(f"[zone-data] {target}: {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
