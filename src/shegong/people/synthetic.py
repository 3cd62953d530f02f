"""Valid resident ID numbers for demo data, tests and benchmarks (never real people)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError


def _number(area: str, birth: date, seq: int, sex: str) -> str:
    order = (seq % 500) * 2 + (1 if sex == "M" else 0)
    body = f"{area[:6]}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


@lru_cache(maxsize=4096)
def _area_for(area: str, year: int) -> str:
    """python-stdnum checks that the area code existed in the birth year (天河区 440106 dates
    from 1985): older people get the prefecture's or province's code, as on many real cards."""
    for candidate in (area[:6], area[:4] + "00", area[:2] + "0000"):
        try:
            ric.validate(_number(candidate, date(year, 1, 1), 1, "M"))
            return candidate
        except ValidationError:
            continue
    return "110101"


def make_id_number(area: str, birth: date, seq: int, sex: str = "M") -> str:
    """An 18-character number with a correct check digit; `seq` 0–499 picks the order code."""
    return _number(_area_for(area, birth.year), birth, seq, sex)
