"""Duty lists (职责清单): each unit publishes what it does and on what basis; versions supersede
each other and stay readable; only the unit itself edits; "whose duty is it" finds the unit
inside the jurisdiction whose published items match a text, and never one outside."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.orgs import selectors, services
from shegong.orgs.models import DutyKeyword, DutyList, DutyStatus

MINIMUM_LIVING = {
    "title": "城乡最低生活保障审核确认",
    "basis": "《社会救助暂行办法》第十一条",
    "description": "受理、审核低保申请，按月发放低保金",
    "keywords": "低保、最低生活保障、低保金",
}
PETITIONS = {
    "title": "信访事项的受理、交办和督办",
    "basis": "《信访工作条例》第三十条",
    "keywords": "信访，投诉请求",
}
STATION = {
    "title": "困难群众探访和政策咨询",
    "basis": "《关于加强乡镇（街道）社会工作服务站建设的指导意见》",
    "keywords": "探访、独居、政策咨询",
}


@pytest.fixture
def units(make_member):
    dept = make_member("dept_staff", "440106000000", name="天河区委社会工作部")
    station = make_member(
        "station_worker", "440106001000", kind="sw_station", name="天河甲街道社工站"
    )
    civil = make_member(
        "org_staff",
        "440106000000",
        kind="gov_department",
        sector="civil_affairs",
        name="天河区民政局",
    )
    city = make_member("dept_leader", "440100000000", name="广州市委社会工作部")
    yingde = make_member("dept_staff", "441881000000", name="英德市委社会工作部")
    yingde_civil = make_member(
        "org_staff",
        "441881000000",
        kind="gov_department",
        sector="civil_affairs",
        name="英德市民政局",
    )
    return {
        "dept": dept,
        "station": station,
        "civil": civil,
        "city": city,
        "yingde": yingde,
        "yingde_civil": yingde_civil,
    }


def org_of(user):
    return user.active_membership.organisation


def publish(user, *items, note=""):
    return services.duty_list_publish(
        acting_user=user, organisation=org_of(user), items=list(items), note=note
    )


def test_publish_creates_a_version_and_supersedes_the_earlier(units):
    civil = units["civil"]
    first = publish(civil, MINIMUM_LIVING)
    assert (first.version, first.status) == (1, DutyStatus.PUBLISHED)
    assert first.published_by == civil and first.published_at is not None
    second = publish(civil, MINIMUM_LIVING, PETITIONS, note="增加信访职责")
    first.refresh_from_db()
    assert (second.version, second.status) == (2, DutyStatus.PUBLISHED)
    assert first.status == DutyStatus.SUPERSEDED and first.superseded_at is not None
    # the earlier version stays readable with its items and its date
    assert [i.title for i in first.items.all()] == [MINIMUM_LIVING["title"]]
    current = selectors.duty_lists_current(fetched_by=civil, organisation=org_of(civil))
    assert current == [second]
    versions = selectors.duty_list_versions(fetched_by=units["city"], organisation=org_of(civil))
    assert [v.version for v in versions] == [2, 1]
    # keywords are indexed for the version in force only
    assert set(DutyKeyword.objects.values_list("item__duty_list", flat=True)) == {second.pk}


def test_a_draft_leaves_the_version_in_force_alone_until_published(units):
    dept = units["dept"]
    published = publish(dept, PETITIONS)
    draft = services.duty_list_draft(
        acting_user=dept, organisation=org_of(dept), items=[PETITIONS, STATION]
    )
    assert (draft.version, draft.status) == (2, DutyStatus.DRAFT)
    assert selectors.duty_lists_current(fetched_by=dept, organisation=org_of(dept)) == [published]
    # a superior reads the versions but not the unit's draft
    versions = selectors.duty_list_versions(fetched_by=units["city"], organisation=org_of(dept))
    assert [v.version for v in versions] == [1]
    services.duty_list_draft(acting_user=dept, organisation=org_of(dept), items=[STATION])
    assert [i.title for i in draft.items.all()] == [STATION["title"]]
    services.duty_list_publish(acting_user=dept, organisation=org_of(dept))
    draft.refresh_from_db()
    assert draft.status == DutyStatus.PUBLISHED


def test_history_shows_every_change(units):
    civil = units["civil"]
    first = publish(civil, MINIMUM_LIVING)
    publish(civil, PETITIONS)
    statuses = list(first.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "published", "superseded"]
    assert first.history.latest().history_user == civil
    from shegong.orgs.models import DutyItem

    assert DutyItem.history.filter(duty_list_id=first.pk, history_type="+").count() == 1


def test_an_item_without_a_title_is_refused_by_row(units):
    with pytest.raises(ValidationError) as exc:
        publish(units["dept"], {"basis": "《信访工作条例》"})
    assert "第 1 项" in str(exc.value)
    with pytest.raises(ValidationError):
        services.duty_list_publish(acting_user=units["dept"], organisation=org_of(units["dept"]))
    assert not DutyList.objects.exists()


def test_only_the_unit_itself_edits(units):
    civil_org = org_of(units["civil"])
    for other in ("dept", "city", "station", "yingde"):
        with pytest.raises(PermissionDenied):
            services.duty_list_publish(
                acting_user=units[other], organisation=civil_org, items=[MINIMUM_LIVING]
            )
    assert not DutyList.objects.exists()


def test_duty_holders_finds_the_unit_inside_the_jurisdiction_never_outside(units):
    publish(units["civil"], MINIMUM_LIVING)
    publish(units["yingde_civil"], MINIMUM_LIVING)
    publish(units["dept"], PETITIONS)
    publish(units["station"], STATION)
    text = "居民张某反映其母亲独居，申请低保一直没有答复，希望尽快办理。"
    holders = selectors.duty_holders(fetched_by=units["dept"], text=text)
    names = [h.organisation.name for h in holders]
    assert names[0] == "天河区民政局"
    assert names[1:] == ["天河甲街道社工站"]  # 独居 is one of its keywords
    assert "英德市民政局" not in names
    assert holders[0].items[0].title == MINIMUM_LIVING["title"]
    # a short search matches titles and keywords too
    found = selectors.duty_holders(fetched_by=units["city"], text="最低生活保障")
    assert [h.organisation.name for h in found] == ["天河区民政局"]
    # a county user never sees another county's unit, even where only it matches
    assert selectors.duty_holders(fetched_by=units["yingde"], text="信访") == []
    # `within` narrows to a subtree inside the jurisdiction
    inside = selectors.duty_holders(fetched_by=units["city"], text=text, within="440106001")
    assert [h.organisation.name for h in inside] == ["天河甲街道社工站"]
    assert selectors.duty_holders(fetched_by=units["dept"], text=text, within="441881") == []


def test_superseded_items_no_longer_match(units):
    publish(units["civil"], MINIMUM_LIVING)
    publish(units["civil"], PETITIONS)
    assert selectors.duty_holders(fetched_by=units["civil"], text="申请低保") == []


# ---- pages ---------------------------------------------------------------------------------------


def test_organisation_page_shows_the_list_in_force(units, login):
    publish(units["civil"], MINIMUM_LIVING)
    second = publish(units["civil"], MINIMUM_LIVING, PETITIONS)
    client = login(units["city"])
    org = org_of(units["civil"])
    text = client.get(f"/orgs/{org.pk}/").content.decode()
    assert 'data-testid="duty-lists"' in text
    assert "《社会救助暂行办法》第十一条" in text and "第 2 版" in text
    assert f"/orgs/{org.pk}/duties/" in text
    assert f"/orgs/{org.pk}/duties/edit/" not in text  # a superior reads, does not edit
    versions = client.get(f"/orgs/{org.pk}/duties/").content.decode()
    assert "第 1 版" in versions and "已废止" in versions
    first = DutyList.objects.get(organisation=org, version=1)
    page = client.get(f"/orgs/{org.pk}/duties/{first.pk}/").content.decode()
    assert MINIMUM_LIVING["title"] in page and PETITIONS["title"] not in page
    assert client.get(f"/orgs/{org.pk}/duties/{second.pk}/").status_code == 200


def test_the_unit_edits_and_publishes_on_its_page(units, login):
    client = login(units["station"])
    org = org_of(units["station"])
    page = client.get(f"/orgs/{org.pk}/")
    assert f"/orgs/{org.pk}/duties/edit/" in page.content.decode()
    form = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-title": STATION["title"],
        "items-0-basis": STATION["basis"],
        "items-0-keywords": STATION["keywords"],
        "note": "首次发布",
    }
    response = client.post(f"/orgs/{org.pk}/duties/edit/", {**form, "save": "1"})
    assert response.status_code == 302
    assert DutyList.objects.get(organisation=org).status == DutyStatus.DRAFT
    edit = client.get(f"/orgs/{org.pk}/duties/edit/").content.decode()
    assert STATION["title"] in edit and "草稿" in edit
    response = client.post(f"/orgs/{org.pk}/duties/edit/", {**form, "publish": "1"})
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    assert DutyList.objects.get(organisation=org).status == DutyStatus.PUBLISHED
    refused = client.post(
        f"/orgs/{org.pk}/duties/edit/", {**form, "items-0-title": "", "publish": "1"}
    )
    assert refused.status_code == 200 and "第 1 项" in refused.content.decode()


def test_another_unit_is_refused_and_another_county_gets_404(units, login, client):
    org = org_of(units["civil"])
    publish(units["civil"], MINIMUM_LIVING)
    listed = DutyList.objects.get(organisation=org)
    assert login(units["dept"]).get(f"/orgs/{org.pk}/duties/edit/").status_code == 403
    assert login(units["city"]).post(f"/orgs/{org.pk}/duties/edit/", {}).status_code == 403
    yingde = login(units["yingde"])
    for path in (
        f"/orgs/{org.pk}/",
        f"/orgs/{org.pk}/duties/",
        f"/orgs/{org.pk}/duties/{listed.pk}/",
        f"/orgs/{org.pk}/duties/edit/",
    ):
        assert yingde.get(path).status_code == 404, path
    search = yingde.get("/orgs/duties/search/", {"q": "低保"}).content.decode()
    assert "天河区民政局" not in search


def test_search_page_lists_the_units_with_their_items(units, login):
    publish(units["civil"], MINIMUM_LIVING)
    text = login(units["dept"]).get("/orgs/duties/search/", {"q": "低保"}).content.decode()
    assert 'data-testid="duty-holders"' in text
    assert "天河区民政局" in text and MINIMUM_LIVING["title"] in text


# ---- API -----------------------------------------------------------------------------------------


def test_api_reads_the_lists_and_the_unit_publishes(units, client):
    from tests.api.conftest import TokenClient, token_for

    org = org_of(units["civil"])
    own = TokenClient(client, token_for(units["civil"]))
    response = own.post(
        f"/api/v1/orgs/{org.pk}/duties/publish",
        {"note": "首次发布", "items": [MINIMUM_LIVING, PETITIONS]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    response = own.post(f"/api/v1/orgs/{org.pk}/duties/publish", {"items": [PETITIONS]})
    assert response.json()["version"] == 2
    city = TokenClient(client, token_for(units["city"]))
    current = city.get(f"/api/v1/orgs/{org.pk}/duties").json()
    assert [(d["version"], [i["title"] for i in d["items"]]) for d in current] == [
        (2, [PETITIONS["title"]])
    ]
    assert current[0]["items"][0]["keywords"] == ["信访", "投诉请求"]
    versions = city.get(f"/api/v1/orgs/{org.pk}/duties/versions").json()
    assert [(v["version"], v["status"]) for v in versions] == [(2, "published"), (1, "superseded")]
    first = versions[1]["id"]
    assert len(city.get(f"/api/v1/orgs/{org.pk}/duties/{first}").json()["items"]) == 2
    holders = city.get("/api/v1/orgs/duty-holders", {"text": "信访"}).json()
    assert [h["organisation_name"] for h in holders] == ["天河区民政局"]
    # a superior reads but may not publish; another county gets 404 everywhere
    refused = city.post(f"/api/v1/orgs/{org.pk}/duties/publish", {"items": [STATION]})
    assert refused.status_code == 403
    yingde = TokenClient(client, token_for(units["yingde"]))
    assert yingde.get(f"/api/v1/orgs/{org.pk}/duties").status_code == 404
    assert yingde.get(f"/api/v1/orgs/{org.pk}/duties/versions").status_code == 404
    assert yingde.get(f"/api/v1/orgs/{org.pk}/duties/{first}").status_code == 404
    other = yingde.post(f"/api/v1/orgs/{org.pk}/duties/publish", {"items": [STATION]})
    assert other.status_code == 404
    assert yingde.get("/api/v1/orgs/duty-holders", {"text": "信访"}).json() == []
    assert DutyList.objects.filter(organisation=org).count() == 2


def test_a_province_finds_the_same_units_by_pieces_of_the_text(units, make_member):
    """Above a county the text is cut into pieces looked up on the keyword index; the answer is
    the one the row-by-row comparison gives inside the county."""
    publish(units["civil"], MINIMUM_LIVING)
    publish(units["station"], STATION)
    publish(units["yingde_civil"], MINIMUM_LIVING)
    province = make_member("dept_leader", "440000000000", name="广东省委社会工作部")
    text = "母亲独居，申请低保一直没有答复"
    by_pieces = selectors.duty_holders(fetched_by=province, text=text, within="4401")
    by_rows = selectors.duty_holders(fetched_by=units["dept"], text=text)
    assert [h.organisation.pk for h in by_pieces] == [h.organisation.pk for h in by_rows]
    wide = selectors.duty_holders(fetched_by=province, text=text)
    assert {h.organisation.name for h in wide} == {
        "天河区民政局",
        "英德市民政局",
        "天河甲街道社工站",
    }
