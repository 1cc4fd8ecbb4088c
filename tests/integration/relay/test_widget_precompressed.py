"""Widget assets the build compressed ahead of time (``.zst``/``.br``/``.gz`` next to the file)
are sent as they are, to browsers that accept them, instead of being gzipped on every request."""

from __future__ import annotations

import gzip
from pathlib import Path

from fastapi.testclient import TestClient

from smsrelay.app import create_app
from smsrelay.settings import parse_settings
from tests.support.relaykit import relay_config

WASM = b"\0asm\1\0\0\0" + bytes(4096)


def raw_get(client: TestClient, path: str, accept: str) -> tuple[dict[str, str], bytes]:
    """Headers and the body as sent (httpx would decode the codings it knows)."""
    with client.stream("GET", path, headers={"Accept-Encoding": accept}) as answer:
        return dict(answer.headers), b"".join(answer.iter_raw())


def client_for(widget_dir: Path) -> TestClient:
    settings = parse_settings(relay_config(), data_dir=widget_dir / "data")
    settings = type(settings)(**{**settings.__dict__, "widget_dir": widget_dir})
    return TestClient(create_app(settings))


def test_the_precompressed_file_is_sent_with_its_encoding_and_the_original_type(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyodide.asm.wasm").write_bytes(WASM)
    (tmp_path / "pyodide.asm.wasm.zst").write_bytes(b"pretend zstd")
    (tmp_path / "pyodide.asm.wasm.br").write_bytes(b"pretend brotli")
    (tmp_path / "pyodide.asm.wasm.gz").write_bytes(gzip.compress(WASM))
    with client_for(tmp_path) as client:
        headers, body = raw_get(client, "/widget/pyodide.asm.wasm", "gzip, br, zstd")
        assert (headers["content-encoding"], body) == ("zstd", b"pretend zstd")

        headers, body = raw_get(client, "/widget/pyodide.asm.wasm", "gzip, br")
        assert (headers["content-encoding"], body) == ("br", b"pretend brotli")
        assert headers["content-type"] == "application/wasm"
        assert "Accept-Encoding" in headers["vary"]

        gz = client.get("/widget/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
        assert gz.headers["content-encoding"] == "gzip"
        assert gz.content == WASM  # decoded by the client: sent once, not gzipped twice

        refused = client.get("/widget/pyodide.asm.wasm", headers={"Accept-Encoding": "br;q=0"})
        assert "content-encoding" not in refused.headers
        assert refused.content == WASM
        assert "Accept-Encoding" in refused.headers["vary"]


def test_versioned_precompressed_files_keep_their_long_cache_lifetime(tmp_path: Path) -> None:
    (tmp_path / "snapshot").mkdir()
    (tmp_path / "snapshot" / "0123abcd4567.bin").write_bytes(bytes(2048))
    (tmp_path / "snapshot" / "0123abcd4567.bin.gz").write_bytes(gzip.compress(bytes(2048)))
    with client_for(tmp_path) as client:
        answer = client.get(
            "/widget/snapshot/0123abcd4567.bin", headers={"Accept-Encoding": "gzip"}
        )
        assert answer.headers["content-encoding"] == "gzip"
        assert "immutable" in answer.headers["cache-control"]
        assert answer.content == bytes(2048)


def test_files_without_a_precompressed_copy_are_still_gzipped_on_the_fly(tmp_path: Path) -> None:
    (tmp_path / "panel.js").write_text("export const panel = 1;\n" * 200)
    with client_for(tmp_path) as client:
        answer = client.get("/widget/panel.js", headers={"Accept-Encoding": "gzip, br"})
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.text.startswith("export const panel")
