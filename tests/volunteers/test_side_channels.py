"""A volunteer registers once in the whole country: staff of another jurisdiction who enter an ID
number registered elsewhere learn only whom to contact, never whose it is."""

import pytest
from django.core.exceptions import ValidationError

from shegong.core.crypto import decrypt
from shegong.volunteers import services
from shegong.volunteers.models import Volunteer
from tests.factories import OrganisationFactory

from .helpers import make_volunteer

pytestmark = pytest.mark.django_db


def test_an_id_number_registered_elsewhere_says_whom_to_contact(county_user, other_county_user):
    OrganisationFactory(name="天河区委社会工作部", kind="sw_department", region_id="440106000000")
    tianhe = make_volunteer(name="黎晓风", by=county_user)
    number = decrypt(tianhe.id_number_encrypted)
    data = {"name": "另一个人", "id_number": number, "phone": "13900000001"}
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(
            data={**data, "region": "441881001001"},
            source=Volunteer.Source.ORGANISATION,
            acting_user=other_county_user,
            consent=True,
        )
    assert exc.value.message_dict["id_number"] == [
        "该身份证号已在其他辖区注册为志愿者，请联系天河区委社会工作部。"
    ]
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(
            data={**data, "region": "440106001001"},
            source=Volunteer.Source.ORGANISATION,
            acting_user=county_user,
            consent=True,
        )
    assert exc.value.message_dict["id_number"] == ["该身份证号已注册为志愿者。"]
    assert Volunteer.objects.count() == 1
