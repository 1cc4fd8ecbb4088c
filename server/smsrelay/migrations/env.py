"""Alembic environment: migrations run on the engine the relay hands over."""

from alembic import context

from smsrelay.store import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
