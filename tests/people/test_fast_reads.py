"""Reads that must stay cheap at national scale give the same answers as the straightforward ORM
queries they replace: the category filter (a semi-join through the category memberships), the
summary rows behind the home and statistics pages, and list totals (one COUNT, or none, or
PostgreSQL's estimate when asked for and labelled). The number of queries of the home and
statistics pages does not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from shegong.core.counting import total_rows
from shegong.people import selectors, services
from shegong.people.models import (
    Category,
    Resident,
    ResidentCategory,
    ResidentStatus,
    ResidentTally,
    RiskLevel,
    VisitPlan,
)
from tests.people.conftest import OTHER_VILLAGE, VILLAGE, VILLAGE2

ORM = "The straightforward queries the tests compare with (every row, no scoping layer)."


def cat(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def api_client_for(client):
    from tests.api.conftest import TokenClient, token_for

    return lambda user: TokenClient(client, token_for(user))


@pytest.fixture
def national_user(make_member):
    return make_member("dept_leader", "000000000000", name="中央社会工作部")


@pytest.fixture
def people(make_resident, station_worker, make_member):
    """Residents of 天河区 and 英德市: several categories, an ended membership, a child, a moved
    resident, several risk levels and an overdue visit plan."""
    other = make_member("station_worker", "441881001000", kind="sw_station", name="英德社工站")
    alone, empty_nest, low_income = cat("living_alone"), cat("empty_nest"), cat("dibao")
    made = [
        make_resident(station_worker, categories=[alone, low_income], sex="F"),
        make_resident(station_worker, categories=[empty_nest], village=VILLAGE2),
        make_resident(station_worker, categories=[alone], birth=date.today() - timedelta(3000)),
        make_resident(station_worker, categories=[alone, empty_nest, low_income]),
        make_resident(station_worker, categories=[low_income], sex="F"),
        make_resident(other, categories=[alone], village=OTHER_VILLAGE),
        make_resident(other, categories=[empty_nest, alone], village=OTHER_VILLAGE, sex="F"),
    ]
    # An ended membership still counts as the list counted it (the filter does not read dates).
    ResidentCategory.objects.filter(resident=made[3], category=empty_nest).update(
        end_date=date.today() - timedelta(days=30)
    )
    # Moved through the service, which keeps the status on the resident's category links.
    services.resident_update(
        resident=made[4], acting_user=station_worker, data={"status": ResidentStatus.MOVED}
    )
    Resident.objects.filter(pk=made[0].pk).update(risk_level=RiskLevel.HIGH)
    Resident.objects.filter(pk=made[5].pk).update(risk_level=RiskLevel.HIGH)
    Resident.objects.filter(pk=made[1].pk).update(risk_level=RiskLevel.KEY)
    VisitPlan.objects.filter(resident__in=made[:2] + made[5:6]).update(
        is_active=True, next_due_date=date.today() - timedelta(days=3)
    )
    return made


def straightforward_category_filter(user, code: str, region_prefix: str = "") -> set[int]:
    """The resident list's category filter as it was first written: a correlated EXISTS."""
    qs = selectors.residents_visible(fetched_by=user).filter(status=ResidentStatus.ACTIVE)
    if region_prefix:
        qs = qs.in_subtree(region_prefix)
    links = ResidentCategory.objects.visible_to(user).filter(
        resident=OuterRef("pk"), category__code=code
    )
    return set(qs.filter(Exists(links)).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["living_alone", "empty_nest", "dibao", "tekun"])
