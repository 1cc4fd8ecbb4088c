"""Every test is marked by the folder it lives in: ``unit``, ``integration`` or ``e2e``.

``pytest -m unit`` runs the fast tests without a peer, ``-m integration`` those against real
SQLite, PostgreSQL, Kannel, the SMSC simulator and the Twilio fake, ``-m e2e`` the relay as a
process under faults (the browser specs are Playwright's). The markers are registered in
pyproject.toml (``--strict-markers``). A test outside the three folders stops the run: it
would otherwise belong to none of them.

Pyodide loads this file too when it runs tests/unit/core (scripts/test-pyodide.sh), where only
smscompose, pytest, hypothesis and phonenumberslite are installed: it imports nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
KINDS = ("unit", "integration", "e2e")


def kind_of(path: Path) -> str | None:
    """``unit``, ``integration`` or ``e2e``: the top folder under tests/ that holds ``path``."""
    try:
        top = path.resolve().relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None
    return top if top in KINDS else None


# First, so the markers are there when ``-m`` deselects.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unsorted = sorted({str(item.path) for item in items if kind_of(item.path) is None})
    if unsorted:
        raise pytest.UsageError(
            "tests outside tests/unit, tests/integration and tests/e2e have no speed marker: "
            + ", ".join(unsorted)
        )
    for item in items:
        item.add_marker(str(kind_of(item.path)))
