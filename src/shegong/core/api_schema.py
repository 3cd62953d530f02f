"""What the API accepts, stated in its OpenAPI document and enforced by its schemas.

Every app's input schemas are written with these types, so that the rules live in one place:

- `Text(n)` / `ModelText(Model, "field")`: a string of at most n characters (the model's own
  `max_length`; `FREE_TEXT_MAX` for text fields) without control characters.
- `Choice(TextChoices)`: one of the declared values (an `enum` in the document).
- `BirthDate`, `PastDate`, `PlannedDate`/`PlannedDateTime`, `PlannedYear`: dates inside the
  plausible window of `core.validation` (the services apply the same rule for the pages).
- `Id`, `Count(lo, hi)`, `DecimalRange(lo, hi)`, `ModelAmount(Model, "field")`: bounded numbers.
- `Pagination`: the one page-number pagination of every list (`page` ≥ 1 and ≤ `MAX_PAGE`,
  `page_size` ≤ `MAX_PAGE_SIZE`; the answer carries `items` and `count`).

`ShegongAPI` documents the error answers (`{"errors": [{"field", "reason"}]}` for 400, 401, 403,
404 and 422) on every operation and records component names that two schemas share.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from shegong.core.validation import (
    API_PREFIX,
    EARLIEST_BIRTH_DATE,
    EARLIEST_EVENT_DATE,
    NO_CONTROL_CHARACTERS_PATTERN,
    PLANNED_YEARS_AHEAD,
    birth_date_problem,
    control_characters_message,
    has_control_characters,
    past_event_problem,
    planned_date_problem,
    planned_year_problem,
)

FREE_TEXT_MAX = 4000  # text fields have no length in the database; the API caps them
MAX_PAGE = getattr(settings, "SHEGONG_API_MAX_PAGE", 10_000)
MAX_PAGE_SIZE = getattr(settings, "SHEGONG_API_MAX_PAGE_SIZE", 100)
MAX_ID = 2**63 - 1  # BigAutoField


# ---- strings -----------------------------------------------------------------------------------


def _no_control_characters(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError("control_characters", control_characters_message())
    return value


def Text(max_length: int, *, min_length: int = 0, pattern: str | None = None) -> Any:  # noqa: N802
    """A string of at most `max_length` characters without control characters."""
    extra = {} if pattern else {"pattern": NO_CONTROL_CHARACTERS_PATTERN}
    return Annotated[
        str,
        Field(
            min_length=min_length or None,
            max_length=max_length,
            pattern=pattern,
            json_schema_extra=extra,
        ),
        AfterValidator(_no_control_characters),
    ]


def ModelText(model: type[models.Model], field: str, *, min_length: int = 0) -> Any:  # noqa: N802
    """A string as long as the model's field allows (FREE_TEXT_MAX for a text field)."""
    max_length = model._meta.get_field(field).max_length or FREE_TEXT_MAX
    return Text(max_length, min_length=min_length)


def Choice(choices: type[models.Choices], *, blank: bool = False) -> Any:  # noqa: N802
    """One of the declared values of a Django choices class (an `enum` in the document)."""
    values = tuple(str(v) for v in choices.values)
    if blank:
        values = ("", *values)
    return Literal[values]  # type: ignore[valid-type]


Digits = Text(12, pattern="^[0-9]*$")  # a region code or code prefix (possibly empty)
Search = Text(100)  # a free-text search box


# ---- numbers -----------------------------------------------------------------------------------

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def Count(low: int, high: int) -> Any:  # noqa: N802
    return Annotated[int, Field(ge=low, le=high)]


Year = Annotated[int, Field(ge=2000, le=2100)]  # a working year (a report's, an exam's, a round's)


def DecimalRange(low: int | Decimal, high: int | Decimal, *, places: int = 2) -> Any:  # noqa: N802
    """A decimal number between `low` and `high` with at most `places` decimals (documented as a
    JSON number; a numeric string is accepted too)."""
    return Annotated[
        Decimal,
        Field(ge=low, le=high, decimal_places=places),
        WithJsonSchema({"type": "number", "minimum": float(low), "maximum": float(high)}),
    ]