def test_category_filter_finds_what_the_correlated_query_finds(
    people, code, national_user, county_user, station_worker, other_county_user
):
    for user in (national_user, county_user, station_worker, other_county_user):
        for prefix in ("", "440106001", "441881"):
            found = selectors.resident_list(fetched_by=user, category=code, region_prefix=prefix)
            ids = set(found.values_list("pk", flat=True))
            assert ids == straightforward_category_filter(user, code, prefix), (user, prefix)
            assert found.count() == len(ids)
            assert total_rows(found.order_by("region_id", "name")) == (len(ids), False)
    # The cases the data was made for are really there.
    national = straightforward_category_filter(national_user, "living_alone")
    assert {people[0].pk, people[3].pk, people[5].pk, people[6].pk} <= national
    assert people[2].pk in national  # a child, for a user who may see children
    assert people[2].pk not in straightforward_category_filter(county_user, "living_alone")
    assert people[5].pk not in straightforward_category_filter(county_user, "living_alone")


def live_statistics(user) -> dict:
    return {
        "by_sex": selectors.count_by(fetched_by=user, field_name="sex"),
        "by_risk": selectors.count_by(fetched_by=user, field_name="risk_level"),
        "by_category": selectors.count_by_category(fetched_by=user),
    }


def figures(user) -> dict[str, int]:
    return {str(f.label): f.value for f in selectors.home_figures(fetched_by=user)}


@pytest.mark.django_db
def test_summary_rows_give_the_live_counts(
    people, national_user, county_user, station_worker, other_county_user, make_member
):
    province = make_member("dept_staff", "440000000000", name="广东省委社会工作部")
    users = (national_user, province, county_user, station_worker, other_county_user)
    live = {u.pk: (live_statistics(u), figures(u)) for u in users}
    from shegong.regions.selectors import children_with_counts, jurisdiction_root

    live_rollups = {u.pk: children_with_counts(jurisdiction_root(fetched_by=u)) for u in users}
    assert services.tally_refresh() > 0
    for user in users:
        statistics = selectors.resident_statistics(fetched_by=user)
        assert statistics["as_of"] is not None, user
        assert {k: statistics[k] for k in live[user.pk][0]} == live[user.pk][0], user
        assert figures(user) == live[user.pk][1], user
        labels, rows = children_with_counts(jurisdiction_root(fetched_by=user))
        live_labels, live_rows = live_rollups[user.pk]
        assert [(r.region.code, r.counts) for r in rows] == [
            (r.region.code, r.counts) for r in live_rows
        ]
    assert figures(national_user)["高风险对象"] == 2
    assert figures(county_user)["服务对象"] == 4  # the moved resident is not counted
    assert figures(county_user)["逾期未探访"] == 2
    # What the pages say: the time of the count.
    assert all(f.hint.startswith("统计截至") for f in selectors.home_figures(fetched_by=province))


@pytest.mark.django_db
def test_statistics_page_shows_the_time_of_the_count(people, county_user, login):
    client = login(county_user)
    assert "统计截至" not in client.get("/people/statistics/").content.decode()
    services.tally_refresh()
    page = client.get("/people/statistics/")
    assert page.context["by_sex"] == {"M": 2, "F": 1}  # no child, no moved resident
    assert "统计截至" in page.content.decode()


@pytest.mark.django_db
def test_a_refresh_replaces_the_rows(people, county_user, make_resident, station_worker):
    services.tally_refresh()
    before = ResidentTally.objects.unscoped(reason=ORM).count()
    assert figures(county_user)["服务对象"] == 4
    make_resident(station_worker)
    assert figures(county_user)["服务对象"] == 4  # counted at the last refresh, as the page says
    services.tally_refresh()
    assert figures(county_user)["服务对象"] == 5
    assert ResidentTally.objects.unscoped(reason=ORM).count() == before


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_home_and_statistics_make_the_same_number_of_queries_at_any_size(
    make_resident, station_worker, national_user, county_user, make_member, login
):
    other = make_member("station_worker", "441881001000", kind="sw_station", name="英德社工站")
    counted: dict[tuple[str, str], list[int]] = {}
    region_reads: set[int] = set()
    for size in (2, 12):
        have = Resident.objects.unscoped(reason=ORM).count()
        for i in range(have, size):
            village = (VILLAGE, VILLAGE2, OTHER_VILLAGE)[i % 3]
            make_resident(other if village == OTHER_VILLAGE else station_worker, village=village)
        services.tally_refresh()
        for user in (national_user, county_user):
            client = login(user)
            who = "national" if user == national_user else "county"
            for url in ("/", "/people/statistics/"):
                page_queries(client, url)  # the per-process caches filled
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counted.setdefault((who, url), []).append(len(captured.captured_queries))
                if url == "/":
                    region_reads.add(sum('FROM "regions_region"' in q["sql"] for q in captured))
    # Four reads of the page shell (session, user, authenticator, membership); the home page one
    # per figure query of the apps and one per region counter (careers' "station_workers" and
    # contact's "contact_meetings" among them; the region tree is the process's, read once);
    # statistics one summary read and the category names.
    assert counted == {
        ("national", "/"): [27, 27],
        ("county", "/"): [27, 27],
        ("national", "/people/statistics/"): [6, 6],
        ("county", "/people/statistics/"): [6, 6],
    }
    assert region_reads == {0}  # the region tree (root, ancestors' names, children): cached


