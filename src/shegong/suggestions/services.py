"""Writes of the public's suggestions: submitted on the portal (words, suggested topic and
cluster stored on write), answered by staff (one or a whole group), published with the text
anonymised, or converted into a petitions matter through petitions' own registration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.core.permissions import has_perm
from shegong.core.regioncode import RegionCode
from shegong.core.scoping import jurisdiction_of
from shegong.suggestions import grouping
from shegong.suggestions.anonymise import anonymise
from shegong.suggestions.models import Suggestion
from shegong.suggestions.topics import BY_CODE

Status = Suggestion.Status
# Near-duplicates are looked for among the county's suggestions of the last 90 days on the same
# topic, the newest 500 (an index range; bounded whatever the county's volume).
WINDOW_DAYS = 90
CANDIDATES = 500
CANDIDATE_READ = (
    "Near-duplicates are found among the county's recent suggestions whoever submits one (the "
    "public form has no user); only the cluster id is kept, nothing is shown."
)
MIN_TEXT, MAX_TEXT = 5, 2000


def _history_user(acting_user: Any):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _save(s: Suggestion, acting_user: Any, fields: list[str], reason: str) -> None:
    s._history_user = _history_user(acting_user)
    s._change_reason = reason
    s.save(update_fields=fields)


def _candidates(*, county_code: str, topic: str, day) -> list[tuple[int, str]]:
    rows = (
        Suggestion.objects.unscoped(reason=CANDIDATE_READ)
        .filter(
            county_code=county_code,
            topic=topic,
            submitted_on__gte=day - timedelta(days=WINDOW_DAYS),
            submitted_on__lte=day,
        )
        .order_by("-submitted_on", "-id")
        .values_list("cluster_id", "id", "tokens")[:CANDIDATES]
    )
    return [(cluster_id or pk, tokens) for cluster_id, pk, tokens in rows]


@transaction.atomic
def suggestion_submit(
    *,
    region_code: str,
    text: str,
    topic: str = "",
    name: str = "",
    contact: str = "",
    contact_consent: bool = False,
    submitted_on=None,
) -> Suggestion:
    """A resident's suggestion from the portal (no account). A name or contact is kept only with
    the resident's consent; the words, the suggested topic and the cluster are stored now."""
    try:
        code = RegionCode(region_code or "")
    except ValueError:
        code = None
    if code is None or code.level < 3:
        raise ValidationError({"region": _("请选择所在的县（区）、街道（乡镇）或社区（村）。")})
    text = (text or "").strip()
    if len(text) < MIN_TEXT or len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": _("意见建议须为 %(a)d 至 %(b)d 个字。") % {"a": MIN_TEXT, "b": MAX_TEXT}}
        )
    if topic and topic not in BY_CODE:
        raise ValidationError({"topic": _("请选择列表中的话题。")})
    name, contact = (name or "").strip(), (contact or "").strip()
    if (name or contact) and not contact_consent:
        raise ValidationError(
            {"contact_consent": _("留下姓名或联系方式须勾选同意，否则请不要填写。")}
        )
    reading = grouping.read(text)
    effective = topic or reading.topic
    day = submitted_on or timezone.localdate()
    county = RegionCode.from_prefix(code[:6])
    tokens = set(reading.tokens)
    cluster_id, similarity = grouping.nearest(
        tokens, _candidates(county_code=county, topic=effective, day=day)
    )
    s = Suggestion(
        region_code=str(code),
        county_code=county,
        submitted_on=day,
        text=text,
        topic_chosen=topic,
        topic_suggested=reading.topic,
        topic=effective,
        keywords="、".join(reading.keywords)[:200],
        tokens=" ".join(reading.tokens),
        name=name if contact_consent else "",
        contact=contact if contact_consent else "",
        contact_consent=bool(contact_consent and (name or contact)),
        similarity=similarity if cluster_id else None,
    )
    if cluster_id:
        s.cluster_id = cluster_id
    s.save()
    if not cluster_id:  # the first of its group heads it
        s.cluster_id = s.pk
        Suggestion.objects.unscoped(reason=CANDIDATE_READ).filter(pk=s.pk).update(cluster=s.pk)
    return s