def ModelAmount(model: type[models.Model], field: str) -> Any:  # noqa: N802
    """A non-negative decimal that fits the model's DecimalField (digits and places)."""
    spec = model._meta.get_field(field)
    places = spec.decimal_places
    high = Decimal(10) ** (spec.max_digits - places) - Decimal(10) ** -places
    return DecimalRange(0, high, places=places)


# ---- dates -------------------------------------------------------------------------------------


def _date_rule(problem, code: str):
    def check(value):
        message = problem(value)
        if message:
            raise PydanticCustomError(code, message)
        return value

    return AfterValidator(check)


def _window(earliest: str, latest: str, text: str) -> dict:
    return {"x-earliest": earliest, "x-latest": latest, "description": text}


BirthDate = Annotated[
    date,
    _date_rule(birth_date_problem, "birth_date_out_of_range"),
    Field(
        json_schema_extra=_window(
            EARLIEST_BIRTH_DATE.isoformat(), "today", f"{EARLIEST_BIRTH_DATE} – today"
        )
    ),
]
PastDate = Annotated[
    date,
    _date_rule(past_event_problem, "date_out_of_range"),
    Field(
        json_schema_extra=_window(
            EARLIEST_EVENT_DATE.isoformat(), "today", f"{EARLIEST_EVENT_DATE} – today"
        )
    ),
]
_PLANNED = _window(
    EARLIEST_EVENT_DATE.isoformat(),
    f"today + {PLANNED_YEARS_AHEAD} years",
    f"{EARLIEST_EVENT_DATE} – today + {PLANNED_YEARS_AHEAD} years",
)
PlannedDate = Annotated[
    date, _date_rule(planned_date_problem, "date_out_of_range"), Field(json_schema_extra=_PLANNED)
]
PlannedDateTime = Annotated[
    datetime,
    _date_rule(planned_date_problem, "date_out_of_range"),
    Field(json_schema_extra=_PLANNED),
]
PlannedYear = Annotated[
    int,
    Field(ge=EARLIEST_EVENT_DATE.year, le=2100),
    _date_rule(planned_year_problem, "year_out_of_range"),
]


# ---- pagination --------------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数")
    count: Literal["true", "false", "estimate"] = Field(
        "true",
        description="总数：true 精确计数；false 不计数（count 为 null）；estimate 允许估算"
        "（PostgreSQL 上数量很大时取查询计划的估计值，count_estimated 为 true）",
    )


class Pagination(PageNumberPagination):
    """Page-number pagination with bounds stated in the document (a page past the last one is an
    empty page, a page past MAX_PAGE a 422).

    The total is one COUNT (`shegong.core.counting.total_rows`), taken before the page, so a page
    past the last one is answered from the total without reading rows; `count=false` leaves it
    out and `count=estimate` lets PostgreSQL give its planner's estimate for a large list."""

    Input = PageQuery

    class Output(Schema):
        items: list[Any]
        count: int | None = Field(description="总数（count=false 时为 null）")
        count_estimated: bool = Field(False, description="总数为估算值")

    def __init__(self, page_size: int = 25, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset, pagination: PageQuery, request, **params: Any) -> Any:
        from shegong.core.counting import total_rows

        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        if pagination.count == "false":
            return {"items": queryset[offset : offset + page_size], "count": None}
        if isinstance(queryset, models.QuerySet):
            count, estimated = total_rows(queryset, estimate=pagination.count == "estimate")
        else:
            count, estimated = len(queryset), False
        if offset >= count and not estimated:
            return {"items": [], "count": count}
        return {
            "items": queryset[offset : offset + page_size],
            "count": count,
            "count_estimated": estimated,
        }


# ---- errors ------------------------------------------------------------------------------------


class ErrorItem(Schema):
    field: str = Field(description="出错的字段（`__all__` 表示整个请求）")
    reason: str


