"""The administrator changes the configuration while a panel is in use: the panel takes the
new one (when it opens, or with a new token) and keeps what the agent wrote or the host filled
in — also when the template the agent had chosen is gone."""

from __future__ import annotations

from typing import Any

from test_panel import CONFIG, configured


def reconfigure(panel: Any, config: dict[str, Any]) -> dict[str, Any]:
    answer = panel.act({"do": "configure", "config": config, "lang": "en"})
    assert "error" not in answer
    return answer["view"]


def test_a_template_removed_while_selected_keeps_the_agents_text() -> None:
    panel = configured(lang="en")
    panel.act({"do": "open"})
    panel.act({"do": "queue", "value": "service"})
    panel.act({"do": "text", "value": "Hallo Ada, Ihr Paket kommt morgen."})
    without_hi = {**CONFIG, "templates": [CONFIG["templates"][1]]}
    view = reconfigure(panel, without_hi)
    assert view["open"] and view["text"] == "Hallo Ada, Ihr Paket kommt morgen."
    assert view["template"]["selected"] is None
    assert [o["value"] for o in view["template"]["options"]] == ["bye"]


def test_a_new_template_shows_when_the_panel_opens_and_the_hosts_number_stays() -> None:
    panel = configured(lang="en")
    panel.act({"do": "to", "value": "0151 12345678"})
    renamed = {**CONFIG, "templates": [{"id": "hi", "name": "Hi", "text": "Guten Tag!"}]}
    view = reconfigure(panel, renamed)
    assert not view["open"] and view["to"] == "0151 12345678"
    panel.act({"do": "open"})
    view = panel.act({"do": "queue", "value": "service"})["view"]
    assert view["text"] == "Guten Tag!" and view["to"] == "0151 12345678"