@pytest.mark.django_db
def test_the_region_tree_is_read_once_per_process(national_user, county_user, login):
    from shegong.regions.selectors import forget_region_names

    forget_region_names()
    client = login(county_user)
    with CaptureQueriesContext(connection) as first:
        page = client.get("/")
    with CaptureQueriesContext(connection) as again:
        client.get("/")
    tree_reads = [q["sql"] for q in first if '"regions_region"."parent_id" =' in q["sql"]]
    assert len(tree_reads) == 1  # root, ancestors and children together
    assert sum('FROM "regions_region"' in q["sql"] for q in again) == 0
    assert page.context["root_name"] == "广东省广州市天河区"
    assert {r.region.code[:9] for r in page.context["rows"]} >= {"440106001"}


@pytest.mark.django_db
def test_statistics_page_reads_one_summary_row_set(people, national_user, login):
    services.tally_refresh()
    client = login(national_user)
    client.get("/people/statistics/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/people/statistics/")
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum("people_residenttally" in s for s in sql) == 1
    assert not any('FROM "people_resident"' in s for s in sql)


# ---- totals ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_total_is_one_count_and_can_be_left_out(people, national_user, api_client_for):
    client = api_client_for(national_user)
    url = "/api/v1/people/residents"
    body = client.get(url).json()
    active = Resident.objects.unscoped(reason=ORM).filter(status=ResidentStatus.ACTIVE).count()
    assert body["count"] == active == len(body["items"])
    assert body["count_estimated"] is False
    assert client.get(url, {"category": "living_alone"}).json()["count"] == len(
        straightforward_category_filter(national_user, "living_alone")
    )
    without = client.get(url, {"count": "false"}).json()
    assert without["count"] is None and len(without["items"]) == active
    with CaptureQueriesContext(connection) as captured:
        past = client.get(url, {"page": 50}).json()
    assert past == {"items": [], "count": active, "count_estimated": False}
    assert not any("LIMIT" in q["sql"] and "people_resident" in q["sql"] for q in captured)
    assert client.get(url, {"count": "estimate"}).json()["count"] == active
    assert client.get(url, {"count": "maybe"}).status_code == 422


@pytest.mark.django_db
def test_an_estimate_only_where_asked_and_labelled(people, monkeypatch):
    from shegong.core import counting

    residents = Resident.objects.unscoped(reason=ORM).filter(status=ResidentStatus.ACTIVE)
    exact = residents.count()
    assert total_rows(residents) == (exact, False)
    # Small lists are counted exactly even when an estimate would do.
    assert total_rows(residents, estimate=True) == (exact, False)
    monkeypatch.setattr(counting, "ESTIMATE_FLOOR", 0)
    rows, estimated = total_rows(residents, estimate=True)
    if connection.vendor == "postgresql":
        assert estimated is True and rows >= 0
    else:  # SQLite has no estimate to give
        assert (rows, estimated) == (exact, False)