class Errors(Schema):
    errors: list[ErrorItem]


ERROR_RESPONSES = {
    400: "业务规则不允许 / Refused by a business rule",
    401: "需要登录或有效的访问令牌 / Authentication required",
    403: "角色无权执行 / Not permitted for the role",
    404: "不存在或不在辖区内 / Not found or outside the jurisdiction",
    422: "输入不符合要求 / Invalid input",
}


def schema_error_reason(error: dict) -> str:
    """A person's sentence (Chinese, translatable) for a pydantic validation error."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("必填。"),
        "string_too_long": _("最多 %(n)s 个字符。"),
        "string_too_short": _("至少 %(n)s 个字符。"),
        "string_type": _("应为文字。"),
        "string_unicode": control_characters_message(),  # e.g. a lone surrogate
        "string_pattern_mismatch": _("格式不正确。"),
        "literal_error": _("取值应为：%(v)s。"),
        "enum": _("取值应为：%(v)s。"),
        "int_parsing": _("应为整数。"),
        "int_type": _("应为整数。"),
        "int_from_float": _("应为整数。"),
        "bool_parsing": _("应为 true 或 false。"),
        "bool_type": _("应为 true 或 false。"),
        "greater_than_equal": _("不能小于 %(v)s。"),
        "less_than_equal": _("不能大于 %(v)s。"),
        "greater_than": _("应大于 %(v)s。"),
        "less_than": _("应小于 %(v)s。"),
        "date_parsing": _("应为日期（YYYY-MM-DD）。"),
        "date_from_datetime_parsing": _("应为日期（YYYY-MM-DD）。"),
        "date_type": _("应为日期（YYYY-MM-DD）。"),
        "datetime_parsing": _("应为日期时间（ISO 8601）。"),
        "datetime_from_date_parsing": _("应为日期时间（ISO 8601）。"),
        "datetime_type": _("应为日期时间（ISO 8601）。"),
        "decimal_parsing": _("应为数字。"),
        "decimal_type": _("应为数字。"),
        "decimal_max_places": _("最多 %(n)s 位小数。"),
        "float_parsing": _("应为数字。"),
        "float_type": _("应为数字。"),
        "finite_number": _("应为有限的数字。"),
        "list_type": _("应为列表。"),
        "too_long": _("最多 %(n)s 项。"),
        "dict_type": _("应为对象。"),
        "model_type": _("应为对象。"),
        "model_attributes_type": _("应为对象。"),
        "json_invalid": _("不是有效的 JSON。"),
    }
    template = messages.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    values = {
        "n": ctx.get("max_length", ctx.get("min_length", ctx.get("decimal_places", ""))),
        "v": ctx.get("expected", ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt", ""))))),
    }
    return template % values


def not_found(request, exception=None):
    """The 404 handler: the JSON API answers its documented error body even for a path that
    matches no route (e.g. `/api/v1/cases/null`); pages get the 404 page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {"errors": [{"field": "__all__", "reason": _("未找到。")}]},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return page_not_found(request, exception)


# ---- the document ------------------------------------------------------------------------------


class CheckedOpenAPISchema(OpenAPISchema):
    """ninja's document, remembering component names that two different schemas claimed (the
    later one silently wins otherwise, and an operation is documented with the wrong schema)."""

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        self.duplicate_components: dict[str, list[dict]] = {}
        super().__init__(api, path_prefix)

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                self.duplicate_components.setdefault(name, [known]).append(definition)
        super().add_schema_definitions(definitions)


def _error_schema_components() -> dict:
    document = Errors.model_json_schema(ref_template="#/components/schemas/{model}")
    components = document.pop("$defs", {})
    components["Errors"] = document
    return components


class ShegongAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        document = CheckedOpenAPISchema(self, path_prefix)
        document["components"]["schemas"].update(_error_schema_components())
        error = {"$ref": "#/components/schemas/Errors"}
        for operations in document["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    if status == 401 and not operation.get("security"):
                        continue
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        return document