def _require(acting_user: Any, perm: str, s: Suggestion) -> None:
    if not has_perm(acting_user, perm):
        raise PermissionDenied(perm)
    if not jurisdiction_of(acting_user).contains(s.region_code):
        raise PermissionDenied("suggestions.jurisdiction")


def _check_status(s: Suggestion, *allowed: str) -> None:
    if s.status not in allowed:
        raise ValidationError(
            {"__all__": _("意见当前为“%(s)s”，不能进行此操作。") % {"s": s.get_status_display()}}
        )


def _group(s: Suggestion, acting_user: Any, whole_cluster: bool, status: str) -> list[Suggestion]:
    """The suggestion, and with `whole_cluster` the other members of its group in that status
    that the user may see (a group never reaches outside the county; the scope still applies)."""
    if not whole_cluster or not s.cluster_id:
        return [s]
    others = (
        Suggestion.objects.visible_to(acting_user)
        .filter(cluster_id=s.cluster_id, status=status)
        .exclude(pk=s.pk)
        .select_for_update()
    )
    return [s, *others]


@transaction.atomic
def suggestion_answer(
    *, suggestion: Suggestion, acting_user: Any, answer: str, whole_cluster: bool = False
) -> Suggestion:
    """Answer the suggestion (and, with `whole_cluster`, every unanswered one of its group)."""
    from shegong.orgs.selectors import unit_of

    _require(acting_user, "suggestions.answer", suggestion)
    _check_status(suggestion, Status.RECEIVED)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    unit = unit_of(fetched_by=acting_user)
    today = timezone.localdate()
    for s in _group(suggestion, acting_user, whole_cluster, Status.RECEIVED):
        s.answer, s.answered_on, s.answered_by, s.answering_unit = answer, today, acting_user, unit
        s.status = Status.ANSWERED
        fields = ["answer", "answered_on", "answered_by", "answering_unit", "status"]
        _save(s, acting_user, fields, _("答复"))
    return suggestion


def public_text_of(s: Suggestion) -> str:
    return anonymise(s.text, names=(s.name,), contacts=(s.contact,))


@transaction.atomic
def suggestion_publish(
    *, suggestion: Suggestion, acting_user: Any, whole_cluster: bool = False
) -> Suggestion:
    """Publish the answer on the portal with the suggestion's text anonymised (never the
    resident's name or contact)."""
    _require(acting_user, "suggestions.answer", suggestion)
    _check_status(suggestion, Status.ANSWERED)
    now = timezone.now()
    for s in _group(suggestion, acting_user, whole_cluster, Status.ANSWERED):
        s.public_text = public_text_of(s)
        s.published_at = now
        s.status = Status.PUBLISHED
        _save(s, acting_user, ["public_text", "published_at", "status"], _("公开答复"))
    return suggestion


@transaction.atomic
def suggestion_convert(
    *, suggestion: Suggestion, acting_user: Any, kind: str, category
) -> Suggestion:
    """A suggestion that is really a dispute, petition or request for help becomes a matter
    (channel 网上) through petitions' own registration, in one step; each keeps the link."""
    from shegong.petitions.models import Channel, Kind
    from shegong.petitions.services import matter_register

    _require(acting_user, "suggestions.answer", suggestion)
    _check_status(suggestion, Status.RECEIVED)
    if kind not in (Kind.DISPUTE, Kind.PETITION, Kind.REQUEST, Kind.COMPLAINT):
        raise ValidationError({"kind": _("请选择类型。")})
    s = suggestion
    petitioner: dict[str, Any] = {"name": s.name or _("意见箱群众")}
    if s.contact and s.contact.isdigit() and len(s.contact) == 11:
        petitioner["phone"] = s.contact
    matter = matter_register(
        acting_user=acting_user,
        kind=kind,
        channel=Channel.ONLINE,
        region_code=s.region_code,
        category=category,
        title=s.text[:30],
        request=s.text,
        facts=_("%(d)s 群众通过意见箱反映。") % {"d": s.submitted_on},
        petitioners=[petitioner],
        received_on=s.submitted_on,
        review_choice="repeat",
    )
    s.matter = matter
    s.status = Status.CONVERTED
    _save(s, acting_user, ["matter", "status"], _("转为信访事项 %(n)s") % {"n": matter.number})
    return s
