"""Mass-contact meetings (联系群众会议), their invitations and attendance, minutes, and the items
the participants raise (群众反映事项), each tracked to an answer fed back to who raised it.

Every row carries the 12-digit region code of the organising unit (`region_code`), so a
meeting and everything about it is read through the one scoping layer; an item assigned to a
responsible unit stays in the meeting's region (the unit is chosen on the path from the county
to the meeting's place, so it can always see the items it must answer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from shegong.core.attachments import AttachedFile
from shegong.core.scoping import scoped_manager


class Meeting(models.Model):
    class Kind(models.TextChoices):
        VOLUNTEER_BACKBONES = "volunteers", _("党员志愿者骨干")
        SW_ORGANISATIONS = "sw_orgs", _("社会工作服务机构代表")
        SOCIAL_ORGANISATIONS = "social_orgs", _("社会组织")
        RESIDENTS = "residents", _("居民代表")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划召开")
        HELD = "held", _("已召开")
        CLOSED = "closed", _("已记录纪要")
        CANCELLED = "cancelled", _("已取消")

    organiser = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="contact_meetings",
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    kind = models.CharField(_("会议类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"), db_index=True)
    place = models.CharField(_("会议地点"), max_length=200)
    agenda = models.TextField(_("议程"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    summary = models.TextField(_("公开摘要"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联系群众会议")
        verbose_name_plural = pgettext_lazy("plural", "联系群众会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["region_code", "held_on"], name="contact_meeting_region")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contact:meeting", args=[self.pk])


class Invitation(models.Model):
    """One invitee, by reference to the record they already have (never typed again)."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("平台用户")
        VOLUNTEER = "volunteer", _("志愿者")
        ORGANISATION = "organisation", _("组织联系人")
        RESIDENT = "resident", _("居民")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="invitations"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    kind = models.CharField(_("受邀人类型"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台用户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_invitations",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("志愿者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_invitations",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所在组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_invitations",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_invitations",
    )
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("受邀人")
        verbose_name_plural = pgettext_lazy("plural", "受邀人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.ACCOUNT and self.user is not None:
            return self.user.full_name or self.user.username
        if self.kind == self.Kind.VOLUNTEER and self.volunteer is not None:
            return self.volunteer.name
        if self.kind == self.Kind.RESIDENT and self.resident is not None:
            return self.resident.name
        if self.organisation is not None:
            person = self.organisation.contact_person
            return f"{self.organisation.name}（{person}）" if person else self.organisation.name
        return "—"

    @property
    def account_id(self) -> int | None:
        """The platform account of the invitee, if they have one (where feedback is sent)."""
        if self.user_id:
            return self.user_id
        if self.volunteer is not None:
            return self.volunteer.user_id
        return None


class RaisedItem(models.Model):
    """An item raised by a participant (群众反映事项), tracked to an answer."""

    class Status(models.TextChoices):
        RAISED = "raised", _("待交办")
        ASSIGNED = "assigned", _("办理中")
        ANSWERED = "answered", _("已答复")
        FED_BACK = "fed_back", _("已反馈")
        CONVERTED = "converted", _("已转为信访事项")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="items"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    raised_by = models.ForeignKey(
        Invitation, verbose_name=_("反映人"), on_delete=models.PROTECT, related_name="items"
    )
    text = models.TextField(_("反映内容"))
    consent_publish = models.BooleanField(_("同意随会议摘要公开答复"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.RAISED, db_index=True
    )
    unit = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_items",
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    matter = models.OneToOneField(
        "petitions.Matter",
        verbose_name=_("转为信访事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_item",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager("region_code")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("群众反映事项")
        verbose_name_plural = pgettext_lazy("plural", "群众反映事项")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="contact_item_region"),
            models.Index(fields=["status", "due_date"], name="contact_item_due"),
        ]

    def __str__(self) -> str:
        return self.text[:50]

    def get_absolute_url(self) -> str:
        return reverse("contact:item", args=[self.pk])


class Attachment(AttachedFile):
    """A file attached to a meeting's minutes (sign-in sheet, photos, the minutes scan)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attachments"
    )
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    file = models.FileField(_("文件"), upload_to="contact/%Y/%m/")

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = pgettext_lazy("plural", "会议附件")
