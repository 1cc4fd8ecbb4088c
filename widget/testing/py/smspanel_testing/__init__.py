"""The sms-panel QA kit: the page object of ``<sms-panel>`` for Playwright (sync and async),
the selector contract it shares with the JavaScript page object, a relay for a test session,
and a pytest plugin (``smspanel_testing.plugin``, loaded by pytest through its entry point).

``pip install sms-panel-testing`` brings the relay (``sms-panel``), pytest and pytest-playwright.
"""

from __future__ import annotations

from .async_page import AsyncSmsPanel
from .contract import CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, LOCATORS, SELECTORS, TEST_IDS
from .page import SmsPanel
from .relay import RelayError, RelayProcess

__version__ = "0.1.0"

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_EXECUTABLE",
    "LOCATORS",
    "SELECTORS",
    "TEST_IDS",
    "AsyncSmsPanel",
    "RelayError",
    "RelayProcess",
    "SmsPanel",
    "__version__",
]
