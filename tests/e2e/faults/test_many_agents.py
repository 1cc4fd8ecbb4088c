"""200 agents at once, each with its own token, sending and following its status.

A bounded version of the load benchmark (``bench/agents.py`` runs it for a minute): on
loopback, against the relay as a process sending through the SMSC simulator. Zero errors, every
accepted message delivered and taken by the SMSC exactly once, each status streamed once, and
the relay's memory flat.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.faults.test_database_down import smpp_gateway
from tests.support.agent_load import run_load
from tests.support.peers.smsc import running_smsc
from tests.support.relay_process import relay_config, relay_process

AGENTS = 200
SECONDS = 12.0
RSS_GROWTH_MIB = 20.0

#: 200 agents and the relay share the two cores: nothing else may (make test runs it alone).
pytestmark = pytest.mark.alone


def test_200_agents_send_and_follow_their_status_without_errors_or_loss(tmp_path: Path) -> None:
    with running_smsc() as smsc:
        config = relay_config({"smsc": smpp_gateway(smsc)})
        with relay_process(tmp_path / "relay", config) as relay:
            result = asyncio.run(run_load(relay, smsc.submits, agents=AGENTS, seconds=SECONDS))
    print(f"\n{result.table()}")

    assert result.errors == {}, result.errors
    assert result.accepted >= AGENTS  # every agent got through at least once
    assert (result.lost, result.sent_twice, result.duplicate_events) == (0, 0, 0)
    assert result.delivered == result.accepted
    assert result.rss_growth_mib < RSS_GROWTH_MIB, result.rss_mib
