"""How a figure is written, by its kind: the one place a number becomes text on a page.

A figure's kind says what it measures and so how precisely it is shown:

- `count`   a number of things: a whole number with thousands separators (`12,345`);
- `hours`   a duration in hours: one decimal (`16.6`);
- `money`   an amount in yuan (a `Decimal`, or an `int` of yuan): `¥12,345.67`;
- `fen`     the same, given in fen as the ledger keeps it (`1234567` → `¥12,345.67`);
- `percent` a rate given as a fraction (`0.125` → `12.5%`);
- `decimal` any other measure (an index, a ratio): two decimals at most (`0.43`);
- `text`    already words (`★★★`, `—`): shown as it is.

Pages use the `figure` template filter (`{{ value|figure:"hours" }}`, `core/templatetags/figures.py`);
Python code that builds text (messages, PDFs) calls `format_figure`. The digits are grouped by
three with a comma in both languages — the way Chinese statistical bulletins and financial
statements write them (Django's zh-Hans format has no separator and groups by four).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from django.utils.formats import get_format
from django.utils.numberformat import format as number_format

EMPTY = "—"


class Kind(StrEnum):
    COUNT = "count"
    HOURS = "hours"
    MONEY = "money"
    FEN = "fen"
    PERCENT = "percent"
    DECIMAL = "decimal"
    TEXT = "text"


# Decimal places shown for each numeric kind (`decimal` shows up to two, without trailing zeros).
PLACES = {
    Kind.COUNT: 0,
    Kind.HOURS: 1,
    Kind.MONEY: 2,
    Kind.FEN: 2,
    Kind.PERCENT: 1,
    Kind.DECIMAL: 2,
}


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _digits(number: Decimal, places: int) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(
        rounded,
        decimal_sep=get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=3,
        thousand_sep=",",
        force_grouping=True,
        use_l10n=False,
    )


def format_figure(value, kind: str | Kind = Kind.COUNT) -> str:
    """`value` written for its `kind` in the current language; `—` when there is none."""
    kind = Kind(kind)
    if kind is Kind.COUNT and type(value) is int:  # most figures: what the general path gives
        return f"{value:,}"
    if kind is Kind.TEXT:
        return EMPTY if value in (None, "") else str(value)
    number = _decimal(value)
    if number is None:
        # Not a number (a label someone put in a figure): shown as it is, never as digits.
        return EMPTY if value in (None, "") else str(value)
    if kind is Kind.FEN:
        number = number / 100
    elif kind is Kind.PERCENT:
        number = number * 100
    if kind is Kind.DECIMAL:
        text = _digits(number, PLACES[kind])
        sep = get_format("DECIMAL_SEPARATOR")
        if sep in text:
            text = text.rstrip("0").rstrip(sep)
        return text
    text = _digits(number, PLACES[kind])
    if kind in (Kind.MONEY, Kind.FEN):
        return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"
    if kind is Kind.PERCENT:
        return f"{text}%"
    return text
