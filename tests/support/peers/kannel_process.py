"""Kannel as one process, for tests that cannot use the pytest fixture (the browser tests, in
Node): ``python -m tests.support.peers.kannel_process --sms-service-url URL [--sendsms-port
N]`` starts bearerbox, smsbox and the two fakesmsc in a temporary folder
(:func:`.kannel.running_kannel`), prints one line ``READY {"sendsms_url", "username",
"password", "directory"}``, then takes a customer's message per line of its input — JSON
``{"from", "to", "text", "ucs2"?}`` — and answers each with ``OK`` once bearerbox has it, or
``ERROR <why>``. SIGTERM, or the end of its input, stops every Kannel process it started, by
PID, and removes the folder."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

import pytest

from tests.support.peers.kannel import Kannel, running_kannel


def serve(kannel: Kannel) -> None:
    ready = {"sendsms_url": kannel.sendsms_url, "username": kannel.username,
             "password": kannel.password, "directory": str(kannel.directory)}  # fmt: skip
    print("READY", json.dumps(ready), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            order = json.loads(line)
            kannel.send_mo(order["from"], order["to"], order["text"], ucs2=bool(order.get("ucs2")))
        # pytest.fail (Kannel's peer reports a broken process with it) is no Exception.
        except (Exception, pytest.fail.Exception) as error:
            print("ERROR", str(error).replace("\n", " "), flush=True)
        else:
            print("OK", flush=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    # Unwinds through running_kannel, which stops what it started.
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sms-service-url", required=True)
    parser.add_argument("--sendsms-port", type=int)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    with (
        tempfile.TemporaryDirectory(prefix="kannel-") as folder,
        running_kannel(
            Path(folder), sms_service_url=args.sms_service_url, sendsms_port=args.sendsms_port
        ) as kannel,
    ):
        serve(kannel)


if __name__ == "__main__":
    main()
