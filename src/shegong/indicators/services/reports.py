"""The monthly report of each social work department, written by the worker on the first
working day of a month (tasks.py): the department's subtree's indicators for the month before,
with the change from the month before that and the units at the bottom of each ranking, and the
month's key events (overdue matters, petition hot spots, directives outstanding), as a PDF and
an Excel file, stored and announced in the inbox of the department's members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shegong.core.regioncode import RegionCode
from shegong.indicators.models import GeneratedReport, Indicator
from shegong.indicators.periods import MONTH, Period
from shegong.indicators.selectors import Cell, rank, region_table

DEPARTMENTS = (
    "The worker writes a monthly report for every social work department; it runs as the "
    "system, reads the departments and shows nothing to anybody."
)


@dataclass
class Line:
    indicator: Indicator
    value: str
    previous: str
    change: str
    bottom: list[str]
    figures: tuple[Decimal | None, Decimal | None, Decimal | None]


@dataclass
class Content:
    title: str
    region_name: str
    period: Period
    lines: list[Line] = field(default_factory=list)
    overdue_matters: int = 0
    hot_spots: list[str] = field(default_factory=list)
    directives_open: int = 0
    directives_overdue: int = 0


def first_working_day(today: date) -> bool:
    """Whether `today` is the first working day of its month (the working-day calendar)."""
    from shegong.workdays.calendar import current

    return current().next_working_day(today.replace(day=1)) == today


def report_indicators(region_code: str) -> list[Indicator]:
    """The nation's active monthly indicators and the province's own."""
    return [
        i
        for i in Indicator.objects.filter(is_active=True, owner_prefix__in=["", region_code[:2]])
        if MONTH in i.periods
    ]


def report_content(
    *,
    organisation,
    period: Period,
    today: date,
    indicators: list[Indicator] | None = None,
    title: str = "",
) -> Content:
    """The content of a department's report for `period`: `indicators` (default: the monthly
    report's set) over its subtree, and the key events. A period that is not cached (a week) is
    computed now."""
    from shegong.directives.selectors import outstanding_in_subtree
    from shegong.petitions.selectors import hot_spots_in_subtree, overdue_count_in_subtree
    from shegong.regions.models import Region

    region = Region.objects.get(code=organisation.region_id)
    code = RegionCode(region.code)
    content = Content(
        title=title
        or _("%(region)s社会工作指标月报（%(period)s）")
        % {"region": region.name, "period": period.text},
        region_name=region.name,
        period=period,
    )
    if indicators is None:
        indicators = report_indicators(region.code)
    for indicator in indicators:
        table = region_table(indicator, region, period)
        cells = [Cell(indicator, r.value, r.previous) for r in table.rows]
        rank(cells)
        total = table.total
        content.lines.append(
            Line(
                indicator=indicator,
                value=total.text,
                previous=total.previous_text,
                change=total.change_text,
                bottom=[r.name for r, c in zip(table.rows, cells, strict=True) if c.bottom],
                figures=(total.value, total.previous, total.change),
            )
        )
    content.overdue_matters = overdue_count_in_subtree(prefix=code.prefix, today=today)
    content.hot_spots = [
        f"{s.region_name} · {s.category}（{s.this_week} / {s.last_week}）"
        for s in hot_spots_in_subtree(prefix=code.prefix, level=code.level, today=today)
    ][:10]
    content.directives_open, content.directives_overdue = outstanding_in_subtree(prefix=code.prefix)
    return content


def _events(content: Content) -> list[tuple[str, str]]:
    return [
        (_("超期未办结信访事项"), str(content.overdue_matters)),
        (_("信访热点"), "；".join(content.hot_spots) or _("无")),
        (_("未办结督办事项"), str(content.directives_open)),
        (_("其中逾期"), str(content.directives_overdue)),
    ]


def report_pdf(content: Content) -> bytes:
    from reportlab.lib.units import mm

    from shegong.core.pdf import build_pdf

    this, before = _column_names(content.period)
    header = [_("指标"), this, before, _("变化"), _("排名靠后的单位")]
    rows = [
        [line.indicator.name, line.value, line.previous, line.change, "、".join(line.bottom)]
        for line in content.lines
    ]
    return build_pdf(
        title=content.title,
        blocks=[
            _("一、指标（%(region)s及下级地区，%(period)s，与%(before)s相比）")
            % {"region": content.region_name, "period": content.period.text, "before": before},
            ("table", [header, *rows], [60 * mm, 24 * mm, 24 * mm, 24 * mm, 38 * mm]),
            _("二、本期重点事项"),
            ("table", [[name, value] for name, value in _events(content)], [50 * mm, 120 * mm]),
        ],
    )


def _column_names(period: Period) -> tuple[str, str]:
    if period.type == MONTH:
        return _("本月"), _("上月")
    return _("本期"), _("上期")


def report_xlsx(content: Content) -> bytes:
    from shegong.core.exports import workbook_bytes

    def rounded(value):
        return None if value is None else value.quantize(Decimal("0.01"))

    rows: list[list] = [
        [
            line.indicator.code,
            line.indicator.name,
            *(rounded(v) for v in line.figures),
            line.indicator.get_direction_display(),
            "、".join(line.bottom),
        ]
        for line in content.lines
    ]
    rows.append([])
    rows += [["", name, value] for name, value in _events(content)]
    this, before = _column_names(content.period)
    data, _count = workbook_bytes(
        title=content.period.text,
        headers=[
            _("代码"),
            _("指标"),
            this,
            before,
            _("变化"),
            _("方向"),
            _("排名靠后的单位"),
        ],
        rows=rows,
    )
    return data


def _departments():
    from shegong.orgs.models import Kind, Organisation

    return Organisation.objects.unscoped(reason=DEPARTMENTS).filter(
        kind=Kind.SOCIAL_WORK_DEPARTMENT, is_active=True
    )


def report_store(
    *, organisation, kind: str, period: Period, content: Content, subscription=None
) -> GeneratedReport | None:
    """Store a report's PDF and Excel file and announce it to the department's members who read
    indicators (their channel choices carry it on); None when another run wrote it meanwhile."""
    from shegong.inbox import services as inbox
    from shegong.inbox.models import Notification
    from shegong.inbox.selectors import members_who_may

    with override("zh-hans"):  # the document is written in the department's language
        pdf, xlsx = report_pdf(content), report_xlsx(content)
    name = f"{period.text}-{organisation.region_id}-{organisation.pk}"
    if subscription is not None:
        name += f"-s{subscription.pk}"
    try:
        with transaction.atomic():
            report = GeneratedReport(
                organisation=organisation,
                region_code=organisation.region_id,
                kind=kind,
                subscription=subscription,
                period_start=period.start,
                title=content.title[:200],
            )
            report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            report.save()
    except IntegrityError:
        return None
    members = members_who_may([organisation.pk], "indicators.view").get(organisation.pk, [])
    if subscription is None:
        kind_of_notice = Notification.Kind.MONTHLY_REPORT
        params = {"unit": organisation.name[:100], "period": period.text}
    else:
        kind_of_notice = Notification.Kind.SUBSCRIBED_REPORT
        params = {"name": subscription.name[:100], "period": period.text}
    inbox.notify_each(
        recipients=[(user_id, organisation.region_id) for user_id in members],
        kind=kind_of_notice,
        params=params,
        url=reverse("indicators:reports"),
        key=f"indicator_report:{report.pk}",
    )
    return report


def monthly_report_create(*, organisation, period: Period, today: date) -> GeneratedReport | None:
    """Write one department's report for `period` and announce it; None when it exists."""
    kind = GeneratedReport.Kind.MONTHLY
    if (
        GeneratedReport.objects.in_subtree(organisation.region_id)
        .filter(
            organisation=organisation,
            kind=kind,
            period_start=period.start,
            subscription__isnull=True,
        )
        .exists()
    ):
        return None
    with override("zh-hans"):
        content = report_content(organisation=organisation, period=period, today=today)
    return report_store(organisation=organisation, kind=kind, period=period, content=content)


def monthly_reports_generate(*, today: date | None = None) -> int:
    """On the first working day of a month, the previous month's report of every department
    that has not got it yet; how many were written (0 on any other day)."""
    today = today or timezone.localdate()
    if not first_working_day(today):
        return 0
    period = Period.current(MONTH, today)
    done = set(
        GeneratedReport.objects.unscoped(reason=DEPARTMENTS)
        .filter(
            kind=GeneratedReport.Kind.MONTHLY,
            period_start=period.start,
            subscription__isnull=True,
        )
        .values_list("organisation_id", flat=True)
    )
    written = 0
    for organisation in _departments().exclude(pk__in=done).order_by("region_id", "pk"):
        if monthly_report_create(organisation=organisation, period=period, today=today):
            written += 1
    return written
