"""HTTP/1.1 over one asyncio connection, in as few steps as a load generator can afford.

An agent of the load generator (``agent_load.py``) holds one keep-alive connection for its
sends and one for its event stream, as a browser tab does. With an ``httpx`` client per agent,
the generator (with its SMSC and set-up) took 3.7 ms of CPU per message sent, more than the
relay's 2.3 ms, so on two cores it measured its own waits for a CPU as the relay's latency;
with this, 1.9 ms (2,000 agents, 200 sending, 20 s). It is only what that traffic needs:
requests with a Content-Length, answers with a Content-Length or chunked (an event stream);
no redirects, no TLS, no proxies.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any


class HttpError(Exception):
    """The connection failed, closed, or answered what is not HTTP/1.1."""


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """One keep-alive connection to ``127.0.0.1:port``, opened on first use."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes = b"",
    ) -> Answer:
        """A whole answer (not an event stream: see ``stream``)."""
        reader = await self._send(method, path, headers, body)
        status, found = await _head(reader)
        if "content-length" in found:
            content = await reader.readexactly(int(found["content-length"]))
        else:
            content = b"".join([chunk async for chunk in _chunks(reader)])
        if found.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, found, content)

    async def post_json(self, path: str, payload: Any, headers: Mapping[str, str]) -> Answer:
        body = json.dumps(payload).encode()
        return await self.request(
            "POST", path, {**headers, "Content-Type": "application/json"}, body
        )

    async def stream(
        self, path: str, headers: Mapping[str, str]
    ) -> tuple[int, AsyncIterator[bytes]]:
        """GET an event stream: the status, and its lines as they come (without line ends)."""
        reader = await self._send("GET", path, {**headers, "Accept": "text/event-stream"}, b"")
        status, found = await _head(reader)
        chunked = found.get("transfer-encoding", "").lower() == "chunked"
        return status, _lines(_chunks(reader) if chunked else _raw(reader))

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()

    async def _send(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> asyncio.StreamReader:
        try:
            if self._writer is None:
                self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
            assert self._reader is not None
            lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await self._writer.drain()
            return self._reader
        except OSError as error:
            await self.close()
            raise HttpError(f"{type(error).__name__}: {error}") from error


async def _head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError) as error:
        raise HttpError(f"no answer: {type(error).__name__}") from error
    status_line, *lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise HttpError(f"not an HTTP answer: {status_line!r}")
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def _chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """A chunked body's chunks, until its last (empty) one or the connection's end."""
    try:
        while True:
            size_line = await reader.readline()
            if not size_line:
                return
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return
            chunk = await reader.readexactly(size)
            await reader.readexactly(2)
            yield chunk
    except (asyncio.IncompleteReadError, OSError, ValueError) as error:
        raise HttpError(f"body cut off: {type(error).__name__}") from error


async def _raw(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """A body without a length: whatever comes until the connection ends."""
    try:
        while data := await reader.read(65536):
            yield data
    except OSError as error:
        raise HttpError(f"body cut off: {type(error).__name__}") from error


async def _lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Lines across chunk boundaries (an event may be split anywhere)."""
    pending = b""
    async for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line.rstrip(b"\r")
