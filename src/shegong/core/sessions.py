# ruff: noqa: S608 - SQL written from model and column names; values always as parameters
"""Django's database sessions, read with one statement written once instead of an ORM query
built on every request (see `shegong.core.prepared`). Writing, expiry and clearing are Django's."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from shegong.core.prepared import column, table


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        sql = (
            f"SELECT {column(model, 'session_data', connection)} FROM {table(model, connection)}"
            f" WHERE {column(model, 'session_key', connection)} = %s"
            f" AND {column(model, 'expire_date', connection)} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
