"""Demo: a monthly report form of the 广东省委社会工作部 filled by every township station of
天河区 and 英德市, the last six months filled and approved up to different levels — the oldest
by the province, then by the city, then by the county, the latest waiting for the county —
with one report returned with a comment and one submitted late."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from shegong.core.demo_utils import demo_user
from shegong.orgs.models import Kind, Organisation
from shegong.reporting import services
from shegong.reporting.models import ReportForm
from shegong.reporting.periods import previous_periods

UNSCOPED_READS = "Demo seeding runs as the system over every row."

FORM_NAME = "社工站服务情况月报"
COUNTIES = ("440106", "441881")


def load(*, stdout=None) -> None:
    if ReportForm.objects.unscoped(reason=UNSCOPED_READS).filter(name=FORM_NAME).exists():
        return
    gd = (
        Organisation.objects.unscoped(reason=UNSCOPED_READS)
        .filter(region_id="440000000000", kind=Kind.SOCIAL_WORK_DEPARTMENT)
        .order_by("id")
        .first()
    )
    if gd is None:
        return
    form = services.form_create(
        acting_user=None,
        department=gd,
        name=FORM_NAME,
        due_days=10,
        description="每月10日前（遇休息日顺延）报送上月数据；探访次数、按期办结事项、志愿服务时长由平台数据预填，请核对。",
    )
    add = services.element_create
    add(acting_user=None, form=form, code="served", label="服务人次")
    add(acting_user=None, form=form, code="served_women", label="其中：女性服务人次")
    add(acting_user=None, form=form, code="served_elderly", label="其中：老年人服务人次")
    add(acting_user=None, form=form, code="visits", label="探访次数", prefill="visits_done")
    add(
        acting_user=None,
        form=form,
        code="matters_on_time",
        label="按期办结信访事项",
        prefill="matters_closed_on_time",
    )
    add(
        acting_user=None,
        form=form,
        code="volunteer_hours",
        label="志愿服务时长（小时）",
        kind="decimal",
        prefill="volunteer_hours",
    )
    add(
        acting_user=None,
        form=form,
        code="satisfaction",
        label="服务满意率（%）",
        kind="percent",
        required=False,
    )
    add(
        acting_user=None,
        form=form,
        code="highlight",
        label="本月工作亮点",
        kind="text",
        required=False,
    )
    services.rule_create(
        acting_user=None,
        form=form,
        left="served_women",
        operator="le",
        right="served",
        name="女性服务人次不大于服务人次",
    )
    services.rule_create(
        acting_user=None,
        form=form,
        left="served_elderly",
        operator="le",
        right="served",
        name="老年人服务人次不大于服务人次",
    )
    stations = list(
        Organisation.objects.unscoped(reason=UNSCOPED_READS)
        .filter(kind=Kind.SOCIAL_WORK_STATION, is_active=True, region__level=4)
        .filter(
            Q(region_id__gte="440106000000", region_id__lte="440106999999")
            | Q(region_id__gte="441881000000", region_id__lte="441881999999")
        )
        .order_by("region_id", "id")
    )
    seen: set[str] = set()
    stations = [s for s in stations if not (s.region_id in seen or seen.add(s.region_id))]
    tianhe = demo_user("tianhe")
    guangzhou = demo_user("guangzhou")
    guangdong = demo_user("guangdong")
    periods = list(reversed(previous_periods(form.period_type, timezone.localdate(), 6)))
    # How far each month went up the chain: 0 submitted, 1 county, 2 city, 3 province.
    reach = {0: 3, 1: 3, 2: 2, 3: 2, 4: 1, 5: 0}
    for index, period in enumerate(periods):
        for n, station in enumerate(stations):
            s = services.submission_open(
                acting_user=None, form=form, period_start=period, unit=station
            )
            served = 80 + (n * 7 + index * 13) % 60
            services.submission_values_save(
                acting_user=None,
                submission=s,
                values={
                    "served": served,
                    "served_women": served // 2,
                    "served_elderly": served // 3,
                    "satisfaction": 90 + (n + index) % 9,
                    "highlight": "开展长者助餐和探访服务" if n % 3 == 0 else "",
                },
            )
            late = index == 4 and n == 1  # one report came in after its due day
            if index == 5 and n >= len(stations) // 2:
                continue  # the latest month: half the stations have not reported yet
            due = s.due_date or period
            services.submission_submit(
                submission=s,
                acting_user=None,
                today=due + timedelta(days=3) if late else due - timedelta(days=2),
            )
            s.refresh_from_db()
            if index == 4 and n == 0:
                county_user = tianhe if station.region_id.startswith("440106") else None
                services.submission_return(
                    submission=s,
                    acting_user=county_user,
                    note="服务人次与台账不符，请核对后重新上报",
                )
                continue
            steps = reach[index]
            for step in range(steps):
                s.refresh_from_db()
                in_tianhe = station.region_id.startswith("440106")
                actor = {0: tianhe if in_tianhe else None, 1: guangzhou if in_tianhe else None}
                actor = actor.get(step, guangdong)
                if step == 2:
                    services.submission_approve(submission=s, acting_user=actor, note="同意")
                else:
                    services.submission_forward(submission=s, acting_user=actor, note="")
    if stdout is not None:
        stdout.write(f"  报表：{form.name}，{len(stations)} 个社工站 × 6 个月\n")
