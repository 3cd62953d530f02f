"""PostgreSQL, for a replica's alias: when the replica does not answer, the alias's connection
is made to the primary instead and the replica is taken out (`shegong.core.dbrouting`), so an
unreachable replica never breaks a page. A read whose connection breaks mid-request is run
again on the primary. Only reads come here (the router sends every write, and every read inside
a transaction, to the primary), so running a failed statement again is safe."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql import base as postgresql
from django.db.backends.utils import CursorWrapper
from django.db.utils import InterfaceError, OperationalError


class FallBackToPrimary:
    """Runs a statement again on the primary when the replica's connection broke."""

    def _execute(self, sql, params, *ignored_wrapper_args):
        try:
            return super()._execute(sql, params, *ignored_wrapper_args)
        except (OperationalError, InterfaceError) as exc:
            if not self.db.switch_to_primary(f"failed mid-request ({type(exc).__name__})"):
                raise
            self.cursor = self.db.create_cursor()
            return super()._execute(sql, params, *ignored_wrapper_args)


class ReplicaCursorWrapper(FallBackToPrimary, CursorWrapper):
    pass


class ReplicaCursorDebugWrapper(FallBackToPrimary, postgresql.CursorDebugWrapper):
    pass


class DatabaseWrapper(postgresql.DatabaseWrapper):
    on_primary = False  # this connection went to the primary in the replica's place

    def get_new_connection(self, conn_params):
        if not self.on_primary:
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError as exc:
                self._mark_out(f"unreachable ({type(exc).__name__})")
                self.on_primary = True
        return super().get_new_connection(connections[DEFAULT_DB_ALIAS].get_connection_params())

    def switch_to_primary(self, reason: str) -> bool:
        """Reconnect to the primary after the replica's connection broke; False when that is not
        safe (inside a transaction) or already done."""
        if self.on_primary or self.in_atomic_block:
            return False
        self._mark_out(reason)
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - the broken connection is dropped either way
            pass
        self.connection = None
        self.on_primary = True
        self.ensure_connection()
        return True

    def _mark_out(self, reason: str) -> None:
        from shegong.core import dbrouting

        dbrouting.mark_out(self.alias, reason)

    def close_if_unusable_or_obsolete(self):
        # A connection made to the primary in the replica's place lasts one request: the next
        # uses the replica again once a check finds it well.
        if self.on_primary:
            self.close()
            self.on_primary = False
            return
        super().close_if_unusable_or_obsolete()

    def close(self):
        super().close()
        if self.connection is None:
            self.on_primary = False

    def make_cursor(self, cursor):
        return ReplicaCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor):
        return ReplicaCursorDebugWrapper(cursor, self)
