"""``SmsPanel``: the page object of ``<sms-panel>`` for Playwright's sync API.

The same locators and methods as the JavaScript one (``sms-panel/testing``), in snake_case::

    sms = SmsPanel(page)  # or SmsPanel(page.locator("#my-panel")), SmsPanel.in_frame(page)
    sms.wait_until_ready()
    sms.open()
    sms.choose_queue("service")
    sms.fill_to("+49 151 23456789")
    sms.fill_text("Hello")
    expect(sms.counter).to_have_text("5 – [GSM_7BIT 1]")
    sms.send()
    sms.wait_for_status("delivered")
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from .contract import SELECTORS, TEST_IDS
from .locators import (
    READY_SCRIPT,
    STATE_SCRIPT,
    PanelLocators,
    dialpad_key,
    ready_arguments,
    status_selector,
)


class SmsPanel(PanelLocators[Locator]):
    def __init__(self, scope: Page | Locator) -> None:
        """``scope``: the page (its first ``<sms-panel>``) or a locator of one ``<sms-panel>``."""
        root = scope.locator(SELECTORS["panel"]).first if isinstance(scope, Page) else scope
        super().__init__(root, root.get_by_test_id)

    @classmethod
    def in_frame(cls, scope: Page | Locator) -> SmsPanel:
        """The panel in the iframe mode: the ``<sms-panel>`` in the relay's ``/embed`` page that
        ``<sms-panel-frame>`` shows. ``scope``: the page (its first ``<sms-panel-frame>``) or a
        locator of one ``<sms-panel-frame>``."""
        frame = scope.locator(SELECTORS["frameElement"]).first if isinstance(scope, Page) else scope
        return cls(
            frame.get_by_test_id(TEST_IDS["frame"]).content_frame.locator(SELECTORS["panel"])
        )

    def wait_until_ready(self, *, timeout: float = 60_000) -> None:
        """Waits until the compose core runs and the agent's configuration is loaded."""
        self.root.evaluate(READY_SCRIPT, ready_arguments(timeout))

    def state(self) -> Any:
        """The core's current view state (what the panel renders)."""
        return self.root.evaluate(STATE_SCRIPT)

    def open(self) -> None:
        self.sms_button.click()

    def choose_queue(self, queue_id: str) -> None:
        self.queue_select.select_option(queue_id)

    def choose_template(self, template_id: str) -> None:
        self.template_select.select_option(template_id)

    def choose_from(self, address: str) -> None:
        self.from_select.select_option(address)

    def fill_to(self, number: str) -> None:
        self.to_input.fill(number)

    def dial(self, keys: str) -> None:
        """Dials ``keys`` ("0-9", "*", "#", "+") on the dial pad, opening it if needed."""
        if self.dialpad.is_hidden():
            self.dialpad_button.click()
        for key in keys:
            self.by_test_id(dialpad_key(key)).click()

    def fill_text(self, text: str) -> None:
        self.text_input.fill(text)

    def type_text(self, text: str, *, delay: float = 0) -> None:
        """Types like an agent, key by key."""
        self.text_input.press_sequentially(text, delay=delay)

    def insert_emoji(self, search: str) -> None:
        """Inserts an emoji through the picker, found by its search name (e.g. "thumbs up")."""
        if self.emoji_picker.is_hidden():
            self.emoji_button.click()
        picker = self.by_test_id(TEST_IDS["emojiPickerElement"])
        picker.get_by_role(SELECTORS["emojiSearchRole"]).fill(search)  # type: ignore[arg-type]
        picker.locator(SELECTORS["emojiResult"]).first.click()

    def counter_text(self) -> str:
        """The counter's text, e.g. "225 – [GSM_7BIT 2]"."""
        return self.counter.text_content() or ""

    def send(self) -> None:
        self.send_button.click()

    def park(self) -> None:
        self.park_button.click()

    def resume_draft(self, text: str) -> None:
        """Reactivates the parked draft whose inbox entry contains ``text`` (the arrow)."""
        self.draft_items.filter(has_text=text).get_by_test_id(TEST_IDS["draftResume"]).click()

    def delete_draft(self) -> None:
        """Deletes the reactivated draft (a draft can only be deleted after reactivation)."""
        self.draft_delete.click()

    def wait_for_status(self, status: str, *, timeout: float = 30_000) -> None:
        """Waits until the SMS sent last has ``status`` (queued, submitted, delivered,
        undelivered, failed, expired, unknown)."""
        self.status.and_(self.root.locator(status_selector(status))).wait_for(timeout=timeout)
