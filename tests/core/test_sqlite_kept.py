"""The SQLite backend keeps a closed connection for the next request (core/sqlite_kept)."""

from __future__ import annotations

import copy
import os

import pytest
from django.db import connections

from shegong.core.sqlite_kept import base as kept


@pytest.fixture(autouse=True)
def _own_files(django_db_blocker):
    with django_db_blocker.unblock():  # these tests open database files of their own
        yield


@pytest.fixture
def wrapper_for(tmp_path):
    made = []

    def make(name="kept.sqlite3"):
        settings_dict = copy.deepcopy(connections["default"].settings_dict)
        settings_dict["ENGINE"] = "shegong.core.sqlite_kept"
        settings_dict["NAME"] = str(tmp_path / name)
        settings_dict["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL"}
        wrapper = kept.DatabaseWrapper(settings_dict, alias=f"kept{len(made)}")
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        wrapper.close()
    with kept._lock:
        for key in [k for k in kept._kept if k[0].startswith(str(tmp_path))]:
            for conn in kept._kept.pop(key):
                conn.close()


def _raw(wrapper):
    wrapper.ensure_connection()
    return wrapper.connection


def test_a_closed_connection_is_taken_by_the_next_one(wrapper_for):
    first = wrapper_for()
    raw = _raw(first)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
    first.close()
    second = wrapper_for()
    assert _raw(second) is raw  # the same connection, its schema already read
    with second.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (0,)


def test_a_connection_inside_a_transaction_is_not_kept(wrapper_for):
    first = wrapper_for()
    raw = _raw(first)
    raw.execute("BEGIN")
    first.close()
    assert _raw(wrapper_for()) is not raw


def test_end_of_request_returns_the_connection_whatever_conn_max_age(wrapper_for):
    first = wrapper_for()
    first.settings_dict["CONN_MAX_AGE"] = 600
    raw = _raw(first)
    first.close_if_unusable_or_obsolete()  # what request_finished runs
    assert first.connection is None
    assert _raw(wrapper_for()) is raw


def test_a_replaced_file_is_not_read_through_an_old_connection(wrapper_for, tmp_path):
    first = wrapper_for()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE old_table (x integer)")
    first.close()
    os.remove(tmp_path / "kept.sqlite3")
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"kept.sqlite3{suffix}").unlink(missing_ok=True)
    second = wrapper_for()
    with second.cursor() as cursor:  # a new, empty file: nothing of the old one
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'old_table'")
        assert cursor.fetchone() == (0,)
