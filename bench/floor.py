"""The floor under the relay's accept rate: the least a Python server must do per message.

Not a product: a measuring stick for bench/relay.py. Per ``POST`` it reads the JSON body, runs
the compose core's ``check_outgoing`` (the re-check the relay may not skip), and stores the
message durably exactly as the relay's SQLite store does (WAL, ``synchronous=FULL``, many
messages per commit, the answer only after the commit). No token, no idempotency answer, no
rate limit, no dispatcher, no event feed, no middleware, no logging. Whatever the relay reaches,
it cannot pass this on the same machine, so this row says how much of a gap to Kannel is ours
and how much is the language's.

Run: ``python bench/floor.py --config relay.toml --database floor.db --port P``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import queue
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "widget" / "py")]

import uvicorn  # noqa: E402

from smscompose import check_outgoing  # noqa: E402
from smsrelay.settings import load_settings  # noqa: E402

Pending = tuple[tuple[str, str, str, str, int], asyncio.Future[None]]


class Floor:
    def __init__(self, config: Path, database: Path) -> None:
        tenant = next(iter(load_settings(config).tenants.values()))
        self.compose = tenant.compose_config(None)
        self.database = database
        self.pending: queue.SimpleQueue[Pending] = queue.SimpleQueue()
        self.count = 0

    def write_forever(self, loop: asyncio.AbstractEventLoop) -> None:
        db = sqlite3.connect(self.database, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, key TEXT UNIQUE,"
            " to_number TEXT, text TEXT, segments INTEGER)"
        )
        while True:
            batch = [self.pending.get()]
            while len(batch) < 500 and not self.pending.empty():
                batch.append(self.pending.get())
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO messages VALUES (?, ?, ?, ?, ?)", [row for row, _ in batch])
            db.execute("COMMIT")
            loop.call_soon_threadsafe(_settle, [done for _, done in batch])

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()  # lifespan.startup
            loop = asyncio.get_running_loop()
            threading.Thread(target=self.write_forever, args=(loop,), daemon=True).start()
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        fields = json.loads(body)
        check = check_outgoing(
            self.compose,
            queue_id=fields["queue_id"],
            sender=fields["from"],
            to=fields["to"],
            text=fields["text"],
        )
        if not check.ok or check.number is None or check.number.e164 is None:
            await _answer(send, 422, {"problems": [p.code for p in check.problems]})
            return
        self.count += 1
        row_id = f"msg_{time.time_ns()}_{self.count}"
        key = dict(scope["headers"]).get(b"idempotency-key", row_id.encode()).decode()
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        row = (row_id, key, check.number.e164, fields["text"], check.message.segments)
        self.pending.put((row, stored))
        await stored
        encoding = str(check.message.encoding)
        answer = {"id": row_id, "status": "queued", "encoding": encoding}
        await _answer(send, 202, {**answer, "segments": check.message.segments})


def _settle(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        future.set_result(None)


async def _answer(send: Any, status: int, body: dict[str, Any]) -> None:
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Floor(args.config, args.database)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
