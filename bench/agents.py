"""200 agents for a minute: each sends, follows its status on the event stream, sends again.

The relay runs as a process on SQLite and sends through the SMSC simulator
(tests/support/peers), all on loopback; every agent has its own token. The load itself is
tests/support/agent_load.py, which the test suite runs for a few seconds
(tests/e2e/faults/test_many_agents.py). Prints a Markdown table (also bench/results/agents.md):
messages sent, accepted per second, POST latency p50/p99, errors, the relay's RSS at the start
and the end, and — counted at the SMSC — messages lost and sent twice. Exits non-zero unless
errors, lost and sent twice are all 0.

With ``--senders N`` only N of the agents send; the others hold their event streams open (the
2,000-agent table: ``--agents 2000 --senders 200``), and the targets are checked: p99 of the
accept ≤ 250 ms, RSS ≤ 500 MiB and flat.

With ``--dispatch-process`` the relay is one accepting process (holding every stream) and a
dispatcher process beside it (``smsrelay serve --workers 1 --dispatch-process``); RSS is then
both processes' and the supervisor's together.

Usage: .venv/bin/python bench/agents.py [--agents 200] [--senders N] [--seconds 60]
       [--dispatch-process]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import urllib.request
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.faults.test_database_down import smpp_gateway  # noqa: E402
from tests.support.agent_load import run_load  # noqa: E402
from tests.support.peers.smsc import running_smsc  # noqa: E402
from tests.support.relay_process import relay_config, relay_process  # noqa: E402

RESULTS = ROOT / "bench" / "results"


TARGET_S = 0.25
Buckets = list[tuple[float, float]]


def accept_buckets(url: str, before: Buckets | None = None) -> Buckets:
    """``smsrelay_accept_seconds``' cumulative buckets ``(le, count)``, less ``before``."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    found = re.findall(r'^smsrelay_accept_seconds_bucket\{le="([^"]+)"\} (\S+)$', text, re.M)
    buckets = [(float(le), float(n)) for le, n in found]
    if before:
        buckets = [(le, n - m) for (le, n), (_, m) in zip(buckets, before, strict=True)]
    return buckets


def quantile(buckets: Buckets, share: float) -> float:
    """As Prometheus' histogram_quantile: linear within the bucket that holds the share."""
    wanted = share * buckets[-1][1]
    lower, below = 0.0, 0.0
    for le, cumulative in buckets:
        if cumulative >= wanted:
            if le == float("inf"):
                return lower
            return lower + (le - lower) * (wanted - below) / max(cumulative - below, 1e-9)
        lower, below = le, cumulative
    return lower


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--senders", type=int, help="how many of them send (default: all)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--dispatch-process", action="store_true", help="send from a process of its own"
    )
    args = parser.parse_args()
    senders = args.senders or args.agents
    with tempfile.TemporaryDirectory() as scratch, running_smsc() as smsc:
        config = relay_config({"smsc": smpp_gateway(smsc)})
        folder = Path(scratch) / "relay"
        with relay_process(folder, config, dispatch_process=args.dispatch_process) as relay:
            before = accept_buckets(relay.url)
            # uvloop, as the relay's uvicorn uses: the load generator's own event loop is
            # part of the latency it measures, on the cores it shares with the relay.
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                result = runner.run(
                    run_load(
                        relay,
                        smsc.submits,
                        agents=args.agents,
                        seconds=args.seconds,
                        senders=senders,
                    )
                )
            timed = accept_buckets(relay.url, before)
    who = (
        f"{args.agents:,} agents sending"
        if senders == args.agents
        else f"{args.agents:,} agents with their event streams open, {senders:,} of them sending"
    )
    shape = (
        "one accepting relay process and a dispatcher process"
        if args.dispatch_process
        else "one relay process"
    )
    title = f"# {who} and following their status ({shape} on SQLite, SMSC simulator)"
    table = f"{title}\n\n{result.table()}"
    count = timed[-1][1]
    within = dict(timed).get(TARGET_S, 0.0)
    table += (
        f"\n\nMeasured by the relay itself (`smsrelay_accept_seconds`, arrival to answer, "
        f"{count:,.0f} sends): p99 {1000 * quantile(timed, 0.99):.0f} ms, "
        f"{100 * within / max(count, 1):.2f} % within {1000 * TARGET_S:.0f} ms. The p50 and p99 "
        "above are the load generator's: they include its own waits for a CPU it shares "
        "with the relay."
    )
    if result.errors:
        table += f"\n\nErrors: {dict(result.errors)}"
    clean = not result.errors and result.lost == 0 and result.sent_twice == 0
    if senders < args.agents:
        p99, peak = result.percentile(0.99), max(result.rss_mib)
        targets = [
            ("p99 accept ≤ 250 ms (load generator)", p99 <= 250, f"{p99:.0f} ms"),
            (
                "p99 accept ≤ 250 ms (relay)",
                within >= 0.99 * count,
                f"{100 * within / max(count, 1):.2f} % within 250 ms",
            ),
            ("0 errors, 0 lost, 0 twice", clean, ""),
            ("RSS ≤ 500 MiB", peak <= 500, f"max {peak:.0f} MiB"),
            (
                "RSS flat (< 20 MiB growth after the first quarter)",
                result.rss_growth_mib < 20,
                f"{result.rss_growth_mib:+.0f} MiB",
            ),
        ]
        table += "\n\n" + "\n".join(
            f"- {name}: {'met' if ok else 'MISSED'} {detail}".rstrip()
            for name, ok, detail in targets
        )
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "agents.md" if senders == args.agents else f"agents-{args.agents}.md"
    if args.dispatch_process:
        name = name.replace(".md", "-dispatch-process.md")
    (RESULTS / name).write_text(table + "\n")
    return 0 if clean and result.duplicate_events == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
