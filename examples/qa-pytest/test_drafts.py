"""A parked SMS waits in the agent's inbox, survives a reload and comes back."""

from playwright.sync_api import expect


def test_a_parked_sms_comes_back_after_a_reload(crm, page, sms_panel, sms_relay_reset, sms_token):
    crm.open_contact(token=sms_token("alice"))  # a fixed agent: sms_relay_reset empties her inbox
    sms_panel.wait_until_ready()
    expect(sms_panel.draft_items).to_have_count(0)
    sms_panel.open()
    sms_panel.choose_queue("service")
    sms_panel.fill_text("Rückruf morgen um 10 Uhr")
    sms_panel.park()
    expect(sms_panel.draft_items).to_contain_text("Rückruf morgen")
    page.reload()
    sms_panel.wait_until_ready()
    sms_panel.resume_draft("Rückruf morgen")
    expect(sms_panel.text_input).to_have_value("Rückruf morgen um 10 Uhr")
    sms_panel.delete_draft()
    expect(sms_panel.draft_items).to_have_count(0)
