"""Our administrator adds a template; an agent who opens the panel can use it at once.

The template stays for the tests after this one (it is added last, so no queue's default
changes); a test that needs the tenant as configured asks for ``sms_relay_reset``."""

import json
import urllib.request

from playwright.sync_api import expect


def admin_api(url, token, method="GET", body=None):
    request = urllib.request.Request(
        url, method=method, data=json.dumps(body).encode() if body else None
    )
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def test_a_template_added_by_the_admin_reaches_the_agent(
    crm, sms_panel, sms_relay, sms_admin_token
):
    tenant = f"{sms_relay.url}/v1/admin/tenants/acme"
    current = admin_api(tenant, sms_admin_token)
    settings = current["settings"]
    settings["templates"].append({"id": "thanks", "name": "Dank", "text": "Danke für Ihre Geduld!"})
    admin_api(
        tenant, sms_admin_token, "PUT", {"revision": current["revision"], "settings": settings}
    )
    crm.open_contact()
    sms_panel.wait_until_ready()
    sms_panel.open()
    sms_panel.choose_queue("service")
    sms_panel.choose_template("thanks")
    expect(sms_panel.text_input).to_have_value("Danke für Ihre Geduld!")
