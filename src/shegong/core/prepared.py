"""Statements written once from the models' fields, for the reads every request makes.

Every page reads the session, the signed-in user and the user's memberships before it does its
own work. Built by the ORM, those three small reads took about three times as long in Python as
in the database; written once from the models' fields and then only run, they cost little more
than the database time. The rows become the same model instances the ORM gives: the same
columns, through the same backend and field converters, made by `Model.from_db`.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Model


class ModelColumns:
    """The concrete columns of `model` under a table alias, at `start` in a row of results."""

    def __init__(self, model: type[Model], alias: str, connection, start: int = 0):
        self.model = model
        self.alias = alias
        self.connection = connection
        fields = model._meta.concrete_fields
        self.names = [f.attname for f in fields]
        self.start, self.end = start, start + len(fields)
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in fields)
        self.converters = []
        for i, f in enumerate(fields):
            col = f.get_col(alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((start + i, found, col))

    def instance(self, row: list[Any]) -> Model:
        """The model instance of this part of `row` (converted in place)."""
        connection = self.connection
        for index, functions, col in self.converters:
            value = row[index]
            for convert in functions:
                value = convert(value, col, connection)
            row[index] = value
        return self.model.from_db(connection.alias, self.names, row[self.start : self.end])


def table(model: type[Model], connection) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str, connection) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


class CompiledRows:
    """The rows of a `values_list` queryset whose SQL is compiled once per key.

    `build()` makes the queryset with the ORM (so scoping and every filter are the usual ones);
    the key must name everything `build` depends on (user, jurisdiction, dates, limits). The
    first call for a key compiles the SQL and works out the columns' converters; later calls
    only run the statement and convert the values, as the ORM would.
    """

    def __init__(self, max_keys: int = 2048):
        self.max_keys = max_keys
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def rows(self, key: tuple, build, params: list | tuple | None = None) -> list[tuple]:
        """`params`, when given, are the values the statement runs with in place of those
        `build()` compiled: the same values, in the order the SQL takes them, the first time
        (checked), and values of the same shape later — so one compiled statement serves every
        value of, e.g., an ID number's blind indexes. The key must then name the shape."""
        from django.db import connections, router

        compiled = self._compiled.get(key)
        if compiled is None:
            queryset = build()
            query = queryset.query
            if query.annotation_select or query.extra_select or not query.values_select:
                raise ValueError("CompiledRows takes a values_list() of plain fields")
            compiler = query.get_compiler(queryset.db)
            sql, params_compiled = compiler.as_sql()
            if params is not None and list(params_compiled) != list(params):
                raise ValueError("the statement does not take `params` in the order given")
            params_compiled = tuple(params_compiled)
            width = compiler.col_count
            converters = compiler.get_converters([s[0] for s in compiler.select[:width]])
            # The alias is chosen again on each run (below): a statement first compiled while a
            # request read from a replica must not keep later ones there (core/dbrouting).
            compiled = (queryset._db, queryset.model, sql, params_compiled, converters, width)
            with self._lock:
                if len(self._compiled) >= self.max_keys:
                    self._compiled.clear()
                self._compiled[key] = compiled
        using, model, sql, params_compiled, converters, width = compiled
        connection = connections[using or router.db_for_read(model)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params_compiled if params is None else tuple(params))
            rows = cursor.fetchall()
        if rows and len(rows[0]) > width:
            rows = [row[:width] for row in rows]
        if converters:
            converted = []
            for row in rows:
                row = list(row)
                for index, (functions, expression) in converters.items():
                    value = row[index]
                    for convert in functions:
                        value = convert(value, expression, connection)
                    row[index] = value
                converted.append(tuple(row))
            rows = converted
        return rows

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()