@pytest.mark.django_db
def test_national_list_labels_an_estimated_total(people, national_user, login, monkeypatch):
    from shegong.core import counting

    monkeypatch.setattr(counting, "ESTIMATE_FLOOR", 0)
    client = login(national_user)
    text = client.get("/people/").content.decode()
    filtered = client.get("/people/?category=living_alone").content.decode()
    if connection.vendor == "postgresql":
        assert "（估算）" in text
    else:
        assert "（估算）" not in text
    assert "（估算）" not in filtered  # a filtered list is always counted exactly


@pytest.mark.django_db
def test_category_counts_in_the_summary_match_the_memberships(people, national_user):
    services.tally_refresh()
    expected = dict(
        ResidentCategory.objects.unscoped(reason=ORM)
        .values_list("category__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert selectors.resident_statistics(fetched_by=national_user)["by_category"] == expected


@pytest.mark.django_db
def test_the_nightly_task_and_the_command_refresh_the_summary(people, county_user):
    from io import StringIO

    from django.core.management import call_command

    from shegong.people.tasks import tally_refresh_task

    assert selectors.jurisdiction_tally(fetched_by=county_user) is None
    result = tally_refresh_task.enqueue(reschedule=False)
    assert result.return_value["rows"] > 0
    assert selectors.jurisdiction_tally(fetched_by=county_user) is not None
    out = StringIO()
    call_command("people_tally", stdout=out)
    assert out.getvalue().startswith("rows: ")


@pytest.mark.django_db
def test_the_category_filter_total_reads_the_links_alone(people, national_user, county_user):
    """Each link carries its resident's status, so the filter's total never reads residents;
    a further filter drops the shortcut and is counted as it is."""
    moved = people[4]
    assert set(moved.category_links.values_list("resident_status", flat=True)) == {"moved"}
    assert set(people[0].category_links.values_list("resident_status", flat=True)) == {"active"}
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.resident_list(fetched_by=national_user, category="dibao")
        total, _ = total_rows(listed.order_by("region_id", "name", "id"))
    assert total == len(straightforward_category_filter(national_user, "dibao"))
    assert total == 2  # people[0], people[3]; the moved one is not counted
    # counted once, by the selector, on the links' index: no resident row is read for it
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len([s for s in sql if '"people_residentcategory"' in s]) == 1
    assert not [s for s in sql if '"people_resident"' in s]
    # every status: the moved resident is found again, and counted
    every = selectors.resident_list(fetched_by=national_user, category="dibao", status="")
    assert total_rows(every)[0] == 3 == every.count()
    # a reader who may not see children under 14: counted on the links too (their birth date)
    with CaptureQueriesContext(connection) as ctx:
        county = selectors.resident_list(fetched_by=county_user, category="living_alone")
        county_total = total_rows(county)[0]
    assert county_total == len(straightforward_category_filter(county_user, "living_alone"))
    assert county_total == county.count() and people[2].pk not in {r.pk for r in county}
    assert not [q for q in ctx.captured_queries if '"people_resident"' in q["sql"]]
    # a name search: counted on the residents themselves
    searched = selectors.resident_list(fetched_by=national_user, category="dibao", q="测试")
    assert getattr(searched, "_count_from", None) is None
    assert total_rows(searched)[0] == searched.count()
    refined = listed.filter(sex="F")
    assert getattr(refined, "_count_from", None) is None
    assert total_rows(refined)[0] == 1


@pytest.mark.django_db
def test_a_merge_gives_the_moved_links_the_kept_residents_status(make_resident, station_worker):
    keep = make_resident(station_worker, categories=[cat("living_alone")])
    remove = make_resident(station_worker, categories=[cat("dibao")])
    services.resident_update(
        resident=remove, acting_user=station_worker, data={"status": ResidentStatus.MOVED}
    )
    assert remove.category_links.get().resident_status == "moved"
    services.resident_merge(keep=keep, remove=remove, acting_user=station_worker)
    links = {link.category.code: link.resident_status for link in keep.category_links.all()}
    assert links == {"living_alone": "active", "dibao": "active"}
