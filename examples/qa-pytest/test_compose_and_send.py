"""An agent writes an SMS in the panel on our contact page and sees it delivered."""

from playwright.sync_api import expect


def test_an_agent_sends_an_sms_and_sees_it_delivered(crm, sms_panel, console_errors):
    crm.open_contact()
    sms_panel.wait_until_ready()
    sms_panel.open()
    sms_panel.choose_queue("service")
    sms_panel.fill_to("0151 23456789")
    sms_panel.fill_text("Ihr Paket ist da.")
    expect(sms_panel.counter).to_have_text("17 – [GSM_7BIT 1]")
    sms_panel.send()
    sms_panel.wait_for_status("delivered")
    expect(sms_panel.status).to_contain_text("zugestellt")


def test_the_template_greets_our_customer_and_the_counter_follows_typing(crm, sms_panel):
    crm.open_contact()
    sms_panel.wait_until_ready()
    sms_panel.open()
    sms_panel.choose_queue("sales")
    # The queue's first template, filled with the customer our contact page passes.
    expect(sms_panel.text_input).to_have_value("Hallo Erika, danke für Ihren Anruf.")
    sms_panel.fill_text("")
    sms_panel.type_text("x" * 161)
    expect(sms_panel.counter).to_have_text("161 – [GSM_7BIT 2]")
    sms_panel.fill_text("Danke 🙂")
    expect(sms_panel.counter).to_have_text("8 – [UCS2 1]")
