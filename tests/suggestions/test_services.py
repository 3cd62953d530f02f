"""The suggestions box's services: consent for personal data, answering a whole group,
publishing with the text anonymised, and conversion into a matter with the link both ways."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from shegong.suggestions import services
from shegong.suggestions.anonymise import anonymise
from shegong.suggestions.models import Suggestion
from tests.suggestions.conftest import YINGCHENG, refetch

pytestmark = pytest.mark.django_db
PARKING = [
    "小区车位太少，晚上停车难，很多车乱停占用消防通道",
    "小区晚上停车难，车位严重不足，乱停车堵住消防通道",
    "车位不够，停车难，消防通道被乱停的车堵住了",
]


def test_a_name_or_contact_needs_consent_and_is_encrypted_at_rest(submit):
    with pytest.raises(ValidationError) as refused:
        submit("希望增设充电桩，电动车充电不方便", name="陈晓", contact="13812345678")
    assert "contact_consent" in refused.value.message_dict
    s = submit("希望增设充电桩，电动车充电不方便", name="陈晓", contact="13812345678",
               contact_consent=True)  # fmt: skip
    assert refetch(s).contact == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, contact FROM suggestions_suggestion WHERE id = %s", [s.pk])
        raw = cursor.fetchone()
    assert "陈晓" not in raw[0] and "13812345678" not in raw[1]


def test_outside_a_county_or_too_short_is_refused(submit):
    with pytest.raises(ValidationError):
        submit("停车难", region="440100000000")
    with pytest.raises(ValidationError):
        submit("好")


def test_answering_a_whole_group_answers_its_waiting_members(submit, staff):
    made = [submit(text) for text in PARKING]
    other = submit("社区图书室周末不开放，上班族没时间去看书")
    assert len({refetch(s).cluster_id for s in made}) == 1
    services.suggestion_answer(
        suggestion=made[0], acting_user=staff["wushan"], answer="已协调增划车位", whole_cluster=True
    )
    assert {refetch(s).status for s in made} == {Suggestion.Status.ANSWERED}
    assert refetch(other).status == Suggestion.Status.RECEIVED
    assert refetch(made[1]).answering_unit.name == "五山街道社工站"


def test_an_outsider_may_not_answer(submit, staff):
    s = submit(PARKING[0])
    with pytest.raises(PermissionDenied):
        services.suggestion_answer(suggestion=s, acting_user=staff["yingde"], answer="好")
    assert refetch(s).status == Suggestion.Status.RECEIVED


def test_publishing_anonymises_the_text(submit, staff):
    s = submit(
        "我叫陈晓，电话13812345678，身份证440106199001011234，小区停车难，车位太少",
        name="陈晓",
        contact="13812345678",
        contact_consent=True,
    )
    services.suggestion_answer(suggestion=s, acting_user=staff["tianhe"], answer="已增划车位")
    services.suggestion_publish(suggestion=refetch(s), acting_user=staff["tianhe"])
    published = refetch(s)
    assert published.status == Suggestion.Status.PUBLISHED
    for secret in ("陈晓", "13812345678", "440106199001011234"):
        assert secret not in published.public_text
    assert "停车难" in published.public_text


def test_anonymise_removes_introduced_names_and_numbers():
    text = "王先生反映：联系人：李四，座机020-87654321，邮箱li@example.com，路灯坏了"
    out = anonymise(text)
    for secret in ("王先生", "李四", "87654321", "li@example.com"):
        assert secret not in out
    assert "路灯坏了" in out


def test_converting_into_a_matter_keeps_the_link_both_ways(submit, staff):
    from shegong.petitions.selectors import leaf_categories

    s = submit("邻居装修长期噪音扰民，多次协商无果，希望调解", name="陈晓", contact="13812345678",
               contact_consent=True)  # fmt: skip
    services.suggestion_convert(
        suggestion=s,
        acting_user=staff["tianhe"],
        kind="dispute",
        category=leaf_categories().first(),
    )
    converted = refetch(s)
    assert converted.status == Suggestion.Status.CONVERTED
    matter = converted.matter
    assert matter.suggestion.pk == s.pk
    assert matter.region_id == s.region_code
    assert matter.petitioners.get().name == "陈晓"


def test_groups_never_reach_across_counties(submit):
    a = submit(PARKING[0])
    b = submit(PARKING[1], region=YINGCHENG)
    assert refetch(a).cluster_id != refetch(b).cluster_id
