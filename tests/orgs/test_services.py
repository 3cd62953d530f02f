import pytest
from django.core.exceptions import ValidationError

from shegong.core.history import history_of
from shegong.orgs import services
from shegong.orgs.models import Kind, Organisation
from shegong.regions.models import Region

VALID_CODE = "52440106MJ0000001J"  # 52: a social service organisation (民政)


def _data(**overrides):
    data = {
        "name": "天河区启航社会工作服务中心",
        "kind": Kind.SOCIAL_WORK_ORGANISATION,
        "region": Region.objects.get(code="440106000000"),
        "credit_code": VALID_CODE,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_create_validates_the_credit_code(county_user):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=county_user, data=_data(credit_code="91110000600037341X")
        )
    assert "校验位" in exc.value.message_dict["credit_code"][0]
    org = services.organisation_create(acting_user=county_user, data=_data())
    assert org.credit_code == VALID_CODE


@pytest.mark.django_db
def test_social_organisations_need_a_credit_code_and_departments_a_sector(county_user):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(acting_user=county_user, data=_data(credit_code=""))
    assert "credit_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=county_user,
            data=_data(kind=Kind.GOVERNMENT_DEPARTMENT, credit_code="", sector=""),
        )
    assert "sector" in exc.value.message_dict


@pytest.mark.django_db
def test_cannot_place_an_organisation_outside_the_jurisdiction(county_user):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=county_user, data=_data(region=Region.objects.get(code="441881000000"))
        )
    assert "辖区" in exc.value.message_dict["region"][0]
    assert not Organisation.objects.filter(name="天河区启航社会工作服务中心").exists()


@pytest.mark.django_db
def test_duplicate_credit_code_is_refused(county_user):
    services.organisation_create(acting_user=county_user, data=_data())
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(acting_user=county_user, data=_data(name="另一个机构"))
    assert "已被其他组织使用" in exc.value.message_dict["credit_code"][0]


@pytest.mark.django_db
def test_edit_shows_in_history_with_user_and_old_and_new_values(county_user):
    org = services.organisation_create(acting_user=county_user, data=_data(phone="020-1111"))
    services.organisation_update(
        organisation=org, acting_user=county_user, data={"phone": "020-2222"}
    )
    latest = history_of(org)[0]
    assert latest.kind == "~"
    assert latest.user == county_user
    change = next(c for c in latest.changes if c.field == "phone")
    assert (change.old, change.new) == ("020-1111", "020-2222")
    assert change.label == "联系电话"


@pytest.mark.django_db
def test_an_organisation_region_is_typed_as_a_code_or_a_unique_name(county_user):
    from shegong.regions.selectors import region_resolve

    assert region_resolve("440106", fetched_by=county_user).code == "440106000000"
    township = Region.objects.filter(parent_id="440106000000").order_by("code").first()
    assert region_resolve(township.name, fetched_by=county_user) == township
    with pytest.raises(ValidationError):
        region_resolve("999999", fetched_by=county_user)


@pytest.mark.django_db
def test_a_credit_code_used_in_another_jurisdiction_says_only_whom_to_contact(
    county_user, other_county_user
):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="天河区委社会工作部", kind="sw_department", region_id="440106000000")
    tianhe = services.organisation_create(acting_user=county_user, data=_data())
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            acting_user=other_county_user,
            data=_data(name="英德市某社工机构", region=Region.objects.get(code="441881000000")),
        )
    assert exc.value.message_dict["credit_code"] == [
        "该统一社会信用代码已由其他辖区的组织登记，请联系天河区委社会工作部。"
    ]
    assert tianhe.name not in str(exc.value)
