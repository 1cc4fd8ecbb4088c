"""Parked drafts, per agent, each with a version that an update must name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, select, update

from .rows import DraftRow, new_id
from .schema import drafts
from .writer import WriteQueue


class SqlDrafts:
    def __init__(self, engine: Engine, writes: WriteQueue) -> None:
        self.engine = engine
        self._writes = writes

    def create_draft(self, tenant: str, agent: str, body: str, now: int) -> DraftRow:
        draft_id = new_id("drf", now)
        create = insert(drafts).values(
            id=draft_id,
            tenant=tenant,
            agent=agent,
            body=body,
            version=1,
            created_at=now,
            updated_at=now,
        )
        self._writes.run(lambda conn: conn.execute(create))
        return DraftRow(draft_id, body, 1, now, now)

    def list_drafts(self, tenant: str, agent: str) -> list[DraftRow]:
        query = (
            select(drafts)
            .where(drafts.c.tenant == tenant, drafts.c.agent == agent)
            .order_by(drafts.c.updated_at.desc())
        )
        with self.engine.connect() as conn:
            return [_draft(r) for r in conn.execute(query).mappings()]

    def get_draft(self, tenant: str, agent: str, draft_id: str) -> DraftRow | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(drafts).where(_draft_key(tenant, agent, draft_id)))
                .mappings()
                .first()
            )
        return _draft(row) if row else None

    def update_draft(
        self, tenant: str, agent: str, draft_id: str, body: str, version: int | None, now: int
    ) -> DraftRow | bool | None:
        """Replace a draft; ``version`` (if given) must match. None: no such draft; False: the
        version did not match."""
        where = _draft_key(tenant, agent, draft_id)

        def replace_body(conn: Connection) -> DraftRow | bool | None:
            current = conn.execute(select(drafts).where(where)).mappings().first()
            if current is None:
                return None
            if version is not None and current["version"] != version:
                return False
            conn.execute(
                update(drafts)
                .where(where)
                .values(body=body, version=current["version"] + 1, updated_at=now)
            )
            return DraftRow(draft_id, body, current["version"] + 1, current["created_at"], now)

        return self._writes.run(replace_body)

    def delete_draft(self, tenant: str, agent: str, draft_id: str) -> bool:
        delete = drafts.delete().where(_draft_key(tenant, agent, draft_id))
        return bool(self._writes.run(lambda conn: conn.execute(delete).rowcount))


def _draft_key(tenant: str, agent: str, draft_id: str) -> Any:
    return and_(drafts.c.id == draft_id, drafts.c.tenant == tenant, drafts.c.agent == agent)


def _draft(row: Mapping[Any, Any]) -> DraftRow:
    return DraftRow(row["id"], row["body"], row["version"], row["created_at"], row["updated_at"])
