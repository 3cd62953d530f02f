# ruff: noqa: S608 - SQL written from model and column names; values always as parameters
"""Sign-in by username and password (Django's ModelBackend), refused before the password is
checked while the account name or the client address is locked (`signin.lockout`); the
signed-in user is read back on each request with one statement written once (see
`shegong.core.prepared`)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections, router

from shegong.accounts.models import User
from shegong.core.prepared import ModelColumns, column, table

_statements: dict[str, tuple[str, ModelColumns]] = {}


def _statement(connection) -> tuple[str, ModelColumns]:
    cached = _statements.get(connection.alias)
    if cached is None:
        columns = ModelColumns(User, "u", connection)
        sql = (
            f"SELECT {columns.sql} FROM {table(User, connection)} u"
            f" WHERE u.{column(User, 'id', connection)} = %s"
        )
        cached = _statements[connection.alias] = (sql, columns)
    return cached


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            from shegong.accounts.signin.lockout import active_locks

            name = username if username is not None else kwargs.get(User.USERNAME_FIELD)
            locks = active_locks(username=name, request=request)
            if locks:
                # Django stops here and sends `user_login_failed`, which does not count it again.
                request.signin_locks = locks
                request.signin_refused_locked = True
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        connection = connections[router.db_for_read(User)]
        sql, columns = _statement(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user = columns.instance(list(row))
        return user if self.user_can_authenticate(user) else None
