"""The store's one writer: a thread that commits every waiting write together."""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")


@dataclass
class _Entry:
    """A write waiting for the writer: a job of its own, or an item of a bulk kind."""

    future: Future[Any]
    job: Callable[[Connection], Any] | None = None
    kind: str | None = None
    item: Any = None


class WriteQueue:
    """The store's only writer: one thread that runs every waiting write job in a single
    transaction (group commit). One durable commit then answers many requests, where a commit
    each would cap the relay at the disk's fsync rate, and SQLite never sees two writers.

    Items of a bulk kind (``submit_bulk``) that wait together are written by one call of the
    kind's handler, so a batch of new messages is one multi-row statement, not one each.

    A job that raises rolls its batch back; the batch's jobs are then run again one
    transaction each, so the others still commit and only the failing job reports its error.

    Several relay processes may share the database (``serve --workers``): with ``immediate``
    (SQLite) each transaction takes the database's write lock when it begins, so what a job
    reads is what it writes over; a kind's ``prelude`` runs first in every transaction that
    has items of that kind (PostgreSQL: the locks a kind needs, taken before any row lock).
    """

    MAX_BATCH = 256

    def __init__(
        self,
        engine: Engine,
        bulk: Mapping[str, Callable[[Connection, list[Any]], list[Any]]] | None = None,
        *,
        prelude: Mapping[str, Callable[[Connection, list[Any]], None]] | None = None,
        immediate: bool = False,
        lock_file: str | None = None,
    ) -> None:
        self._engine = engine
        self._bulk = dict(bulk or {})
        self._prelude = dict(prelude or {})
        self._immediate = immediate
        #: SQLite: the writers of several processes take turns through this file's lock. A
        #: writer that found SQLite's own lock taken slept in steps of up to 100 ms (its busy
        #: handler); one waiting for this lock wakes the moment the other commits.
        self._turns = _FileTurns(lock_file) if lock_file else None
        self._queue: queue.SimpleQueue[_Entry | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="smsrelay-writer", daemon=True)
        self._thread.start()

    def run(self, job: Callable[[Connection], T]) -> T:
        return self.submit(job).result()

    def submit(self, job: Callable[[Connection], T]) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put(_Entry(future, job=job))
        return future

    def submit_bulk(self, kind: str, item: Any) -> Future[Any]:
        """Queue ``item`` for the handler of ``kind``; the future gives its result."""
        future: Future[Any] = Future()
        self._queue.put(_Entry(future, kind=kind, item=item))
        return future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        if self._turns is not None:
            self._turns.close()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.MAX_BATCH:
                try:
                    follower = self._queue.get_nowait()
                except queue.Empty:
                    break
                if follower is None:
                    self._queue.put(None)  # finish this batch, then stop
                    break
                batch.append(follower)
            # A job whose caller gave up (a client that went away cancels the awaiting task,
            # and with it the future) is not run; the others are marked running, so a late
            # cancel can no longer make set_result raise and end this, the only writer.
            batch = [entry for entry in batch if entry.future.set_running_or_notify_cancel()]
            if not batch:
                continue
            try:
                with self._turn(), self._engine.begin() as conn:
                    results = self._execute(conn, batch)
            except BaseException:
                for entry in batch:
                    self._alone(entry)
                continue
            for entry, result in zip(batch, results, strict=True):
                entry.future.set_result(result)

    def _turn(self) -> contextlib.AbstractContextManager[None]:
        return self._turns.held() if self._turns is not None else contextlib.nullcontext()

    def _execute(self, conn: Connection, batch: list[_Entry]) -> list[Any]:
        """Run the batch in order; each bulk kind where its first item stands, all at once."""
        if self._immediate:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        results: dict[int, Any] = {}
        kinds: dict[str, list[int]] = {}
        for index, entry in enumerate(batch):
            if entry.kind is not None:
                kinds.setdefault(entry.kind, []).append(index)
        for kind, members in kinds.items():
            if kind in self._prelude:
                self._prelude[kind](conn, [batch[i].item for i in members])
        for index, entry in enumerate(batch):
            if entry.job is not None:
                results[index] = entry.job(conn)
            elif entry.kind is not None and index not in results:
                members = kinds[entry.kind]
                found = self._bulk[entry.kind](conn, [batch[i].item for i in members])
                results.update(zip(members, found, strict=True))
        return [results[index] for index in range(len(batch))]

    def _alone(self, entry: _Entry) -> None:
        try:
            with self._turn(), self._engine.begin() as conn:
                (result,) = self._execute(conn, [entry])
            entry.future.set_result(result)
        except BaseException as error:  # the caller hears about it; nothing is left hanging
            entry.future.set_exception(error)


class _FileTurns:
    """An exclusive lock on a file (``flock``), held around one transaction. The file is
    opened at the first turn: the store exists before its data folder does."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
