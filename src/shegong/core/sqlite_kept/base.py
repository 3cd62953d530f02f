"""Django's SQLite backend, with its connections kept for the next request (issue #13).

The web server (`shegong runserver`, `make serve`) answers each request on a new thread, and
Django's connections belong to a thread: every request opened the database file again, and the
first statement on a new connection parses the whole schema (hundreds of tables), about as long
as a page's own queries. Here a closed connection that is outside any transaction goes back to a
small process-wide pool and the next request takes it, schema parsed, PRAGMAs set. At the end
of a request the connection is returned even when CONN_MAX_AGE would keep it (the thread that
holds it ends with the request). A connection is used by one thread at a time (Django's own
checks still apply). In-memory databases (the tests) are never closed by Django and never
pooled. A file that has been replaced (a test template database rebuilt) is not read through an
old connection: the pool is keyed by the file's device and inode. See decision 0018.
"""

from __future__ import annotations

import os
import threading

from django.db.backends.sqlite3 import base as sqlite_base

KEPT_PER_FILE = 8
_kept: dict[tuple, list] = {}
_lock = threading.Lock()


def _file_key(name: str) -> tuple | None:
    try:
        stat = os.stat(name)
    except (OSError, TypeError, ValueError):
        return None
    return (str(name), stat.st_dev, stat.st_ino)


def _drop_replaced(key: tuple) -> list:
    """Connections kept for an earlier file of the same name (to be closed by the caller)."""
    stale = []
    for other in [k for k in _kept if k[0] == key[0] and k != key]:
        stale += _kept.pop(other)
    return stale


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    _kept_key: tuple | None = None

    def get_new_connection(self, conn_params):
        key = None if self.is_in_memory_db() else _file_key(self.settings_dict["NAME"])
        conn, stale = None, []
        if key is not None:
            with _lock:
                stale = _drop_replaced(key)
                waiting = _kept.get(key)
                if waiting:
                    conn = waiting.pop()
        for old in stale:
            old.close()
        if conn is None:
            conn = super().get_new_connection(conn_params)
            if key is None and not self.is_in_memory_db():  # a file this connection created
                key = _file_key(self.settings_dict["NAME"])
        self._kept_key = key
        return conn

    def close_if_unusable_or_obsolete(self):
        """At the start and end of every request: a file database's connection goes back to
        the pool (whatever CONN_MAX_AGE says — a thread that ends would otherwise drop it)."""
        if (
            self.connection is not None
            and self._kept_key is not None
            and not self.in_atomic_block
            and self.get_autocommit()
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()

    def _close(self):
        conn, key = self.connection, self._kept_key
        if (
            conn is not None
            and key is not None
            and not self.in_atomic_block
            and not conn.in_transaction
        ):
            with _lock:
                waiting = _kept.setdefault(key, [])
                if len(waiting) < KEPT_PER_FILE:
                    waiting.append(conn)
                    return
        super()._close()
