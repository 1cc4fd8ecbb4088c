"""The one :class:`~sqlalchemy.MetaData` every table of the relay is defined on: ``schema.py``
and the table families beside it (``schema_conversations.py``, ``schema_webhooks.py``); the
Alembic migrations' target."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
