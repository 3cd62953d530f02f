"""The expression language: a whitelist over Python's ast, never eval."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shegong.indicators import expressions
from shegong.indicators.periods import Period

KNOWN = frozenset({"visits_done", "visits_due", "matters_rated"})


def refusal(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        expressions.parse(text, known=KNOWN)
    return caught.value


def test_sources_numbers_and_operators_evaluate():
    tree = expressions.parse("(visits_done + 2) * 3 / visits_due - -1", known=KNOWN)
    assert expressions.evaluate(tree, {"visits_done": 4, "visits_due": 9}) == Decimal(3)
    assert expressions.names(tree) == {"visits_done", "visits_due"}


def test_division_by_a_zero_figure_is_no_value():
    tree = expressions.parse("visits_done / visits_due", known=KNOWN)
    assert expressions.evaluate(tree, {"visits_done": 4, "visits_due": 0}) is None


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("vist_done", "unknown_source", "vist_done"),
        ("visits_done +", "syntax", "语法错误"),
        ("visits_done / 0", "division_by_zero", "零"),
        ("visits_done / (2 - 2)", "division_by_zero", "零"),
        ("visits_done ** 2", "operator", "**"),
        ("__import__('os')", "not_allowed", "__import__"),
        ("visits_done.real", "not_allowed", "visits_done.real"),
        ("visits_done if True else 1", "not_allowed", "if"),
        ("'text'", "constant", "text"),
        ("True", "constant", "True"),
        ("visits_done > 1", "not_allowed", ">"),
        ("", "required", ""),
        ("1" + "+1" * 300, "max_length", ""),
    ],
)
def test_refusals_name_the_problem(text, code, words):
    error = refusal(text)
    assert error.code == code
    assert words in error.messages[0]


def test_periods_are_written_and_stepped_back():
    assert Period.parse("2026-11").start.isoformat() == "2026-11-01"
    assert Period.parse("2026-11").end.isoformat() == "2026-11-30"
    assert Period.parse("2026-01").previous().text == "2025-12"
    assert Period.parse("2026-Q1").previous().text == "2025-Q4"
    assert Period.parse("2026-Q3").end.isoformat() == "2026-09-30"
    assert Period.parse("2024").end.isoformat() == "2024-12-31"
    rolling = Period.parse("R2026-11")
    assert (rolling.start.isoformat(), rolling.end.isoformat()) == ("2025-12-01", "2026-11-30")
    assert rolling.previous().text == "R2025-11"
    for text in ("2026-13", "2026-Q5", "R26-11", "x", "1999"):
        with pytest.raises(ValidationError):
            Period.parse(text)
