"""The writer's per-message statements, compiled once and run on the driver's own cursor.

A Core statement that is already built still costs SQLAlchemy a cache key, a cache look-up
and an execution context on every run — about as much as SQLite's work for a one-row update,
and the one writer thread runs several per message (a receipt: up to seven). A ``Prepared``
statement is compiled for the dialect when the store opens, and each run hands the driver
the SQL and its parameters in the transaction the writer holds, as SQLAlchemy itself would.
Values go to the driver as they are (strings, integers, None, booleans) and come back as the
driver gives them; driver errors are raised as SQLAlchemy's, like every other statement's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError


class Prepared:
    """One statement, compiled for ``dialect``; its parameters by their bind names."""

    def __init__(
        self, statement: Any, dialect: Dialect, columns: Sequence[str] | None = None
    ) -> None:
        # An INSERT names its columns: without, it would bind every column (the id too).
        compiled = statement.compile(
            dialect=dialect, column_keys=None if columns is None else list(columns)
        )
        self.sql = compiled.string
        #: Values written into the statement itself (``claimed_by=None``, ``attempts + 1``).
        self._defaults = dict(compiled.params)
        self._order = tuple(compiled.positiontup or ()) if compiled.positional else None

    def run(self, conn: Connection, values: Mapping[str, Any]) -> int:
        """Rows changed."""
        cursor = self._execute(conn, values)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def first(self, conn: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The first row by column name, or None."""
        cursor = self._execute(conn, values)
        try:
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip((d[0] for d in cursor.description), row, strict=True))
        finally:
            cursor.close()

    def many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """The statement once for each of ``rows`` (the driver's executemany)."""
        parameters = [self._parameters(values) for values in rows]
        self._cursor(conn, lambda cursor: cursor.executemany(self.sql, parameters)).close()

    def all(self, conn: Connection, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        cursor = self._execute(conn, values)
        try:
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def _execute(self, conn: Connection, values: Mapping[str, Any]) -> Any:
        parameters = self._parameters(values)
        return self._cursor(conn, lambda cursor: cursor.execute(self.sql, parameters))

    def _parameters(self, values: Mapping[str, Any]) -> Any:
        merged = {**self._defaults, **values}
        order = self._order
        return tuple(merged[name] for name in order) if order is not None else merged

    def _cursor(self, conn: Connection, run: Callable[[Any], object]) -> Any:
        """A cursor of the transaction's own connection that ``run`` executed on; driver
        errors raised as SQLAlchemy's (the parameters, customers' numbers, left out)."""
        dbapi = conn.dialect.loaded_dbapi
        cursor = conn.connection.cursor()
        try:
            run(cursor)
        except dbapi.Error as error:
            cursor.close()
            raise DBAPIError.instance(
                self.sql, None, error, dbapi.Error, hide_parameters=True
            ) from error
        return cursor
