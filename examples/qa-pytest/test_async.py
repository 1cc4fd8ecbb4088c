"""The same page object for Playwright's async API (AsyncSmsPanel)."""

import asyncio
import threading

from playwright.async_api import async_playwright, expect

from smspanel_testing import AsyncSmsPanel


def test_the_async_page_object_counts_too(crm_server, sms_relay, sms_agent_token, sms_chromium):
    url = crm_server.page(
        "/contact/async", "contact.html", relay_url=sms_relay.url, token=sms_agent_token
    )

    async def agent():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**sms_chromium)
            page = await browser.new_page()
            await page.goto(url)
            sms = AsyncSmsPanel(page)
            await sms.wait_until_ready()
            await sms.open()
            await sms.choose_queue("service")
            await sms.fill_text("Hallo")
            await expect(sms.counter).to_have_text("5 – [GSM_7BIT 1]")
            assert await sms.counter_text() == "5 – [GSM_7BIT 1]"
            await browser.close()

    # Its own thread: pytest-playwright's sync API may already hold this thread's event loop.
    failures = []
    thread = threading.Thread(target=lambda: failures.extend(run(agent)))
    thread.start()
    thread.join()
    assert failures == []


def run(coroutine_function):
    try:
        asyncio.run(coroutine_function())
    except BaseException as error:  # reported in the test's thread
        return [error]
    return []
