"""A relay for a test session: its own process on a free port, its own data folder, stopped by
its PID.

The relay runs as ``python -m smsrelay serve`` from the same environment (the ``sms-panel``
distribution this kit depends on), never inside the test process: a test sees it as an agent's
browser does. Only :meth:`RelayProcess.token` imports ``smsrelay`` (to sign tokens with the code
``smsrelay token`` uses), and only when called, so loading the pytest plugin never imports the
relay.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import tomli_w


class RelayError(RuntimeError):
    """The relay could not be started, reset or asked for a token; the message says why."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def embedded_demo_config() -> Path:
    """The relay's demo configuration (``smsrelay/demo.toml``), found without importing it."""
    spec = importlib.util.find_spec("smsrelay")
    if spec is None or spec.origin is None:
        raise RelayError(
            "the relay is not installed in this environment (python -m smsrelay): "
            "pip install sms-panel-testing brings it"
        )
    return Path(spec.origin).parent / "demo.toml"


def session_config(
    source: Path, *, public_url: str, allowed_origins: Iterable[str]
) -> dict[str, Any]:
    """The configuration a test relay runs: ``source`` with the relay's own URL as its public
    URL, and ``allowed_origins`` (the host pages of the suite) added to every tenant's
    ``cors_origins``. The data folder comes from the command line."""
    try:
        data = tomllib.loads(source.read_text("utf-8"))
    except OSError as error:
        raise RelayError(f"cannot read the relay configuration {source}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise RelayError(f"{source} is not valid TOML: {error}") from None
    relay = data.setdefault("relay", {})
    relay["public_url"] = public_url
    relay.pop("data_dir", None)
    extra = list(allowed_origins)
    for tenant in data.get("tenants", {}).values():
        origins = list(tenant.get("cors_origins", []))
        tenant["cors_origins"] = origins + [o for o in extra if o not in origins]
    return data


class RelayProcess:
    """One relay process. ``start()``, ``stop()``, ``reset()``; ``url``, ``pid``, ``log_path``;
    ``token(...)`` and ``admin_token(...)`` sign tokens with the configuration's secrets."""

    def __init__(
        self,
        data_dir: Path,
        *,
        config: Path | None = None,
        allowed_origins: Sequence[str] = (),
        host: str = "127.0.0.1",
        port: int | None = None,
        startup_timeout: float = 60.0,
        python: str = sys.executable,
    ) -> None:
        self.source = config
        self.data_dir = data_dir
        self.allowed_origins = tuple(allowed_origins)
        self.host = host
        self.port = port or free_port(host)
        self.startup_timeout = startup_timeout
        self.python = python
        self._process: subprocess.Popen[bytes] | None = None
        self._settings: Any = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def config_path(self) -> Path:
        """The configuration the relay runs (written into its data folder)."""
        return self.data_dir / "relay.toml"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "relay.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def tenants(self) -> list[str]:
        data = tomllib.loads(self.config_path.read_text("utf-8"))
        return list(data.get("tenants", {}))

    def start(self) -> RelayProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        source = self.source if self.source is not None else embedded_demo_config()
        config = session_config(source, public_url=self.url, allowed_origins=self.allowed_origins)
        self.config_path.write_text(tomli_w.dumps(config), encoding="utf-8")
        self._settings = None
        command = [self.python, "-m", "smsrelay", "serve", "--config", str(self.config_path)]
        command += ["--host", self.host, "--port", str(self.port), "--data-dir", str(self.data_dir)]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        process = self._process
        deadline = time.monotonic() + self.startup_timeout
        while process is not None and time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                self._process = None
                raise RelayError(
                    f"the relay exited with code {code} before it was ready "
                    f"(configuration {self.source or 'the embedded demo'}, port {self.port}); "
                    f"the end of its log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # not listening yet
            time.sleep(0.1)
        self.stop()
        raise RelayError(
            f"the relay did not answer {self.url}/readyz within {self.startup_timeout:g} s; "
            f"the end of its log {self.log_path}:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text("utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty)"

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the relay's PID, SIGKILL if it is still there after ``timeout``."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()

    def reset(self) -> RelayProcess:
        """Forgets everything the relay stored — messages, drafts, opt-outs, tenants changed
        through the admin API — by restarting it on an empty data folder, on the same port (a
        page keeps its relay-url). Its log goes on."""
        data = tomllib.loads(self.config_path.read_text("utf-8"))
        if data.get("relay", {}).get("database_url"):
            raise RelayError(
                "reset() empties the relay's SQLite data folder; this configuration sets "
                "relay.database_url, whose database the kit does not own"
            )
        self.stop()
        for entry in self.data_dir.iterdir():
            if entry.name in {self.log_path.name, self.config_path.name}:
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        return self.start()

    def token(
        self,
        agent: str,
        *,
        tenant: str | None = None,
        queues: Sequence[str] | None = None,
        ttl_seconds: int = 3600,
        role: str | None = None,
        kid: str | None = None,
    ) -> str:
        """A token as the CRM signs it (``smsrelay token``): for ``agent`` of ``tenant`` (default:
        the configuration's first), limited to ``queues`` if given; ``role="admin"`` for the
        company administrator (the admin API and /admin)."""
        from smsrelay.auth import mint_token
        from smsrelay.settings import load_settings

        if self._settings is None:
            self._settings = load_settings(self.config_path)
        tenant = tenant or self.tenants[0]
        if tenant not in self._settings.tenants:
            raise RelayError(f"the relay has no tenant {tenant!r} (it has {self.tenants})")
        return mint_token(
            self._settings,
            tenant=tenant,
            agent=agent,
            queues=queues,
            ttl_seconds=ttl_seconds,
            kid=kid,
            role=role,
        )

    def admin_token(
        self, admin: str = "qa-admin", *, tenant: str | None = None, ttl_seconds: int = 3600
    ) -> str:
        """A token of ``tenant``'s administrator (the claim ``role: admin``)."""
        return self.token(admin, tenant=tenant, ttl_seconds=ttl_seconds, role="admin")
