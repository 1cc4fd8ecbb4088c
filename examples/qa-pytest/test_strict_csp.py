"""Our chat page forbids WebAssembly and inline code: the panel runs in its iframe mode."""

from playwright.sync_api import expect

from smspanel_testing import SmsPanel


def test_the_iframe_mode_sends_under_a_strict_csp(crm, page, console_errors):
    crm.open_strict_chat()
    sms = SmsPanel.in_frame(page)
    sms.wait_until_ready()
    sms.open()
    sms.choose_queue("sales")
    sms.fill_to("0151 23456789")
    sms.fill_text("Hello from the chat")
    expect(sms.counter).to_have_text("19 – [GSM_7BIT 1]")
    sms.send()
    sms.wait_for_status("delivered")
    expect(sms.status).to_contain_text("delivered")
