import pytest
from django.http import Http404

from shegong.core.scoping import Jurisdiction, code_range, get_visible_or_404
from shegong.orgs.models import Organisation
from tests.factories import OrganisationFactory


def test_code_range_covers_exactly_the_subtree():
    low, high = code_range("4401")
    assert (low, high) == ("440100000000", "440199999999")
    assert low <= "440106001001" <= high
    assert not (low <= "440200000000" <= high)
    assert code_range("") == ("000000000000", "999999999999")


def test_jurisdiction_contains_only_its_prefix():
    j = Jurisdiction(prefix="440106", region_code="440106000000", level=3)
    assert j.contains("440106001001")
    assert not j.contains("440105000000")
    assert not j.contains("")


@pytest.mark.django_db
def test_visible_to_filters_by_active_membership(county_user, other_county_user):
    inside = OrganisationFactory(region_id="440106001000", name="天河某街道社工站")
    outside = OrganisationFactory(region_id="441881101000", name="英德某镇社工站")
    visible = set(Organisation.objects.visible_to(county_user))
    assert inside in visible
    assert outside not in visible
    assert all(o.region_id.startswith("440106") for o in visible)
    assert outside in set(Organisation.objects.visible_to(other_county_user))


@pytest.mark.django_db
def test_no_membership_sees_nothing(county_user):
    OrganisationFactory(region_id="440106001000")
    county_user.active_membership = None
    assert not Organisation.objects.visible_to(county_user).exists()


@pytest.mark.django_db
def test_national_membership_sees_everything(make_member):
    central = make_member("dept_leader", "000000000000")
    OrganisationFactory(region_id="441881101000")
    OrganisationFactory(region_id="440106001000")
    assert Organisation.objects.visible_to(central).count() == Organisation.objects.count()


@pytest.mark.django_db
def test_get_visible_or_404_same_for_missing_and_outside(county_user):
    outside = OrganisationFactory(region_id="441881101000")
    with pytest.raises(Http404) as outside_exc:
        get_visible_or_404(Organisation.objects.all(), county_user, pk=outside.pk)
    with pytest.raises(Http404) as missing_exc:
        get_visible_or_404(Organisation.objects.all(), county_user, pk=10**9)
    assert str(outside_exc.value) == str(missing_exc.value)
