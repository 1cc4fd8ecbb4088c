"""Many agents at once: each sends, follows its status on the event stream, and sends again.

Used by the load test (``test_many_agents.py``, seconds) and the benchmark (``bench/agents.py``,
a minute). Each agent has its own token, holds ``GET /v1/events`` open from the start, and loops:
``POST /v1/messages``, wait until its event stream says ``delivered``, think, send the next.
With ``senders`` fewer than ``agents``, the others only hold their event streams open, as most
agents of a contact center do most of the time. Every agent talks plain HTTP/1.1 over
connections of its own (``plain_http.py``): an HTTP client object each would make the load
generator, not the relay, the bottleneck.
Every number is sent once at most; the SMSC behind the relay counts what it took, so a lost or
doubled message shows. The relay's resident memory is sampled every second. Bounded in time and
count: sending stops after ``seconds``, then what is still on its way gets ``drain`` seconds.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from smsrelay.auth import mint_token
from smsrelay.settings import load_settings
from tests.support.plain_http import Connection, HttpError
from tests.support.relay_process import RelayProcess, body, headers, number_in

#: How long an agent waits for its message to be delivered before it counts as an error.
DELIVERY_TIMEOUT = 30.0


@dataclass
class LoadResult:
    agents: int
    seconds: float
    accepted: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    lost: int = 0
    sent_twice: int = 0
    duplicate_events: int = 0
    delivered: int = 0
    #: Agents that only held their event stream open, and how many of those streams stayed
    #: open (answered 200, never closed by the relay) until the end.
    idle: int = 0
    idle_open: int = 0
    #: The relay's CPU time, and its threads' time waiting for a CPU, while agents sent.
    relay_cpu_s: float = 0.0
    relay_waited_s: float = 0.0

    @property
    def accepted_per_second(self) -> float:
        return self.accepted / self.seconds

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def rss_growth_mib(self) -> float:
        """From the first sample after the warm-up quarter to the last."""
        settled = self.rss_mib[len(self.rss_mib) // 4 :] or self.rss_mib
        return settled[-1] - settled[0] if settled else 0.0

    def table(self) -> str:
        rss = self.rss_mib
        return "\n".join(
            [
                "| Agents (streams open) | Sending | Seconds | Sent | Accepted/s | p50 | p99 "
                "| Errors | RSS start → end | Lost | Sent twice |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
                f"| {self.agents:,} ({self.agents - self.idle + self.idle_open:,}) "
                f"| {self.agents - self.idle:,} | {self.seconds:.0f} | {self.accepted:,} "
                f"| {self.accepted_per_second:,.0f} | {self.percentile(0.5):.1f} ms "
                f"| {self.percentile(0.99):.1f} ms | {sum(self.errors.values())} "
                f"| {rss[0]:.0f} → {rss[-1]:.0f} MiB (max {max(rss):.0f}) "
                f"| {self.lost} | {self.sent_twice} |",
                "",
                f"The relay used {self.relay_cpu_s:.1f} s of CPU meanwhile "
                f"({1000 * self.relay_cpu_s / max(1, self.accepted):.1f} ms per message sent), "
                f"and its threads waited {self.relay_waited_s:.1f} s for a CPU.",
            ]
        )


class _Agent:
    def __init__(self, index: int, token: str, port: int) -> None:
        self.index = index
        self.token = token
        #: Its own connections, as each agent has its own browser: one for sending, one for
        #: its event stream.
        self.sends = Connection(port)
        self.events = Connection(port)
        self.statuses: dict[str, list[str]] = {}
        self.delivered: dict[str, asyncio.Event] = {}
        self.stream_open = asyncio.Event()


async def run_load(
    relay: RelayProcess,
    submitted: Any,
    *,
    agents: int,
    seconds: float,
    think: float = 1.0,
    drain: float = 30.0,
    senders: int | None = None,
) -> LoadResult:
    """Drive the relay; ``submitted()`` gives the SMSC's submit_sm records at the end.
    ``senders`` of the ``agents`` send (default: all); the rest hold their streams open."""
    senders = agents if senders is None else senders
    result = LoadResult(agents, seconds, idle=agents - senders)
    settings = load_settings(relay.config)
    numbers = iter(range(1_000_000))
    accepted_numbers: list[int] = []
    stop_sending = asyncio.Event()

    crew = [
        _Agent(
            i,
            mint_token(settings, tenant="acme", agent=f"agent-{i:03d}", ttl_seconds=3600),
            relay.port,
        )
        for i in range(senders)
    ]
    try:
        idle_tokens = [
            mint_token(settings, tenant="acme", agent=f"agent-{i:04d}", ttl_seconds=3600)
            for i in range(senders, agents)
        ]
        idle_open: set[int] = set()

        async def hold(index: int, token: str) -> None:
            """An agent that only has its event stream open: a plain connection, read and
            discarded; it counts as open from the relay's 200 until the relay closes it."""
            events = Connection(relay.port)
            try:
                status, lines = await events.stream("/v1/events", headers(token))
                if status != 200:
                    result.errors[f"idle stream: HTTP {status}"] += 1
                    return
                idle_open.add(index)
                async for _ in lines:
                    pass
                idle_open.discard(index)  # the relay ended it
                result.errors["idle stream closed by the relay"] += 1
            except HttpError as error:
                idle_open.discard(index)
                result.errors[f"idle stream: {error}"] += 1
            finally:
                await events.close()

        async def follow(agent: _Agent) -> None:
            try:
                status, lines = await agent.events.stream("/v1/events", headers(agent.token))
                if status != 200:
                    result.errors[f"events HTTP {status}"] += 1
                    return
                agent.stream_open.set()
                async for line in lines:
                    if not line.startswith(b"data: "):
                        continue
                    event = json.loads(line[6:])
                    seen = agent.statuses.setdefault(event["id"], [])
                    if event["status"] in seen:
                        result.duplicate_events += 1
                    seen.append(event["status"])
                    if event["status"] == "delivered":
                        agent.delivered.setdefault(event["id"], asyncio.Event()).set()
            except HttpError as error:
                result.errors[f"events: {error}"] += 1

        async def send(agent: _Agent) -> None:
            await asyncio.wait_for(agent.stream_open.wait(), 30)
            while not stop_sending.is_set():
                number = next(numbers)
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(30):
                        answer = await agent.sends.post_json(
                            "/v1/messages", body(number), headers(agent.token, f"load-{number}")
                        )
                except (HttpError, TimeoutError) as error:
                    await agent.sends.close()  # half an exchange: the next send reconnects
                    result.errors[f"POST: {type(error).__name__}"] += 1
                    continue
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 202:
                    result.errors[f"POST HTTP {answer.status_code}"] += 1
                    continue
                result.accepted += 1
                accepted_numbers.append(number)
                message_id = answer.json()["id"]
                done = agent.delivered.setdefault(message_id, asyncio.Event())
                try:
                    await asyncio.wait_for(done.wait(), DELIVERY_TIMEOUT)
                except TimeoutError:
                    result.errors["not delivered in time"] += 1
                await asyncio.sleep(think)

        async def sample() -> None:
            while True:
                result.rss_mib.append(relay.rss_mib())
                await asyncio.sleep(1.0)

        holders = [asyncio.create_task(hold(i, t)) for i, t in enumerate(idle_tokens)]
        # Every idle stream is open (or has failed) before anybody sends.
        deadline = time.monotonic() + 60
        while len(idle_open) + sum(result.errors.values()) < len(holders):
            if time.monotonic() > deadline:
                result.errors["idle streams not open within 60 s"] += 1
                break
            await asyncio.sleep(0.1)
        followers = [asyncio.create_task(follow(a)) for a in crew]
        cpu_before = relay.cpu_seconds()
        sampler = asyncio.create_task(sample())
        senders = [asyncio.create_task(send(a)) for a in crew]
        started = time.monotonic()
        await asyncio.sleep(seconds)
        stop_sending.set()
        result.seconds = time.monotonic() - started
        result.idle_open = len(idle_open)
        cpu_after = relay.cpu_seconds()
        result.relay_cpu_s = cpu_after[0] - cpu_before[0]
        result.relay_waited_s = cpu_after[1] - cpu_before[1]
        # Whoever is waiting for a delivery finishes that wait (bounded by DELIVERY_TIMEOUT).
        _, pending = await asyncio.wait(senders, timeout=drain)
        for task in [*pending, *followers, *holders, sampler]:
            task.cancel()
        await asyncio.gather(*pending, *followers, *holders, sampler, return_exceptions=True)
        result.rss_mib.append(relay.rss_mib())
    finally:
        for agent in crew:
            await agent.sends.close()
            await agent.events.close()

    result.delivered = sum(
        1 for a in crew for statuses in a.statuses.values() if "delivered" in statuses
    )
    taken = Counter(
        number_in(bytes.fromhex(r["short_message"]).decode("latin-1"))
        for r in submitted()
        if r["command_status"] == 0
    )
    result.lost = len(set(accepted_numbers) - set(taken)) + max(
        0, len(accepted_numbers) - result.delivered
    )
    result.sent_twice = sum(1 for count in taken.values() if count > 1)
    result.errors.update({"sent but not accepted": len(set(taken) - set(accepted_numbers))})
    result.errors = +result.errors  # drop zero counts
    if result.latencies_ms:
        result.latencies_ms.sort()
        assert statistics.median(result.latencies_ms) >= 0
    return result
