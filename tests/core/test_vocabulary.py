"""The shared pieces every app uses: the region code, the one region resolver and form field,
and the one action path of views."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from shegong.core.actions import attempt
from shegong.core.errors import ApplicationError
from shegong.core.forms import ShegongForm
from shegong.core.regioncode import RegionCode, code_range
from shegong.regions.forms import RegionField
from shegong.regions.models import Level
from shegong.regions.selectors import region_resolve

# ---- RegionCode ---------------------------------------------------------------------------------


def test_a_typed_prefix_becomes_a_full_code_with_its_level():
    assert RegionCode.parse("4401") == "440100000000"
    assert RegionCode.parse(" 440106 ").level == 3
    assert RegionCode.parse("440106001").level == 4
    assert RegionCode.parse("440106001001").level == 5
    assert RegionCode.parse("440106001001").prefix == "440106001001"
    assert RegionCode.parse("440106").ancestors() == [
        "000000000000",
        "440000000000",
        "440100000000",
    ]


@pytest.mark.parametrize("typed", ["", "4", "44010", "4401x6", "4401060010011"])
def test_anything_else_is_refused_with_the_field_and_the_reason(typed):
    with pytest.raises(ValidationError) as caught:
        RegionCode.parse(typed, field="receiver_region")
    assert "receiver_region" in caught.value.message_dict


@given(st.sampled_from([2, 4, 6, 9, 12]), st.integers(min_value=1, max_value=9))
def test_a_code_lies_in_the_range_of_each_of_its_prefixes(length, digit):
    code = RegionCode.parse(str(digit) * length)
    for level in range(code.level + 1):
        low, high = code_range(code.ancestor(level).prefix)
        assert low <= code <= high


# ---- region_resolve and RegionField -------------------------------------------------------------


@pytest.mark.django_db
def test_a_code_or_a_unique_name_resolves_inside_the_jurisdiction(county_user):
    assert region_resolve("440106", fetched_by=county_user).name == "天河区"
    village = region_resolve("440106001001", fetched_by=county_user, levels=[Level.VILLAGE])
    assert village.code == "440106001001"
    assert region_resolve(village.name, fetched_by=county_user).code.startswith("440106")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed,levels,code",
    [
        ("441881", None, "out_of_jurisdiction"),  # 英德市: another county
        ("440106999999", None, "unknown"),
        ("不存在的地方", None, "unknown"),
        ("440106", [Level.VILLAGE], "level"),
        ("  ", None, "required"),
    ],
)
def test_each_refusal_names_the_field_and_says_why(county_user, typed, levels, code):
    with pytest.raises(ValidationError) as caught:
        region_resolve(typed, fetched_by=county_user, levels=levels, field="place")
    assert caught.value.error_dict["place"][0].code == code


@pytest.mark.django_db
def test_a_public_form_resolves_in_the_whole_country():
    assert region_resolve("荔波县").code == "522722000000"


class PlaceForm(ShegongForm):
    place = RegionField(label="地点", levels=[Level.VILLAGE])


@pytest.mark.django_db
def test_the_region_field_cleans_to_a_region_of_the_acting_users_jurisdiction(
    county_user, other_county_user
):
    form = PlaceForm({"place": "440106001001"}, acting_user=county_user)
    assert form.is_valid() and form.cleaned_data["place"].code == "440106001001"
    outside = PlaceForm({"place": "440106001001"}, acting_user=other_county_user)
    assert not outside.is_valid()
    assert "辖区" in outside.errors["place"][0]
    html = str(PlaceForm(acting_user=county_user)["place"])
    assert (
        'list="id_place-options"' in html and "/regions/suggest/?field=place&amp;levels=5" in html
    )


# ---- attempt: the one action path ---------------------------------------------------------------


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class NoteForm(ShegongForm):
    from django import forms

    note = forms.CharField()


def test_a_refusal_goes_next_to_its_field_or_into_a_message():
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"note": "说明太短。"})

    outcome = attempt(_request(), refuse, form=form)
    assert not outcome and form.errors["note"] == ["说明太短。"]

    request = _request()
    outcome = attempt(request, lambda: (_ for _ in ()).throw(ApplicationError("已办结。")))
    assert not outcome
    assert [str(m) for m in get_messages(request)] == ["已办结。"]


def test_a_success_is_announced_and_its_value_returned():
    request = _request()
    outcome = attempt(request, lambda: 42, success=lambda n: f"编号 {n}")
    assert outcome and outcome.value == 42
    assert [str(m) for m in get_messages(request)] == ["编号 42"]


def test_a_service_field_is_shown_on_the_form_field_that_asked_for_it():
    form = NoteForm({"note": "x"})
    assert form.is_valid()

    def refuse():
        raise ApplicationError("有效期太长。", field="expires_at")

    attempt(_request(), refuse, form=form, fields={"expires_at": "note"})
    assert form.errors["note"] == ["有效期太长。"]


# ---- one scoped queryset where one line was all a subclass added -------------------------------


@pytest.mark.django_db
def test_a_scoped_manager_needs_no_subclass(county_user):
    import pickle

    from shegong.core.models import AuditLog
    from shegong.core.scoping import ScopedQuerySet
    from shegong.inbox.models import Notification

    queryset = Notification.objects.all()
    assert isinstance(queryset, ScopedQuerySet) and queryset.region_field == "region_code"
    assert type(AuditLog.objects.all()) is type(queryset)  # one class per region field
    assert ScopedQuerySet.for_region_field("region").region_field == "region"
    assert pickle.loads(pickle.dumps(Notification.objects.visible_to(county_user))).count() == 0
