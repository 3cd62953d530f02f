"""Project-wide input rules: text without control characters and dates in a plausible window.

One rule, three doors: the API's schema types (`core.api_schema`), the page middleware below
(forms, filters and the public endpoints) and the services, which call the same checks so that a
page and the API refuse the same data with the same message.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; lone surrogates (they
# cannot be stored as UTF-8). NUL is refused by PostgreSQL, the others break XML/XLSX exports and
# are invisible on screen.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The same rule as a JSON-schema pattern (ECMA-262 escapes), stated on every API string.
NO_CONTROL_CHARACTERS_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"

# Dates of things that happened: not before the platform's era, never in the future.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
EARLIEST_EVENT_DATE = date(2000, 1, 1)
# Planned dates (activities, shifts, plan years) may lie ahead, but not further than this.
# A mainland China mobile number: 11 digits, 1 then 3–9 (GB/T number plan; 13x–19x).
CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
PLANNED_YEARS_AHEAD = 5  # a five-year plan (五年规划) is the longest horizon departments plan for


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def control_characters_message() -> str:
    return _("含有不允许的控制字符（如 NUL、退格、换页），请删除后重试。")


def check_text(value: str | None, *, field: str) -> None:
    if value and has_control_characters(value):
        raise ValidationError({field: control_characters_message()}, code="control_characters")


# ---- dates -------------------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def latest_planned_date() -> date:
    now = today()
    try:
        return now.replace(year=now.year + PLANNED_YEARS_AHEAD)
    except ValueError:  # 29 February
        return now.replace(year=now.year + PLANNED_YEARS_AHEAD, day=28)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def birth_date_problem(value: date) -> str | None:
    if value < EARLIEST_BIRTH_DATE:
        return _("出生日期不能早于 %(d)s。") % {"d": EARLIEST_BIRTH_DATE.isoformat()}
    if value > today():
        return _("出生日期不能晚于今天。")
    return None


def past_event_problem(value: date | datetime) -> str | None:
    """A date on which something was done (visit made, service given, donation received)."""
    day = _as_date(value)
    if day < EARLIEST_EVENT_DATE:
        return _("日期不能早于 %(d)s。") % {"d": EARLIEST_EVENT_DATE.isoformat()}
    if day > today():
        return _("日期不能晚于今天（记录的是已经发生的事）。")
    return None


def planned_date_problem(value: date | datetime) -> str | None:
    """A date something is planned for: it may lie ahead, within PLANNED_YEARS_AHEAD years."""
    day = _as_date(value)
    if day < EARLIEST_EVENT_DATE:
        return _("日期不能早于 %(d)s。") % {"d": EARLIEST_EVENT_DATE.isoformat()}
    if day > latest_planned_date():
        return _("日期不能晚于 %(d)s（最多提前 %(n)s 年安排）。") % {
            "d": latest_planned_date().isoformat(),
            "n": PLANNED_YEARS_AHEAD,
        }
    return None


def planned_year_problem(value: int) -> str | None:
    latest = latest_planned_date().year
    if value < EARLIEST_EVENT_DATE.year or value > latest:
        return _("年度应在 %(a)s 至 %(b)s 之间。") % {"a": EARLIEST_EVENT_DATE.year, "b": latest}
    return None


def _raise(problem: str | None, field: str) -> None:
    if problem:
        raise ValidationError({field: problem}, code="date_out_of_range")


def check_birth_date(value: date | None, *, field: str = "birth_date") -> None:
    if value is not None:
        _raise(birth_date_problem(value), field)


def check_past_event_date(value: date | datetime | None, *, field: str) -> None:
    if value is not None:
        _raise(past_event_problem(value), field)


def check_planned_date(value: date | datetime | None, *, field: str) -> None:
    if value is not None:
        _raise(planned_date_problem(value), field)


def check_planned_year(value: int | None, *, field: str = "period") -> None:
    if value is not None:
        _raise(planned_year_problem(value), field)


def parse_moment(text: str) -> datetime | None:
    """An ISO 8601 date or date-time from a query string as an aware datetime, or None when it
    is malformed or impossible (30 February, hour 25, year 0 or a time zone pushing it out of
    range) — never an exception."""
    from django.utils.dateparse import parse_date, parse_datetime

    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, datetime.min.time()) if day else None
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


def not_before(value: date, earliest: date | None, *, field: str, message: str) -> None:
    """A service rule the schema cannot state (e.g. a visit before the resident was born)."""
    if earliest is not None and _as_date(value) < _as_date(earliest):
        raise ValidationError({field: message}, code="date_out_of_range")


# ---- pages: forms, filters and the public endpoints ---------------------------------------------

API_PREFIX = "/api/"  # the JSON API refuses control characters itself (422 naming the field)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _clean_querydict(data: QueryDict) -> QueryDict:
    if not any(has_control_characters(k + "".join(data.getlist(k))) for k in data):
        return data
    clean = QueryDict(mutable=True)
    for key in data:
        clean.setlist(
            strip_control_characters(key),
            [strip_control_characters(v) for v in data.getlist(key)],
        )
    clean._mutable = False
    return clean


class ControlCharactersMiddleware:
    """Pages, forms, htmx fragments and the public endpoints (Open311, HSDS, the public forms):
    control characters are removed from query strings and posted form fields before any view or
    form sees them (they carry no meaning, and a pasted vertical tab should not cost the user
    their form); a path containing one matches nothing. The JSON API refuses them instead, with
    a 422 naming the field (`core.api_schema.Text`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if has_control_characters(request.path_info):
            raise Http404
        request.GET = _clean_querydict(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = _clean_querydict(request.POST)
        return self.get_response(request)


def validate_cn_mobile(value: str) -> None:
    """A model/form validator: empty, or an 11-digit mainland mobile number."""
    if value and not CN_MOBILE.match(value):
        raise ValidationError(_("请填写 11 位手机号码（1 开头）。"), code="cn_mobile")
