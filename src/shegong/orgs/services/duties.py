"""Writes for duty lists (职责清单): save a draft of a unit's list, publish it as a new version.

Only the unit itself writes its list (`orgs.duties.may_edit_duties`); a published version never
changes — the next one supersedes it and stays readable with its dates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from shegong.accounts.models import Role, User
from shegong.core.audit import audit_record
from shegong.core.models import AuditLog
from shegong.orgs.duties import may_edit_duties, split_keywords
from shegong.orgs.models import DutyItem, DutyKeyword, DutyList, DutyStatus, Organisation

ITEM_FIELDS = ("title", "basis", "description", "keywords")
ITEMS_MAX = 200


def _check_editor(acting_user: User, organisation: Organisation) -> None:
    if not may_edit_duties(acting_user, organisation):
        raise PermissionDenied(_("只有本单位可以编辑本单位的职责清单。"))


def _check_role(role: str) -> str:
    role = (role or "").strip()
    if role and role not in Role.values:
        raise ValidationError({"role": _("未知的岗位：%(v)s") % {"v": role}})
    return role


def _clean_items(items: list[dict[str, Any]]) -> list[DutyItem]:
    """Unsaved items in their order; every error names the row and the field."""
    errors: list[str] = []
    cleaned: list[DutyItem] = []
    if len(items) > ITEMS_MAX:
        raise ValidationError({"items": _("一份清单最多 %(n)s 项。") % {"n": ITEMS_MAX}})
    for index, data in enumerate(items, start=1):
        values = {f: str(data.get(f) or "").strip() for f in ITEM_FIELDS}
        if not any(values.values()):
            continue  # an empty row of the form
        item = DutyItem(order=len(cleaned) + 1, **values)
        if not item.title:
            errors.append(_("第 %(n)s 项：请填写职责事项。") % {"n": index})
            continue
        try:
            item.full_clean(exclude=["duty_list"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = DutyItem._meta.get_field(field).verbose_name
                errors.extend(
                    _("第 %(n)s 项（%(f)s）：%(m)s") % {"n": index, "f": label, "m": m}
                    for m in messages
                )
            continue
        cleaned.append(item)
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


def _locked(organisation: Organisation) -> None:
    """Serialise the writes of one unit's lists (version numbers, the one list in force)."""
    Organisation.objects.unscoped(
        reason="Locks the row of the unit whose list its own staff writes (checked before)."
    ).select_for_update().filter(pk=organisation.pk).exists()


@transaction.atomic
def duty_list_draft(
    *,
    acting_user: User,
    organisation: Organisation,
    items: list[dict[str, Any]],
    role: str = "",
    note: str = "",
) -> DutyList:
    """Save the unit's draft of its next version (created when there is none): its items are
    replaced by `items` in their order. The version in force is not touched."""
    _check_editor(acting_user, organisation)
    return _draft(
        acting_user=acting_user, organisation=organisation, items=items, role=role, note=note
    )


def _draft(
    *, acting_user: User | None, organisation: Organisation, items, role: str, note: str
) -> DutyList:
    role = _check_role(role)
    new_items = _clean_items(items)
    _locked(organisation)
    lists = DutyList.objects.unscoped(reason="The unit's own lists, its editor checked above.")
    draft = lists.filter(organisation=organisation, role=role, status=DutyStatus.DRAFT).first()
    created = draft is None
    if draft is None:
        last = lists.filter(organisation=organisation, role=role).aggregate(v=Max("version"))["v"]
        draft = DutyList(organisation=organisation, role=role, version=(last or 0) + 1)
    draft.note = (note or "").strip()[:300]
    draft._history_user = acting_user
    draft.save()
    if not created:
        for old in draft.items.all():
            old._history_user = acting_user
            old.delete()
    for item in new_items:
        item.duty_list = draft
    bulk_create_with_history(new_items, DutyItem, default_user=acting_user)
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=draft,
        region_code=organisation.region_id,
        detail={
            "kind": "duty_list_draft",
            "organisation": organisation.pk,
            "role": role,
            "version": draft.version,
            "items": len(new_items),
        },
    )
    return draft


@transaction.atomic
def duty_list_publish(
    *,
    acting_user: User,
    organisation: Organisation,
    role: str = "",
    items: list[dict[str, Any]] | None = None,
    note: str | None = None,
) -> DutyList:
    """Publish the unit's draft (or, with `items`, a draft made of them) as the version in
    force; the version it replaces is superseded and stays readable with its dates."""
    _check_editor(acting_user, organisation)
    return _publish(
        acting_user=acting_user, organisation=organisation, role=role, items=items, note=note
    )


@transaction.atomic
def duty_list_publish_as_system(
    *,
    acting_user: User | None,
    organisation: Organisation,
    items: list[dict[str, Any]],
    role: str = "",
    note: str = "",
    at=None,
) -> DutyList:
    """Publish a version without a user of the unit (the demo loader, `acting_user=None`):
    never reachable from a page or the API. `at`: the date it was published."""
    return _publish(
        acting_user=acting_user,
        organisation=organisation,
        role=role,
        items=items,
        note=note,
        now=at,
    )


def _publish(
    *,
    acting_user: User | None,
    organisation: Organisation,
    role: str,
    items: list[dict[str, Any]] | None,
    note: str | None,
    now=None,
) -> DutyList:
    role = _check_role(role)
    if items is not None:
        _draft(
            acting_user=acting_user,
            organisation=organisation,
            role=role,
            items=items,
            note=note or "",
        )
    _locked(organisation)
    lists = DutyList.objects.unscoped(reason="The unit's own lists, its editor checked above.")
    draft = lists.filter(organisation=organisation, role=role, status=DutyStatus.DRAFT).first()
    if draft is None:
        raise ValidationError({"items": _("没有待发布的草稿，请先编辑职责清单。")})
    if items is None and note is not None:
        draft.note = note.strip()[:300]
    words = [(item, split_keywords(item.keywords)) for item in draft.items.all()]
    if not words:
        raise ValidationError({"items": _("职责清单至少要有一项职责。")})
    now = now or timezone.now()
    current = lists.filter(organisation=organisation, role=role, status=DutyStatus.PUBLISHED)
    for old in current:
        old.status = DutyStatus.SUPERSEDED
        old.superseded_at = now
        old._history_user = acting_user
        old.save(update_fields=["status", "superseded_at", "updated_at"])
        DutyKeyword.objects.unscoped(reason="Rebuilds the unit's own keyword rows.").filter(
            item__duty_list=old
        ).delete()
    draft.status = DutyStatus.PUBLISHED
    draft.published_at = now
    draft.published_by = acting_user
    draft._history_user = acting_user
    draft.save()
    DutyKeyword.objects.bulk_create(
        DutyKeyword(
            item=item, organisation=organisation, region_code=organisation.region_id, word=word
        )
        for item, item_words in words
        for word in item_words
    )
    audit_record(
        action=AuditLog.Action.OTHER,
        actor=acting_user,
        obj=draft,
        region_code=organisation.region_id,
        detail={
            "kind": "duty_list_publish",
            "organisation": organisation.pk,
            "role": role,
            "version": draft.version,
            "items": len(words),
        },
    )
    return draft
