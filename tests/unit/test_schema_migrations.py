"""The migrations build the schema the store's tables describe (``storage/schema.py``), and the
webhooks' migration goes down and up again cleanly, on SQLite."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from smsrelay.migrate import alembic_config, upgrade
from smsrelay.storage import SqlStore
from smsrelay.storage.schema import metadata

WEBHOOK_TABLES = {"webhook_secrets", "webhook_cursor", "webhook_deliveries", "webhook_attempts"}


def test_the_migrations_build_the_tables_the_store_describes(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    try:
        store.create_schema()
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        store.close()


def test_the_webhooks_migration_goes_down_and_up_again(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'relay.db'}")
    try:
        store.create_schema()
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0007")
        assert not WEBHOOK_TABLES & set(inspect(store.engine).get_table_names())
        upgrade(store.engine)
        assert set(inspect(store.engine).get_table_names()) >= WEBHOOK_TABLES
        assert store.webhooks.webhook_cursor().position == store.max_event_id()
    finally:
        store.close()
