"""The unified social credit code's first two characters against the organisation's kind
(GB 32100-2015: registration authority and kind of body), in the service, the page, the API,
imports and donors — one validator (orgs.validators)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from shegong.core.demo_utils import credit_code, rng
from shegong.funds import services as funds_services
from shegong.orgs import services
from shegong.orgs.models import Kind, Organisation
from shegong.orgs.validators import check_credit_code_kind, expected_prefixes
from shegong.regions.models import Region
from tests.api.conftest import TokenClient, token_for
from tests.orgs.test_import import HEADERS, workbook


def code(prefix: str, region: str = "440106", body: str = "MJ0000001") -> str:
    """A code with a correct check character and the given first two characters."""
    head = prefix + region + body
    return head + uscc.calc_check_digit(head + "0")


ENTERPRISE = code("91")
SOCIAL_SERVICE = code("52")
FOUNDATION = code("53")


def _data(**overrides):
    data = {
        "name": "天河区启航社会工作服务中心",
        "kind": Kind.SOCIAL_WORK_ORGANISATION,
        "region": Region.objects.get(code="440106000000"),
        "credit_code": SOCIAL_SERVICE,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_social_work_organisation_with_an_enterprise_code_is_refused_naming_the_prefix(
    county_user,
):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(acting_user=county_user, data=_data(credit_code=ENTERPRISE))
    [message] = exc.value.message_dict["credit_code"]
    assert "统一社会信用代码前两位应为 52" in message
    assert "社会工作服务机构" in message and "以 91 开头" in message
    assert not Organisation.objects.filter(name="天河区启航社会工作服务中心").exists()
    org = services.organisation_create(acting_user=county_user, data=_data())
    assert org.credit_code == SOCIAL_SERVICE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (Kind.SOCIAL_ORGANISATION, "53", "91"),
        (Kind.SOCIAL_ORGANISATION, "51", "12"),
        (Kind.SOCIAL_WORK_DEPARTMENT, "11", "52"),
        (Kind.GOVERNMENT_DEPARTMENT, "13", "51"),
        (Kind.HOSPITAL, "12", "11"),
    ],
)
def test_each_kind_takes_its_prefixes_only(county_user, kind, good, bad):
    extra = {"sector": "civil_affairs"} if kind == Kind.GOVERNMENT_DEPARTMENT else {}
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=county_user, data=_data(kind=kind, credit_code=code(bad), **extra)
        )
    assert f"以 {bad} 开头" in exc.value.message_dict["credit_code"][0]
    org = services.organisation_create(
        acting_user=county_user, data=_data(kind=kind, credit_code=code(good), **extra)
    )
    assert org.credit_code.startswith(good)


@pytest.mark.django_db
def test_a_prefix_outside_the_national_table_is_refused_for_any_kind(county_user):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=county_user,
            data=_data(kind=Kind.SOCIAL_WORK_STATION, credit_code=code("58")),
        )
    assert "前两位 58 不是 GB 32100" in exc.value.message_dict["credit_code"][0]
    # a station may be a public institution or a social service organisation
    station = services.organisation_create(
        acting_user=county_user, data=_data(kind=Kind.SOCIAL_WORK_STATION, credit_code=code("12"))
    )
    assert station.credit_code.startswith("12")


@pytest.mark.django_db
def test_changing_the_kind_checks_the_code_again(county_user):
    org = services.organisation_create(acting_user=county_user, data=_data())
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(
            organisation=org, acting_user=county_user, data={"kind": Kind.SOCIAL_WORK_DEPARTMENT}
        )
    assert "前两位应为 11" in exc.value.message_dict["credit_code"][0]
    org.refresh_from_db()
    assert org.kind == Kind.SOCIAL_WORK_ORGANISATION


@pytest.mark.django_db
def test_the_page_shows_the_expected_prefix_on_the_field(login, county_user):
    response = login(county_user).post(
        "/orgs/new/",
        {
            "name": "天河区向阳社工服务中心",
            "kind": "sw_organisation",
            "region": "440106",
            "credit_code": ENTERPRISE,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-credit_code"' in text and "前两位应为 52" in text
    assert not Organisation.objects.filter(name="天河区向阳社工服务中心").exists()


@pytest.mark.django_db
def test_the_api_answers_a_field_error(client, make_member):
    leader = make_member("dept_leader", "440106000000", name="天河区委社会工作部")
    api = TokenClient(client, token_for(leader))
    body = {"name": "天河区某基金会", "kind": "social_organisation", "region": "440106"}
    response = api.post("/api/v1/orgs/", {**body, "credit_code": ENTERPRISE})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "credit_code" and "51、52、53、59" in error["reason"]
    response = api.post("/api/v1/orgs/", {**body, "credit_code": FOUNDATION})
    assert response.status_code == 201
    org = Organisation.objects.get(name="天河区某基金会")
    response = api.patch(f"/api/v1/orgs/{org.pk}", {"kind": "sw_department"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "credit_code"


@pytest.mark.django_db
def test_an_import_row_with_a_code_of_another_kind_is_reported_on_its_line(county_user):
    r = rng("prefix-import")
    rows = [
        ["天河区甲社工机构", "社会工作服务机构", "440106", credit_code(r, "440106"), "", ""],
        ["天河区乙社工机构", "社会工作服务机构", "440106", code("91", body="MA5C00002"), "", ""],
    ]
    result = services.organisations_import(
        acting_user=county_user, upload=workbook(rows), filename="orgs.xlsx"
    )
    assert HEADERS[3] == "统一社会信用代码"
    assert result.created == 1
    [error] = result.errors
    assert error.line == 3 and error.field == "credit_code" and "前两位应为 52" in error.reason


@pytest.mark.django_db
def test_a_donor_code_must_be_a_registered_category(county_user):
    with pytest.raises(ValidationError) as exc:
        funds_services.donor_create(
            acting_user=county_user, kind="organisation", name="某公司", credit_code=code("58")
        )
    assert "58" in exc.value.message_dict["credit_code"][0]
    donor = funds_services.donor_create(
        acting_user=county_user, kind="organisation", name="某公司", credit_code=ENTERPRISE.lower()
    )
    assert donor.credit_code == ENTERPRISE


def test_the_demo_codes_fit_a_social_work_organisation():
    r = rng("demo-codes")
    for county in ("440106", "441881", "522722"):
        check_credit_code_kind(credit_code(r, county), kind=Kind.SOCIAL_WORK_ORGANISATION)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(Kind.values),
    prefix=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=2, max_size=2),
)
def test_a_code_passes_exactly_when_its_prefix_is_expected_for_the_kind(kind, prefix):
    allowed = expected_prefixes(kind)
    try:
        check_credit_code_kind(code(prefix), kind=kind)
    except ValidationError:
        assert allowed and prefix not in allowed
    else:
        assert not allowed or prefix in allowed
