"""Done-when 4: an inspection's rectification item appears on the responsible unit's task list,
is closed with evidence (a completion report with an attachment) and the inspecting department
sees it closed — the same copy machinery as directives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shegong.directives import selectors, services
from shegong.directives.models import DirectiveTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(world):
    return services.inspection_record(
        acting_user=world["tianhe"],
        kind="inspection",
        region_code="440106001000",
        organisation=world.units["wushan"],
        inspectors="李天河、王督导",
        visited_on=timezone.localdate(),
        findings="台账不全；服务记录未及时录入。",
    )


def test_rectification_item_closed_with_evidence(world, inspection, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    due = timezone.localdate() + timedelta(days=30)
    directive = services.rectification_assign(
        inspection=inspection,
        acting_user=world["tianhe"],
        items=[
            services.Item(text="补齐服务台账", unit=world.units["wushan"], due_date=due),
            services.Item(text="录入服务记录", unit=world.units["yuancun"], due_date=due),
        ],
    )
    assert directive.category == "rectification"
    # On the responsible unit's task list, with the item as its title and its own deadline.
    tasks = list(selectors.task_list(fetched_by=world["wushan"]))
    assert [(t.display_title, t.due_date) for t in tasks] == [("补齐服务台账", due)]
    client = login(world["wushan"])
    assert "补齐服务台账" in client.get(reverse("directives:tasks")).content.decode()
    item = tasks[0]
    # The station acknowledges and submits completion with evidence, through the page.
    client.post(reverse("directives:target_transition", args=[item.pk, "acknowledge"]))
    response = client.post(
        reverse("directives:target_transition", args=[item.pk, "complete"]),
        {
            "text": "台账已补齐",
            "attachment": SimpleUploadedFile("台账照片.jpg", b"\xff\xd8\xff photo", "image/jpeg"),
        },
    )
    assert response.status_code == 302
    # The inspecting department accepts it, and sees it closed with the evidence.
    client = login(world["tianhe"])
    client.post(reverse("directives:target_transition", args=[item.pk, "accept"]))
    item = DirectiveTarget.objects.unscoped(reason="test").get(pk=item.pk)
    assert item.status == "completed"
    page = client.get(reverse("directives:inspection", args=[inspection.pk])).content.decode()
    assert "已办结" in page and "台账照片.jpg" in page
    items = selectors.rectification_items(fetched_by=world["tianhe"], inspection=inspection)
    assert {i.unit_id: i.status for i in items} == {
        world.units["wushan"].pk: "completed",
        world.units["yuancun"].pk: "received",
    }
    # The evidence downloads for the department, not for a unit outside.
    evidence = item.reports.get().attachments.get()
    url = reverse("directives:attachment", args=[evidence.pk])
    assert client.get(url).status_code == 200
    assert login(world["yingde"]).get(url).status_code == 404
    # Gone from the station's task list.
    assert list(selectors.task_list(fetched_by=world["wushan"])) == []


def test_only_the_inspecting_department_assigns_items(world, inspection):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises((ValidationError, PermissionDenied)):
        services.rectification_assign(
            inspection=inspection,
            acting_user=world["guangzhou"],
            items=[
                services.Item(text="x", unit=world.units["wushan"], due_date=timezone.localdate())
            ],
        )


def test_inspection_pages_and_api(world, inspection, login):
    client = login(world["tianhe"])
    response = client.post(
        reverse("directives:rectification_add", args=[inspection.pk]),
        {
            "text": "完善制度",
            "unit": world.units["wushan"].pk,
            "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    items = client.get(f"/api/v1/directives/inspections/{inspection.pk}/items").json()
    assert [i["title"] for i in items] == ["完善制度"]
    assert (
        login(world["yingde"]).get(f"/api/v1/directives/inspections/{inspection.pk}").status_code
        == 404
    )
