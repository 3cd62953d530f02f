"""The per-county summary of approved figures (已审核汇总): kept by the approval services in the
same transaction, set-based; the aggregate reads it for children at county level and above and
gives exactly what the values give, through approvals, returns, reopenings and re-approvals."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.reporting import selectors, services
from shegong.reporting.models import ApprovedSum, DataValue
from shegong.reporting.services.summary import approved_sums_rebuild, approved_sums_refresh
from tests.reporting.conftest import PERIOD, fill

pytestmark = pytest.mark.django_db

SUMMARY_TABLE = ApprovedSum._meta.db_table
WHY = "test"


def _shape(rollup) -> tuple:
    """Everything the page and the API show of a roll-up, comparable."""

    def row(r):
        return (
            r.prefix,
            r.name,
            r.expected,
            r.received,
            r.timely,
            r.approved,
            r.pending,
            dict(sorted(r.sums.items())),
        )

    return (rollup.prefix, rollup.child_len, [row(r) for r in rollup.rows], row(rollup.total))


def same_from_summary(user, form, prefix: str = "", *, summary: bool = True):
    """The aggregate as served (from the summary where it applies) equals the aggregate computed
    from the values; returns it. `summary` says whether the summary must have been read."""
    with CaptureQueriesContext(connection) as queries:
        served = selectors.aggregate(fetched_by=user, form=form, period_start=PERIOD, prefix=prefix)
    read_summary = any(SUMMARY_TABLE in q["sql"] for q in queries.captured_queries)
    assert read_summary == summary
    direct = selectors.aggregate(
        fetched_by=user, form=form, period_start=PERIOD, prefix=prefix, from_values=True
    )
    assert _shape(served) == _shape(direct)
    return served


def summary_rows(form) -> dict[tuple[str, int], tuple]:
    return {
        (r.county_code, r.element_id): (r.total, r.submissions)
        for r in ApprovedSum.objects.unscoped(reason=WHY).filter(form=form, period_start=PERIOD)
    }


def element(form, code: str) -> int:
    return form.elements.get(code=code).pk


def test_approve_return_reopen_reapprove_keep_province_city_and_county_levels_equal(chain):
    a, b = chain.stations
    form = chain.form
    s1 = fill(chain, a, {"served": "10", "women": "4", "rate": "95.5"})
    s2 = fill(chain, b, {"served": "7", "women": "3", "rate": "80.25"})
    s3 = fill(chain, chain.other_station, {"served": "5", "women": "2"})
    levels = [(chain.province, ""), (chain.province, "44"), (chain.city, "4401")]

    def check_all():
        for user, prefix in levels:
            same_from_summary(user, form, prefix)
        # Below the county the values are read, as before.
        same_from_summary(chain.county, form, "440106", summary=False)

    check_all()
    assert summary_rows(form) == {}  # nothing approved yet

    services.submission_forward(submission=s1, acting_user=chain.county)  # locks
    services.submission_forward(submission=s3, acting_user=chain.other_county)
    check_all()
    served = element(form, "served")
    rate = element(form, "rate")
    rows = summary_rows(form)
    assert rows[("440106000000", served)] == (Decimal(10), 1)
    assert rows[("440106000000", rate)] == (Decimal("95.5"), 1)
    assert rows[("441881000000", served)] == (Decimal(5), 1)
    agg = same_from_summary(chain.province, form, "44")
    assert agg.total.sums[served] == Decimal(15) and agg.total.approved == 2
    assert agg.total.pending == 1

    services.submission_forward(submission=s2, acting_user=chain.county)
    services.submission_forward(submission=s1, acting_user=chain.city)  # still approved
    check_all()
    assert summary_rows(form)[("440106000000", served)] == (Decimal(17), 2)
    assert summary_rows(form)[("440106000000", rate)] == (Decimal("175.75"), 2)

    # A return of a report under review at the city unlocks it: out of the sums.
    services.submission_return(submission=s2, acting_user=chain.city, note="请核对")
    check_all()
    assert summary_rows(form)[("440106000000", served)] == (Decimal(10), 1)

    # Corrected and approved again.
    services.submission_values_save(acting_user=b, submission=s2, values={"served": "9"})
    services.submission_submit(submission=s2, acting_user=b)
    services.submission_forward(submission=s2, acting_user=chain.county)
    check_all()
    assert summary_rows(form)[("440106000000", served)] == (Decimal(19), 2)

    # Final approval at the province, then a reopening by that approver.
    services.submission_forward(submission=s3, acting_user=chain.other_city)
    services.submission_approve(submission=s3, acting_user=chain.province)
    check_all()
    services.submission_reopen(submission=s3, acting_user=chain.province, note="数字有误")
    check_all()
    assert not any(county == "441881000000" for county, _ in summary_rows(form))
    agg = same_from_summary(chain.province, form, "44")
    assert [r.prefix for r in agg.rows if r.sums] == ["4401"]
    assert agg.total.sums[served] == Decimal(19)

    # Re-approved after correction: back in.
    services.submission_values_save(
        acting_user=chain.other_station, submission=s3, values={"served": "6"}
    )
    services.submission_submit(submission=s3, acting_user=chain.other_station)
    services.submission_forward(submission=s3, acting_user=chain.other_county)
    check_all()
    assert summary_rows(form)[("441881000000", served)] == (Decimal(6), 1)


def test_a_reopen_removes_the_county_figures_from_the_summary(chain):
    s = fill(chain, chain.stations[0], {"served": "10", "women": "4"})
    services.submission_forward(submission=s, acting_user=chain.county)
    assert {county for county, _ in summary_rows(chain.form)} == {"440106000000"}
    services.submission_reopen(submission=s, acting_user=chain.county, note="服务人次漏报")
    assert summary_rows(chain.form) == {}
    agg = same_from_summary(chain.province, chain.form, "44")
    assert agg.total.sums == {} and agg.total.approved == 0 and agg.total.pending == 0


def test_a_national_form_rolls_up_by_province_from_the_summary(chain, make_member):
    nation = make_member("dept_leader", "000000000000", name="中央社会工作部")
    form = services.form_create(
        acting_user=nation,
        department=nation.active_membership.organisation,
        name="全国社工站月报",
        due_days=10,
    )
    services.element_create(acting_user=nation, form=form, code="served", label="服务人次")
    services.element_create(
        acting_user=nation, form=form, code="note", label="说明", kind="text", required=False
    )
    served = element(form, "served")

    def report(worker, figure):
        s = services.submission_open(acting_user=worker, form=form, period_start=PERIOD)
        services.submission_values_save(
            acting_user=worker, submission=s, values={"served": figure, "note": "无"}
        )
        services.submission_submit(submission=s, acting_user=worker)
        return s

    s1 = report(chain.stations[0], "10")
    s2 = report(chain.stations[1], "3")
    s3 = report(chain.other_station, "4")
    for s, county in ((s1, chain.county), (s2, chain.county), (s3, chain.other_county)):
        services.submission_forward(submission=s, acting_user=county)
    for s, city in ((s1, chain.city), (s3, chain.other_city)):
        services.submission_forward(submission=s, acting_user=city)
        services.submission_forward(submission=s, acting_user=chain.province)
    services.submission_approve(submission=s1, acting_user=nation)
    agg = same_from_summary(nation, form, "")
    assert agg.child_len == 2 and [r.prefix for r in agg.rows] == ["44"]
    assert agg.total.sums[served] == Decimal(17) and agg.total.approved == 3
    # The text element is summed as the values are (to nothing), in both.
    assert agg.total.sums[element(form, "note")] == 0
    same_from_summary(nation, form, "44")
    same_from_summary(nation, form, "4418")
    services.submission_reopen(submission=s1, acting_user=nation, note="复核")
    agg = same_from_summary(nation, form, "")
    assert agg.total.sums[served] == Decimal(7)


def test_scoping_stays_the_reader_jurisdiction(chain):
    from django.http import Http404

    for worker, reviewer, figure in (
        (chain.stations[0], chain.county, "10"),
        (chain.other_station, chain.other_county, "5"),
    ):
        s = fill(chain, worker, {"served": figure, "women": "1"})
        services.submission_forward(submission=s, acting_user=reviewer)
    agg = same_from_summary(chain.city, chain.form, "")
    assert agg.prefix == "4401" and [r.prefix for r in agg.rows] == ["440106"]
    assert agg.total.sums[element(chain.form, "served")] == Decimal(10)
    with pytest.raises(Http404):
        selectors.aggregate(
            fetched_by=chain.city, form=chain.form, period_start=PERIOD, prefix="4418"
        )


def test_refresh_is_set_based_and_rebuild_gives_the_same_rows(chain):
    s = fill(chain, chain.stations[0], {"served": "10", "women": "4", "rate": "70"})
    services.submission_forward(submission=s, acting_user=chain.county)
    t = fill(chain, chain.other_station, {"served": "5", "women": "2"})
    services.submission_forward(submission=t, acting_user=chain.other_county)
    kept = summary_rows(chain.form)
    with CaptureQueriesContext(connection) as queries:
        written = approved_sums_refresh(
            form_id=chain.form.pk, period_start=PERIOD, region_code=s.region_code
        )
    sqls = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # An advisory lock on PostgreSQL, one DELETE, one INSERT … SELECT: no loop over values.
    assert len(sqls) <= 3 and written == 4  # served, women, rate, visits of the county
    assert any(q.startswith("INSERT") and "SELECT" in q and "GROUP BY" in q for q in sqls)
    assert summary_rows(chain.form) == kept
    ApprovedSum.objects.unscoped(reason=WHY).all().delete()
    assert approved_sums_rebuild() == len(kept)
    assert summary_rows(chain.form) == kept
    # The values' own GROUP BY agrees row for row.
    DataValue.objects.unscoped(reason=WHY).filter(submission=t).update(approved=False)
    out = io.StringIO()
    call_command("reporting_sums", form=chain.form.pk, stdout=out)
    assert out.getvalue().strip() == "rows: 4"
    assert {county for county, _ in summary_rows(chain.form)} == {"440106000000"}


def test_the_aggregate_page_shows_each_sum_under_its_element(chain, login):
    s = fill(chain, chain.stations[0], {"served": "10", "women": "4", "rate": "95.5"})
    services.submission_forward(submission=s, acting_user=chain.county)
    client = login(chain.province)
    html = client.get(
        f"/reporting/forms/{chain.form.pk}/aggregate/?period=2026-10&prefix=44"
    ).content.decode()
    row = re.search(r'<tr data-prefix="4401">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', row)
    # expected, approved, pending, then served, women, rate, visits in the form's order.
    numeric = [e.code for e in chain.form.elements.all() if e.is_numeric]
    assert numeric == ["served", "women", "rate", "visits"]
    assert [c.strip() for c in cells[3:]] == ["10", "4", "95.5", "0"]
    other = re.search(r'<tr data-prefix="4418">(.*?)</tr>', html, re.S).group(1)
    # 清远 has no approved report: no sums, empty cells.
    assert [c.strip() for c in re.findall(r'<td class="text-end">([^<]*)</td>', other)[3:]] == [
        ""
    ] * 4
