from datetime import date

import pytest

from shegong.people.models import Category
from shegong.people.synthetic import make_id_number

VILLAGE = "440106001001"  # 岳洲社区居委会, 五山街道, 天河区
VILLAGE2 = "440106001002"
OTHER_VILLAGE = "441881001001"  # 英德市


@pytest.fixture
def station_worker(make_member):
    return make_member("station_worker", "440106001000", kind="sw_station", name="五山街道社工站")


@pytest.fixture
def township_staff(make_member):
    return make_member("dept_staff", "440106001000", name="五山街道社会工作办公室")


@pytest.fixture
def make_resident(db):
    from shegong.people import services
    from shegong.regions.models import Region

    counter = {"n": 0}

    def make(user, *, village=VILLAGE, name=None, birth=date(1945, 3, 8), sex="M", **kw):
        counter["n"] += 1
        number = make_id_number("440106", birth, counter["n"], sex)
        categories = kw.pop("categories", [Category.objects.get(code="living_alone")])
        return services.resident_create(
            acting_user=user,
            name=name or f"测试老人{counter['n']}",
            id_number=number,
            region=Region.objects.get(code=village),
            categories=categories,
            confirm_duplicates=True,
            **kw,
        )

    return make


@pytest.fixture
def consent_to_sharing(station_worker):
    """Record the resident's written consent to sharing on referral (needed for a referral to a
    hospital or a social work organisation: shegong.privacy.purposes)."""
    from shegong.privacy.services import consent_record

    def record(resident):
        return consent_record(
            acting_user=station_worker,
            resident=resident,
            purpose="referral",
            basis="consent",
            method="written",
            given_by="self",
            given_on=date.today(),
        )

    return record
