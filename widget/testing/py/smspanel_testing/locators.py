"""The locators both Python page objects share, built from the selector contract.

Building a locator does not touch the browser, so the sync and the async page object share this
part; only the actions (``click``, ``fill``, …) differ between the two Playwright APIs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from .contract import LOCATORS, SELECTORS, TEST_IDS

L = TypeVar("L")

#: Runs in the page on the <sms-panel> element: resolves once the compose core runs and the
#: agent's configuration is loaded (the element's ``ready`` property, else its ``sms-ready``).
READY_SCRIPT = """(el, { ms, property, event }) =>
  el[property] ||
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sms-panel not ready after ${ms} ms`)), ms);
    el.addEventListener(event, () => {
      clearTimeout(timer);
      resolve(true);
    }, { once: true });
  })"""

STATE_SCRIPT = "(el) => el.state"


def ready_arguments(timeout: float) -> dict[str, object]:
    return {
        "ms": timeout,
        "property": SELECTORS["readyProperty"],
        "event": SELECTORS["readyEvent"],
    }


def status_selector(status: str) -> str:
    """The status line showing ``status`` (the wire's word: queued, submitted, delivered, …)."""
    return f'[{SELECTORS["statusAttribute"]}="{status}"]'


def dialpad_key(key: str) -> str:
    return f"{SELECTORS['dialpadKeyPrefix']}{key}"


class PanelLocators(Generic[L]):
    """The panel's parts, one attribute per entry of the contract's ``LOCATORS`` (in
    snake_case; ``tests/unit/test_qa_contract.py`` keeps the two equal)."""

    def __init__(self, root: L, by_test_id: Callable[[str], L]) -> None:
        self.root = root
        self._by_test_id = by_test_id

        def find(name: str) -> L:
            return by_test_id(TEST_IDS[LOCATORS[name]])

        self.sms_button = find("smsButton")
        self.sms_hint = find("smsHint")
        self.queue_select = find("queueSelect")
        self.template_select = find("templateSelect")
        self.template_confirm_replace = find("templateConfirmReplace")
        self.template_confirm_keep = find("templateConfirmKeep")
        self.to_input = find("toInput")
        self.to_hint = find("toHint")
        self.dialpad_button = find("dialpadButton")
        self.dialpad = find("dialpad")
        self.dialpad_backspace = find("dialpadBackspace")
        self.from_select = find("fromSelect")
        self.text_input = find("textInput")
        self.emoji_button = find("emojiButton")
        self.emoji_picker = find("emojiPicker")
        self.counter = find("counter")
        self.cost = find("cost")
        self.forcing = find("forcing")
        self.suggestion_apply = find("suggestionApply")
        self.preview_button = find("previewButton")
        self.segment_preview = find("segmentPreview")
        self.segments = find("segments")
        self.problems = find("problems")
        self.send_button = find("sendButton")
        self.park_button = find("parkButton")
        self.close_button = find("closeButton")
        self.drafts = find("drafts")
        self.draft_items = find("draftItems")
        self.draft_delete = find("draftDelete")
        self.status = find("status")
        self.status_reason = find("statusReason")
        self.error = find("error")
        # Extension point: the conversation thread is being built. Its test ids join the
        # contract (TEST_IDS, LOCATORS) and its locators join this list, next to their
        # JavaScript twins; until then a test reaches a part by ``by_test_id(...)``.

    def by_test_id(self, test_id: str) -> L:
        """Any element of the panel by its data-testid, for parts the contract does not name
        yet (better: add them to the contract, so both page objects know them)."""
        return self._by_test_id(test_id)
