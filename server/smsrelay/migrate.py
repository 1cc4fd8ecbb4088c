"""Schema migrations with Alembic, run programmatically at start-up (no alembic.ini needed).

Several relays may start at once on one database: the migration runs under a lock (a
PostgreSQL advisory lock; a file lock beside an SQLite database), so the first one migrates and
the others find the schema up to date.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

#: An arbitrary, fixed key for pg_advisory_lock ("smsrelay" in ASCII, trimmed to 63 bits).
_ADVISORY_KEY = 0x736D7372656C6179


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("smsrelay") / "migrations"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _migration_lock(engine), engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
            try:
                yield
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
                lock.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.migrate-lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
