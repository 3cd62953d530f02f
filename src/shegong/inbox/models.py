"""Notifications (消息提醒): what is due or overdue, sent to the person who must act.

Each notification is about a record in a region (`region_code`) and is read through the scoping
layer as well as by recipient: after a move to another jurisdiction, a user no longer sees the
notifications about records left behind.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.scoping import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    region_field = "region_code"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MATTER_DUE = "matter_due", _("信访事项即将到期")
        MATTER_OVERDUE = "matter_overdue", _("信访事项已超期")
        CASE_TASK_OVERDUE = "case_task_overdue", _("个案任务逾期")
        CASE_REVIEW_OVERDUE = "case_review_overdue", _("督导审核逾期")
        VISITS_DUE = "visits_due", _("今日应探访")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300)
    key = models.CharField(_("事件"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = pgettext_lazy("plural", "消息提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title
