"""Done-when 3: a unit outside a directive's copies cannot read or act on it, on the pages and
the API (the same 404 as a missing one); each level sees its own subtree of the roll-up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shegong.directives import services
from shegong.directives.models import DirectiveTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def guangdong_only(world):
    directive = services.directive_issue(
        acting_user=world["central"],
        title="仅发广东",
        level=1,
        due_days=20,
        regions=["440000000000"],
        through_level=3,
    )
    return directive


def _copy(directive, world, key):
    return DirectiveTarget.objects.unscoped(reason="test").get(
        directive=directive, unit=world.units[key]
    )


def test_outside_unit_gets_404_on_pages_and_api(world, guangdong_only, login):
    directive = guangdong_only
    gd = _copy(directive, world, "guangdong")
    client = login(world["guizhou"])
    for url in (
        reverse("directives:detail", args=[directive.pk]),
        reverse("directives:rollup", args=[directive.pk]),
        reverse("directives:target", args=[gd.pk]),
        f"/api/v1/directives/directives/{directive.pk}",
        f"/api/v1/directives/directives/{directive.pk}/rollup",
        f"/api/v1/directives/targets/{gd.pk}",
        f"/api/v1/directives/targets/{gd.pk}/reports",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("directives:target_transition", args=[gd.pk, "acknowledge"])
        ).status_code
        == 404
    )
    response = client.post(
        f"/api/v1/directives/targets/{gd.pk}/actions/acknowledge",
        {},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.post(reverse("directives:remind", args=[directive.pk])).status_code == 404
    listed = client.get("/api/v1/directives/directives").json()
    assert directive.pk not in [d["id"] for d in listed["items"]]
    assert _copy(directive, world, "guangdong").status == "received"


def test_a_sibling_county_does_not_see_another_countys_copy(world, guangdong_only, login):
    th = _copy(guangdong_only, world, "tianhe")
    client = login(world["yingde"])
    assert client.get(reverse("directives:target", args=[th.pk])).status_code == 404
    # 英德 has its own copy: it sees the directive, and only its own subtree in the roll-up.
    page = client.get(reverse("directives:detail", args=[guangdong_only.pk]))
    assert page.status_code == 200
    rollup = client.get(f"/api/v1/directives/directives/{guangdong_only.pk}/rollup").json()
    assert {row["code"] for row in rollup["rows"]} <= {"441881000000"}
    assert (
        client.get(
            f"/api/v1/directives/directives/{guangdong_only.pk}/rollup?region=440106"
        ).status_code
        == 404
    )


def test_the_province_sees_its_subtree_and_the_centre_sees_all(world, guangdong_only, login):
    client = login(world["guangdong"])
    rollup = client.get(f"/api/v1/directives/directives/{guangdong_only.pk}/rollup").json()
    assert {row["prefix"] for row in rollup["rows"]} == {"44", "4401", "4418"}
    assert rollup["totals"]["total"] == 5
    page = client.get(reverse("directives:detail", args=[guangdong_only.pk]) + "?region=4401")
    assert page.status_code == 200 and "天河区" in page.content.decode()


def test_pages_render(world, guangdong_only, login):
    client = login(world["central"])
    for url in (
        reverse("directives:list"),
        reverse("directives:list") + "?box=issued",
        reverse("directives:tasks"),
        reverse("directives:issue"),
        reverse("directives:detail", args=[guangdong_only.pk]),
        reverse("directives:inspections"),
        reverse("directives:inspection_create"),
    ):
        assert client.get(url).status_code == 200, url


def test_issue_from_the_page(world, login):
    client = login(world["central"])
    response = client.post(
        reverse("directives:issue"),
        {
            "title": "全国社工站建设督查",
            "category": "task",
            "priority": "normal",
            "level": "1",
            "region": "",
            "more_regions": "广东省, 贵州省",
            "due_days": "20",
            "due_rule": "working",
            "ack_days": "3",
            "cadence": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert DirectiveTarget.objects.unscoped(reason="test").count() == 2
