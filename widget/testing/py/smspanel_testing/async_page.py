"""``AsyncSmsPanel``: the page object of ``<sms-panel>`` for Playwright's async API.

The twin of ``SmsPanel`` (``page.py``): the same locators, the same methods, awaited::

    sms = AsyncSmsPanel(page)
    await sms.wait_until_ready()
    await sms.open()
    await sms.fill_text("Hello")
    await expect(sms.counter).to_have_text("5 – [GSM_7BIT 1]")
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Locator, Page

from .contract import SELECTORS, TEST_IDS
from .locators import (
    READY_SCRIPT,
    STATE_SCRIPT,
    PanelLocators,
    dialpad_key,
    ready_arguments,
    status_selector,
)


class AsyncSmsPanel(PanelLocators[Locator]):
    def __init__(self, scope: Page | Locator) -> None:
        """``scope``: the page (its first ``<sms-panel>``) or a locator of one ``<sms-panel>``."""
        root = scope.locator(SELECTORS["panel"]).first if isinstance(scope, Page) else scope
        super().__init__(root, root.get_by_test_id)

    @classmethod
    def in_frame(cls, scope: Page | Locator) -> AsyncSmsPanel:
        """The panel in the iframe mode: the ``<sms-panel>`` in the relay's ``/embed`` page that
        ``<sms-panel-frame>`` shows. ``scope``: the page (its first ``<sms-panel-frame>``) or a
        locator of one ``<sms-panel-frame>``."""
        frame = scope.locator(SELECTORS["frameElement"]).first if isinstance(scope, Page) else scope
        return cls(
            frame.get_by_test_id(TEST_IDS["frame"]).content_frame.locator(SELECTORS["panel"])
        )

    async def wait_until_ready(self, *, timeout: float = 60_000) -> None:
        """Waits until the compose core runs and the agent's configuration is loaded."""
        await self.root.evaluate(READY_SCRIPT, ready_arguments(timeout))

    async def state(self) -> Any:
        """The core's current view state (what the panel renders)."""
        return await self.root.evaluate(STATE_SCRIPT)

    async def open(self) -> None:
        await self.sms_button.click()

    async def choose_queue(self, queue_id: str) -> None:
        await self.queue_select.select_option(queue_id)

    async def choose_template(self, template_id: str) -> None:
        await self.template_select.select_option(template_id)

    async def choose_from(self, address: str) -> None:
        await self.from_select.select_option(address)

    async def fill_to(self, number: str) -> None:
        await self.to_input.fill(number)

    async def dial(self, keys: str) -> None:
        """Dials ``keys`` ("0-9", "*", "#", "+") on the dial pad, opening it if needed."""
        if await self.dialpad.is_hidden():
            await self.dialpad_button.click()
        for key in keys:
            await self.by_test_id(dialpad_key(key)).click()

    async def fill_text(self, text: str) -> None:
        await self.text_input.fill(text)

    async def type_text(self, text: str, *, delay: float = 0) -> None:
        """Types like an agent, key by key."""
        await self.text_input.press_sequentially(text, delay=delay)

    async def insert_emoji(self, search: str) -> None:
        """Inserts an emoji through the picker, found by its search name (e.g. "thumbs up")."""
        if await self.emoji_picker.is_hidden():
            await self.emoji_button.click()
        picker = self.by_test_id(TEST_IDS["emojiPickerElement"])
        await picker.get_by_role(SELECTORS["emojiSearchRole"]).fill(search)  # type: ignore[arg-type]
        await picker.locator(SELECTORS["emojiResult"]).first.click()

    async def counter_text(self) -> str:
        """The counter's text, e.g. "225 – [GSM_7BIT 2]"."""
        return (await self.counter.text_content()) or ""

    async def send(self) -> None:
        await self.send_button.click()

    async def park(self) -> None:
        await self.park_button.click()

    async def resume_draft(self, text: str) -> None:
        """Reactivates the parked draft whose inbox entry contains ``text`` (the arrow)."""
        await self.draft_items.filter(has_text=text).get_by_test_id(TEST_IDS["draftResume"]).click()

    async def delete_draft(self) -> None:
        """Deletes the reactivated draft (a draft can only be deleted after reactivation)."""
        await self.draft_delete.click()

    async def wait_for_status(self, status: str, *, timeout: float = 30_000) -> None:
        """Waits until the SMS sent last has ``status`` (queued, submitted, delivered,
        undelivered, failed, expired, unknown)."""
        await self.status.and_(self.root.locator(status_selector(status))).wait_for(timeout=timeout)
