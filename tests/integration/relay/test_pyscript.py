"""The PyScript recipe's config: the relay's own Pyodide and wheels, on the host asked."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config


def _built_widget(folder: Path) -> list[str]:
    pyodide = folder / "pyodide" / "314.0.7-0123456789ab"
    pyodide.mkdir(parents=True)
    (pyodide / "pyodide-lock.json").write_text(json.dumps({"info": {"python": "3.14.2"}}))
    wheels = [
        "wheels/a-1-py3-none-any.0123456789ab.whl",
        "wheels/b-2-py3-none-any.ba9876543210.whl",
    ]
    manifest = {"pyodide": "pyodide/314.0.7-0123456789ab/", "wheels": wheels}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return wheels


def _client(tmp_path: Path, public_url: str, base_url: str) -> TestClient:
    config = relay_config()
    config["relay"]["public_url"] = public_url
    settings = parse_settings(config, data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    return TestClient(create_app(settings), base_url=base_url)


def test_the_config_names_the_relays_pyodide_and_unpacks_the_wheels(tmp_path: Path) -> None:
    wheels = _built_widget(tmp_path)
    with _client(tmp_path, "https://relay.example", "http://127.0.0.1:8080") as client:
        answer = client.get("/pyscript/config.json")
        assert answer.headers["cache-control"] == "no-cache"
        # Asked on a host public_url does not name: the URL the browser asked.
        assert answer.json() == {
            "interpreter": "http://127.0.0.1:8080/widget/pyodide/314.0.7-0123456789ab/pyodide.mjs",
            "files": {
                f"http://127.0.0.1:8080/widget/{wheel}": "/lib/python3.14/site-packages/*"
                for wheel in wheels
            },
        }
        page = client.get("/pyscript-demo")
        assert 'config="/pyscript/config.json"' in page.text
        assert "'unsafe-eval'" in page.headers["content-security-policy"]


def test_behind_a_proxy_that_ends_tls_the_config_takes_public_urls_scheme(tmp_path: Path) -> None:
    _built_widget(tmp_path)
    with _client(tmp_path, "https://relay.example", "http://relay.example") as client:
        interpreter = client.get("/pyscript/config.json").json()["interpreter"]
        assert interpreter.startswith("https://relay.example/widget/pyodide/")


def test_without_a_built_widget_the_config_is_not_found(tmp_path: Path) -> None:
    settings = parse_settings(relay_config(), data_dir=tmp_path / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": tmp_path})
    with TestClient(create_app(settings)) as client:
        assert client.get("/pyscript/config.json").status_code == 404
