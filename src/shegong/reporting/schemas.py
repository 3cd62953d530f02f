from datetime import date, datetime
from decimal import Decimal

from ninja import Schema

from shegong.core.api_schema import Choice, Count, DecimalRange, Id, Text
from shegong.reporting.models import DueRule, ElementKind, Operator, PeriodType


class ElementOut(Schema):
    id: int
    code: str
    label: str
    kind: str
    choices: list[str]
    min_value: Decimal | None
    max_value: Decimal | None
    required: bool
    order: int
    prefill: str

    @staticmethod
    def resolve_choices(obj) -> list[str]:
        return obj.choice_list


class RuleOut(Schema):
    id: int
    name: str
    left: str
    operator: str
    right_codes: str

    @staticmethod
    def resolve_left(obj) -> str:
        return obj.left.code


class FormOut(Schema):
    id: int
    name: str
    department_id: int
    region_code: str
    period_type: str
    filling_level: int
    due_days: int
    due_rule: str
    is_active: bool


class FormDetailOut(FormOut):
    description: str
    elements: list[ElementOut]
    rules: list[RuleOut]

    @staticmethod
    def resolve_elements(obj) -> list:
        return list(obj.elements.all())

    @staticmethod
    def resolve_rules(obj) -> list:
        return list(obj.rules.select_related("left"))


class SubmissionOut(Schema):
    id: int
    form_id: int
    unit_id: int
    unit_name: str
    region_code: str
    period_start: date
    period_end: date
    due_date: date | None
    due_date_provisional: bool
    status: str
    submitted_at: datetime | None
    on_time: bool
    reviewer_id: int | None
    review_level: int | None
    approved_level: int | None
    locked: bool

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_due_date_provisional(obj) -> bool:
        return obj.due_provisional


class ValueOut(Schema):
    code: str
    label: str
    value: Decimal | None
    text: str
    prefilled: Decimal | None


class ValuesIn(Schema):
    values: dict[Text(40), Text(500) | DecimalRange(-(10**15), 10**15, places=6) | None]


class OpenIn(Schema):
    form_id: Id
    period: Text(10)


class ReportRollupRowOut(Schema):
    prefix: str
    name: str
    expected: int
    received: int
    timely: int
    approved: int
    pending: int
    completeness: float | None
    timeliness: float | None
    sums: dict[str, Decimal | None]


class ReportRollupOut(Schema):
    form_id: int
    period_start: date
    prefix: str
    rows: list[ReportRollupRowOut]
    total: ReportRollupRowOut


# ---- defining a form ----------------------------------------------------------------------------

BOUND = 10**12 - 1  # a data element's min/max: the model keeps 16 digits, 4 of them decimals


class ReportFormIn(Schema):
    """A new form of the caller's own unit (its department), filled at `filling_level`."""

    name: Text(200, min_length=1)
    period_type: Choice(PeriodType) = PeriodType.MONTHLY.value
    filling_level: Count(1, 4) = 4
    due_days: Count(1, 60) = 10
    due_rule: Choice(DueRule) = DueRule.CALENDAR.value
    description: Text(4000) = ""


class ReportFormPatch(Schema):
    """The settings a form's department may change; a field left out (or null) stays."""

    name: Text(200, min_length=1) | None = None
    description: Text(4000) | None = None
    due_days: Count(1, 60) | None = None
    due_rule: Choice(DueRule) | None = None
    is_active: bool | None = None


class ReportElementIn(Schema):
    code: Text(40, min_length=1)
    label: Text(200, min_length=1)
    kind: Choice(ElementKind) = ElementKind.INTEGER.value
    choices: Text(4000) = ""
    min_value: DecimalRange(-BOUND, BOUND, places=4) | None = None
    max_value: DecimalRange(-BOUND, BOUND, places=4) | None = None
    required: bool = True
    order: Count(0, 32767) | None = None
    prefill: Text(64) = ""


class ReportRuleIn(Schema):
    name: Text(200, min_length=1)
    left: Text(40, min_length=1)
    operator: Choice(Operator)
    right_codes: Text(400, min_length=1)
