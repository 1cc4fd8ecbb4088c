"""SIGTERM while agents follow their event streams: the relay stops gracefully, at once.

Every agent's panel holds ``GET /v1/events`` open. uvicorn's graceful shutdown waits for open
responses to finish, and an event stream never does: the relay hung until it was SIGKILLed
(and then stopped without finishing its sends). Now the streams end at shutdown, and the
browsers' EventSource reconnects, to another relay, resuming from Last-Event-ID.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from tests.support.relay_process import headers, relay_config, relay_process

AGENTS = 5


def test_open_event_streams_do_not_hold_up_a_graceful_shutdown(tmp_path: Path) -> None:
    config = relay_config({"sandbox": {"type": "sandbox"}})
    ended: list[str] = []

    with relay_process(tmp_path / "relay", config) as relay:
        opened = threading.Barrier(AGENTS + 1, timeout=10)

        def follow(agent: int) -> None:
            url = f"{relay.url}/v1/events"
            token = relay.token(f"agent-{agent}")
            with httpx.stream("GET", url, headers=headers(token), timeout=30) as answer:
                lines = answer.iter_lines()
                next(lines)  # "retry: …": the stream is open
                opened.wait()
                for _ in lines:
                    pass
            ended.append(f"agent-{agent}")  # the relay closed it cleanly

        agents = [threading.Thread(target=follow, args=(n,)) for n in range(AGENTS)]
        for agent in agents:
            agent.start()
        opened.wait()
        started = time.monotonic()
        relay.stop()
        stopped_in = time.monotonic() - started
        for agent in agents:
            agent.join(10)

    assert relay.process is not None
    # Ended by its SIGTERM (uvicorn re-raises it after a graceful shutdown), not SIGKILLed.
    assert relay.process.returncode in (0, -signal.SIGTERM), relay.tail()
    assert "Application shutdown complete" in relay.tail()
    assert stopped_in < 5, f"stopping took {stopped_in:.1f} s"
    assert sorted(ended) == [f"agent-{n}" for n in range(AGENTS)]
