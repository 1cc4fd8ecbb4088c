"""The PyScript recipe's config: the relay's own Pyodide and wheels, on the host asked."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.settings import parse_settings
from tests.relay.relaykit import relay_config


def test_the_config_names_the_relays_pyodide_and_unpacks_the_wheels(tmp_path: Path) -> None:
    pyodide = tmp_path / "pyodide" / "314.0.7-0123456789ab"
    pyodide.mkdir(parents=True)
    (pyodide / "pyodide-lock.json").write_text(json.dumps({"info": {"python": "3.14.2"}}))
    wheels = [
        "wheels/a-1-py3-none-any.0123456789ab.whl",
        "wheels/b-2-py3-none-any.ba9876543210.whl",
    ]
    manifest = {"pyodide": "pyodide/314.0.7-0123456789ab/", "wheels": wheels}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings), base_url="http://relay.example:8080") as client:
        answer = client.get("/pyscript/config.json")
        assert answer.headers["cache-control"] == "no-cache"
        assert answer.json() == {
            "interpreter": "//relay.example:8080/widget/pyodide/314.0.7-0123456789ab/pyodide.mjs",
            "files": {
                f"//relay.example:8080/widget/{wheel}": "/lib/python3.14/site-packages/*"
                for wheel in wheels
            },
        }
        page = client.get("/pyscript-demo")
        assert 'config="/pyscript/config.json"' in page.text
        assert "'unsafe-eval'" in page.headers["content-security-policy"]


def test_without_a_built_widget_the_config_is_not_found(tmp_path: Path) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        assert client.get("/pyscript/config.json").status_code == 404
