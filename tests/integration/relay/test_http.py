"""The HTTP edges: bad input gets a clear 4xx in the one error shape; operations endpoints;
the widget's assets; signed receipt callbacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.gateways.twilio.webhooks import twilio_signature
from smsrelay.settings import parse_settings
from tests.support.relaykit import auth, message, relay_config, send

ERROR_KEYS = {"code", "message", "field"}


def post(client: TestClient, token: str, headers: dict | None = None, **kwargs) -> object:
    headers = {**auth(token), "Idempotency-Key": "k", **(headers or {})}
    return client.post("/v1/messages", headers=headers, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "request.invalid_json"),
        ({"json": {**message(), "extra": 1}}, 422, "request.unknown_field"),
        ({"json": {k: v for k, v in message().items() if k != "to"}}, 422, "request.field_missing"),
        ({"json": message(text="")}, 422, "request.empty"),
        ({"json": message(text=5)}, 422, "request.wrong_type"),
        ({"json": message(interaction_type="fax")}, 422, "request.wrong_type"),
        ({"content": b'{"queue_id":"service","from":"ACME","to":"0151 12345678","text":"a\\ud800"}',
          "headers": {"Content-Type": "application/json"}}, 422, "request.character_not_allowed"),
        ({"json": message(text="bell\x07")}, 422, "request.character_not_allowed"),
        ({"content": b"\xff\xfe\x00", "headers": {"Content-Type": "application/json"}}, 400, "request.not_utf8"),
        ({"json": message(text="x" * 100_000)}, 413, "request.too_large"),
    ],
    ids=["invalid-json", "unknown-field", "missing-field", "empty-text", "text-not-string",
         "unknown-interaction", "lone-surrogate", "control-character", "invalid-utf8", "10-MB-ish"],
)  # fmt: skip
def test_bad_input_gets_a_clear_4xx_in_the_one_error_shape(
    client: TestClient, token, kwargs: dict, status: int, code: str
) -> None:
    response = post(client, token(), **kwargs)
    assert response.status_code == status
    body = response.json()
    assert body.keys() >= ERROR_KEYS
    assert body["code"] == code
    assert body["message"]


def test_unknown_paths_and_methods_use_the_error_shape(client: TestClient, token) -> None:
    missing = client.get("/v1/nothing-here", headers=auth(token()))
    assert (missing.status_code, missing.json()["code"]) == (404, "request.not_found")
    wrong = client.patch("/v1/messages", headers=auth(token()))
    assert (wrong.status_code, wrong.json()["code"]) == (405, "request.method_not_allowed")


def test_health_readiness_and_metrics(client: TestClient, token) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
    send(client, token())
    metrics = client.get("/metrics").text
    assert 'smsrelay_messages_accepted_total{tenant="acme"} 1.0' in metrics


def test_every_send_is_timed_whichever_path_answers_it(client: TestClient, token) -> None:
    send(client, token())  # the send lane
    # Refused by the documented route: no Idempotency-Key, a body that is no JSON.
    assert client.post("/v1/messages", json={}, headers=auth(token())).status_code == 400
    refused = post(client, token(), content=b"{", headers={"Content-Type": "application/json"})
    assert refused.status_code == 400
    client.get("/v1/messages", headers=auth(token()))  # not a send: not timed
    metrics = client.get("/metrics").text
    assert "smsrelay_accept_seconds_count 3.0" in metrics
    assert 'smsrelay_accept_seconds_bucket{le="+Inf"} 3.0' in metrics


def test_the_openapi_spec_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/compose-config", "/v1/messages", "/v1/messages/{message_id}", "/v1/events",
                 "/v1/drafts", "/v1/drafts/{draft_id}", "/healthz", "/readyz"):  # fmt: skip
        assert path in paths
    assert client.get("/docs").status_code == 200


def test_cors_allows_only_the_configured_origins(client: TestClient) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    allowed = client.options("/v1/messages", headers={"Origin": "https://crm.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://crm.example"
    refused = client.options(
        "/v1/messages", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in refused.headers


def test_widget_assets_are_served_with_the_right_types_and_caching(tmp_path: Path) -> None:
    (tmp_path / "pyodide.asm.wasm").write_bytes(b"\0asm")
    (tmp_path / "worker.mjs").write_text("export {}")
    (tmp_path / "smscompose-0123abcd89.whl").write_bytes(b"PK")
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        wasm = client.get("/widget/pyodide.asm.wasm")
        assert wasm.headers["content-type"] == "application/wasm"
        assert wasm.headers["cache-control"] == "no-cache"
        module = client.get("/widget/worker.mjs")
        assert module.headers["content-type"].startswith("text/javascript")
        versioned = client.get("/widget/smscompose-0123abcd89.whl")
        assert "immutable" in versioned.headers["cache-control"]
        assert client.get("/widget/../data/relay.db").status_code == 404
        assert client.get("/widget/%2e%2e/data/relay.db").status_code == 404


def test_a_signed_twilio_receipt_is_accepted_and_a_forged_one_refused(tmp_path: Path) -> None:
    config = relay_config()
    config["gateways"]["tw"] = {"type": "twilio", "account_sid": "AC1", "auth_token": "tok"}
    settings = parse_settings(config, data_dir=tmp_path)
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    url = "http://testserver/v1/receipts/twilio/tw?message_id=msg_x"
    with TestClient(create_app(settings)) as client:
        good = client.post(
            "/v1/receipts/twilio/tw?message_id=msg_x",
            data=params,
            headers={"X-Twilio-Signature": twilio_signature(url, params, "tok")},
        )
        assert good.status_code == 204  # unknown message: acknowledged, counted, ignored
        forged = client.post(
            "/v1/receipts/twilio/tw?message_id=msg_x",
            data={**params, "MessageStatus": "failed"},
            headers={"X-Twilio-Signature": twilio_signature(url, params, "tok")},
        )
        assert (forged.status_code, forged.json()["code"]) == (403, "receipt.invalid")
        assert (
            'smsrelay_receipts_total{gateway="tw",known="false"} 1.0' in client.get("/metrics").text
        )


def test_assets_and_api_docs_are_served_compressed(tmp_path: Path) -> None:
    (tmp_path / "panel.js").write_text("export const panel = 1;\n" * 200)
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        asset = client.get("/widget/panel.js", headers={"Accept-Encoding": "gzip"})
        assert asset.headers["content-encoding"] == "gzip"
        assert asset.text.startswith("export const panel")
        docs = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert docs.headers["content-encoding"] == "gzip"
