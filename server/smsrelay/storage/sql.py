"""``SqlStore``: the storage adapter for SQLite and PostgreSQL, made of one part per table
family that all write through one ``WriteQueue``."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import ConnectionPoolEntry

from .claims import SqlClaims
from .conversations import SqlConversations
from .drafts import SqlDrafts
from .events import SqlEvents
from .messages import INSERT_MESSAGE, SqlMessages, insert_messages
from .optouts import SqlOptOuts
from .rates import lock_tenants
from .receipt_batch import apply_receipts
from .receipts import APPLY_RECEIPT, SqlReceipts
from .statements import Statements
from .tenants import SqlTenants
from .usage import SqlUsage
from .webhooks import SqlWebhooks
from .writer import WriteQueue


class SqlStore:
    """The storage adapter for SQLite and PostgreSQL."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = _driver_url(url)
        self.dialect = "postgresql" if self.url.startswith("postgresql") else "sqlite"
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        # Errors are logged; their bound parameters would be customers' numbers and texts.
        self.engine: Engine = create_engine(self.url, hide_parameters=True, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._closed = False
        event.listen(self.engine, "checkin", self._close_if_late)
        self._sql = Statements(self.engine.dialect)
        self._writes = WriteQueue(
            self.engine,
            bulk={
                INSERT_MESSAGE: partial(insert_messages, self._sql),
                APPLY_RECEIPT: partial(apply_receipts, self._sql),
            },
            prelude={INSERT_MESSAGE: lock_tenants},
            immediate=self.dialect == "sqlite",
            lock_file=_writer_lock_file(self.engine),
        )
        self.messages = SqlMessages(self.engine, self._sql, self._writes)
        self.claims = SqlClaims(self.engine, self._sql, self._writes)
        self.receipts = SqlReceipts(self.engine, self._sql, self._writes)
        self.events = SqlEvents(self.engine, self._sql)
        self.drafts = SqlDrafts(self.engine, self._writes)
        self.optouts = SqlOptOuts(self.engine, self._sql, self._writes)
        self.tenants = SqlTenants(self.engine, self._writes)
        self.conversations = SqlConversations(self.engine, self._writes)
        self.webhooks = SqlWebhooks(self.engine, self._writes)
        # The parts' methods are the store's own: callers see one store, whose parts share
        # one writer (and so one transaction per batch of writes).
        self.insert_message = self.messages.insert_message
        self.find_by_key = self.messages.find_by_key
        self.get_message = self.messages.get_message
        self.list_messages = self.messages.list_messages
        self.submit_cancel = self.messages.submit_cancel
        self.submit_claim_due = self.claims.submit_claim_due
        self.submit_record_attempt = self.claims.submit_record_attempt
        self.submit_release_claim = self.claims.submit_release_claim
        self.submit_renew_claims = self.claims.submit_renew_claims
        self.submit_resolve_unreported = self.claims.submit_resolve_unreported
        self.submit_apply_receipt = self.receipts.submit_apply_receipt
        self.receipts_seen = self.receipts.receipts_seen
        self.events_after = self.events.events_after
        self.events_since = self.events.events_since
        self.max_event_id = self.events.max_event_id
        self.submit_store_inbound = self.conversations.submit_store_inbound
        self.submit_inbound_part = self.conversations.submit_inbound_part
        self.get_inbound = self.conversations.get_inbound
        self.get_conversation = self.conversations.get_conversation
        self.list_conversations = self.conversations.list_conversations
        self.thread = self.conversations.thread
        self.mark_read = self.conversations.mark_read
        self.create_draft = self.drafts.create_draft
        self.list_drafts = self.drafts.list_drafts
        self.get_draft = self.drafts.get_draft
        self.update_draft = self.drafts.update_draft
        self.delete_draft = self.drafts.delete_draft
        self.last_tenant_change = self.tenants.last_tenant_change
        self.current_tenants = self.tenants.current_tenants
        self.tenant_secrets = self.tenants.tenant_secrets
        self.webhook_secrets = self.tenants.webhook_secrets
        self.save_revision = self.tenants.save_revision
        self.seed_tenants = self.tenants.seed_tenants
        self.tenant_revisions = self.tenants.tenant_revisions
        self.tenant_revision = self.tenants.tenant_revision
        self.usage = SqlUsage(self.engine).usage

    def create_schema(self) -> None:
        """Bring the schema up to date (Alembic migrations)."""
        from ..migrate import upgrade

        upgrade(self.engine)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        self._writes.close()
        self._closed = True
        self.engine.dispose()

    def _close_if_late(self, _dbapi_connection: object, entry: ConnectionPoolEntry) -> None:
        """A read that was still running when the store closed (in a thread nobody waits
        for any more) hands its connection back to a pool ``dispose`` has already emptied,
        where it would stay open until the garbage collector found it. Closed through its
        pool entry, which then opens a new one should anything still ask."""
        if self._closed:
            entry.close()


def _writer_lock_file(engine: Engine) -> str | None:
    """Beside a SQLite file: the lock its writers (one per relay process) take turns by."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}.writer-lock"


def _driver_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer commits; FULL makes each commit durable even
    # across a power cut, which "stored before 202" promises.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
