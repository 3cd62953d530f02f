"""The reporting chain in the test regions: 广东省 → 广州市 → 天河区 → two township stations, and
广东省 → 清远市 → 英德市 → one station; a monthly form defined by 广东省, filled by stations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from shegong.regions.models import Region
from shegong.reporting import services

PERIOD = date(2026, 10, 1)


@dataclass
class Chain:
    province: Any
    city: Any
    county: Any
    stations: list
    other_county: Any
    other_city: Any
    other_station: Any
    form: Any


def _townships(county: str, n: int) -> list[str]:
    return list(
        Region.objects.filter(parent_id=county).order_by("code").values_list("code", flat=True)[:n]
    )


@pytest.fixture
def chain(make_member) -> Chain:
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    city = make_member("dept_leader", "440100000000", name="广州市委社会工作部")
    county = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    other_city = make_member("dept_leader", "441800000000", name="清远市委社会工作部")
    other_county = make_member("dept_leader", "441881000000", name="英德市委社会工作部")
    stations = [
        make_member("station_worker", code, kind="sw_station", name=f"社工站{i}")
        for i, code in enumerate(_townships("440106000000", 2))
    ]
    other_station = make_member(
        "station_worker", _townships("441881000000", 1)[0], kind="sw_station", name="英德社工站"
    )
    form = services.form_create(
        acting_user=province,
        department=province.active_membership.organisation,
        name="社工站服务月报",
        due_days=10,
    )
    services.element_create(acting_user=province, form=form, code="served", label="服务人次")
    services.element_create(acting_user=province, form=form, code="women", label="其中女性服务人次")
    services.element_create(
        acting_user=province,
        form=form,
        code="rate",
        label="满意率",
        kind="percent",
        required=False,
    )
    services.element_create(
        acting_user=province,
        form=form,
        code="visits",
        label="本期完成探访次数",
        prefill="visits_done",
        required=False,
    )
    services.rule_create(
        acting_user=province,
        form=form,
        left="women",
        operator="le",
        right="served",
        name="其中数不大于总数",
    )
    return Chain(province, city, county, stations, other_county, other_city, other_station, form)


def fill(chain: Chain, worker, values: dict, *, period=PERIOD, submit=True, today=None):
    s = services.submission_open(
        acting_user=worker, form=chain.form, period_start=period, today=today
    )
    services.submission_values_save(acting_user=worker, submission=s, values=values)
    if submit:
        services.submission_submit(submission=s, acting_user=worker, today=today)
    s.refresh_from_db()
    return s
