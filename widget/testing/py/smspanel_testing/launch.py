"""pytest-playwright's browser launch with Debian's Chromium and clear errors.

Registered by the plugin's ``pytest_configure``, after every plugin loaded from an entry point:
pytest lets the fixture registered last win, so these replace pytest-playwright's own whatever
the order the two plugins were loaded in. Each asks for the fixture it replaces.
"""

from __future__ import annotations

from typing import Any, Protocol

import pytest


class Launch(Protocol):
    def __call__(self, **kwargs: Any) -> Any: ...


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], sms_chromium: dict[str, Any]
) -> dict[str, Any]:
    return {**browser_type_launch_args, **sms_chromium}


@pytest.fixture(scope="session")
def launch_browser(launch_browser: Launch, sms_chromium: dict[str, Any]) -> Launch:
    def launch(**kwargs: Any) -> Any:
        from playwright.sync_api import Error

        try:
            return launch_browser(**kwargs)
        except Error as error:
            reason = error.message.strip().splitlines()[0] if error.message.strip() else ""
        # Outside the except block, so pytest shows the message and no chained trace.
        where = sms_chromium.get("executable_path", "Playwright's own Chromium")
        flags = " ".join(sms_chromium.get("args", ()))
        pytest.fail(
            f"Chromium did not start: {where} {flags}\n  {reason}\n"
            "Check the executable (--sms-chromium) and its flags (--sms-chromium-args).",
            pytrace=False,
        )

    return launch
