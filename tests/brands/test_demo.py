import pytest
from django.core.management import call_command

from shegong.brands.models import Brand, BrandEvaluation
from shegong.practices.models import Adoption, Practice


@pytest.mark.django_db
def test_the_demo_has_two_brands_one_city_recognised_and_a_practice_adopted_by_libo():
    call_command("demo", only=["orgs", "accounts", "volunteers", "brands", "practices"])
    brands = Brand.objects.unscoped(reason="test")
    assert sorted(b.region_code[:6] for b in brands) == ["440106", "441881"]
    recognised = brands.get(recognition_level="city")
    assert recognised.region_code.startswith("440106")
    evaluation = BrandEvaluation.objects.unscoped(reason="test").get(brand=recognised)
    assert evaluation.hours > 0  # counted from the demo's confirmed service records
    practice = Practice.objects.unscoped(reason="test").get()
    assert practice.recommended_code == "000000000000" and practice.published_on
    adoption = Adoption.objects.unscoped(reason="test").get()
    assert adoption.region_code == "522722000000" and adoption.private_notes
    call_command("demo", only=["brands", "practices"])  # idempotent
    assert brands.count() == 2 and Practice.objects.unscoped(reason="test").count() == 1
