"""Notifications (消息提醒): what is due or overdue, sent to the person who must act.

Each notification is about a record in a region (`region_code`) and is read through the scoping
layer as well as by recipient: after a move to another jurisdiction, a user no longer sees the
notifications about records left behind.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shegong.core.scoping import scoped_manager


class Channel(models.TextChoices):
    """The ways a notification may also reach a person outside the platform (besides the
    in-app inbox, which always gets it). Which implementation serves each is a setting
    (`SHEGONG_OUTBOUND_CHANNELS`, see `shegong.inbox.outbound.channels`)."""

    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")
    EMAIL = "email", _("电子邮件")


class Notification(models.Model):
    class Kind(models.TextChoices):
        MATTER_DUE = "matter_due", _("信访事项即将到期")
        MATTER_OVERDUE = "matter_overdue", _("信访事项已超期")
        CASE_TASK_OVERDUE = "case_task_overdue", _("个案任务逾期")
        CASE_REVIEW_OVERDUE = "case_review_overdue", _("督导审核逾期")
        VISITS_DUE = "visits_due", _("今日应探访")
        MATTER_ASSIGNED = "matter_assigned", _("信访事项交办")
        CASE_REFERRED = "case_referred", _("个案转介待接收")
        REVIEW_REQUESTED = "review_requested", _("待督导审核")
        CONFIRMATION_DUE = "confirmation_due", _("司法确认申请期限将至")
        RATING_REVIEW = "rating_review", _("不满意评价待复核")
        RATING_REVIEW_DUE = "rating_review_due", _("不满意评价复核将到期")
        REGISTRATION_LAPSING = "registration_lapsing", _("证书登记即将失效")
        DIRECTIVE_RECEIVED = "directive_received", _("收到督办事项")
        DIRECTIVE_REMINDED = "directive_reminded", _("督办催办")
        DIRECTIVE_OVERDUE = "directive_overdue", _("督办事项逾期")
        DIRECTIVE_SUBMITTED = "directive_submitted", _("督办事项待审核办结")
        REPORT_TO_REVIEW = "report_to_review", _("报表待审核")
        REPORT_RETURNED = "report_returned", _("报表被退回")
        CONTACT_ASSIGNED = "contact_assigned", _("群众反映事项交办")
        CONTACT_OVERDUE = "contact_overdue", _("群众反映事项逾期")
        CONTACT_ANSWERED = "contact_answered", _("反映事项已答复")
        MONTHLY_REPORT = "monthly_report", _("指标月报已生成")
        SUBSCRIBED_REPORT = "subscribed_report", _("订阅的指标报告已生成")
        SWEEP_ASSIGNED = "sweep_assigned", _("应急排查任务")
        SWEEP_REMINDER = "sweep_reminder", _("应急排查提醒")
        SWEEP_ESCALATED = "sweep_escalated", _("应急排查未完成督促")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    params = models.JSONField(_("内容参数"), default=dict)
    url = models.CharField(_("链接"), max_length=300)
    key = models.CharField(_("事件"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = scoped_manager("region_code")

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

    @property
    def title(self) -> str:
        """The message in the reader's language: the kind's sentence with this notification's
        values; values under a key ending in `_label` are words translated as well."""
        values = {
            key: gettext(value) if key.endswith("_label") else value
            for key, value in self.params.items()
        }
        try:
            return gettext(MESSAGES[self.kind]) % values
        except (KeyError, TypeError, ValueError):
            return self.get_kind_display()


def msgid_of(label) -> str:
    """The msgid of a lazy label: stored in `params` under a `*_label` key and translated again
    when the notification is shown."""
    from django.utils import translation

    with translation.override(None):
        return str(label)


# The sentence of each kind (msgids; translated when shown, so each reader gets their language).
MESSAGES = {
    Notification.Kind.MATTER_DUE: "%(number)s %(title)s：将于 %(due)s 到期",
    Notification.Kind.MATTER_OVERDUE: "%(number)s %(title)s：已超过办理期限（%(due)s）",
    Notification.Kind.CASE_TASK_OVERDUE: "个案 %(number)s 的任务“%(title)s”已逾期（截止 %(due)s）",
    Notification.Kind.CASE_REVIEW_OVERDUE: (
        "个案 %(number)s 的督导审核（%(kind_label)s）已逾期（截止 %(due)s）"
    ),
    Notification.Kind.VISITS_DUE: "今天应探访 %(due)d 人，其中逾期 %(overdue)d 人",
    Notification.Kind.MATTER_ASSIGNED: "%(number)s %(title)s：已交办本单位，请于 %(due)s 前受理",
    Notification.Kind.CASE_REFERRED: "个案 %(number)s 转介至本机构，待接收：%(reason)s",
    Notification.Kind.REVIEW_REQUESTED: (
        "个案 %(number)s 提交了督导审核（%(kind_label)s），请于 %(due)s 前审核"
    ),
    Notification.Kind.CONFIRMATION_DUE: (
        "%(number)s %(title)s：调解协议申请司法确认的期限 %(due)s 将至"
    ),
    Notification.Kind.RATING_REVIEW: "%(number)s 信访人评价不满意，请于 %(due)s 前复核",
    Notification.Kind.RATING_REVIEW_DUE: "%(number)s 不满意评价复核将于 %(due)s 到期",
    Notification.Kind.REGISTRATION_LAPSING: (
        "%(name)s 的证书登记将于 %(due)s 到期，尚缺继续教育 %(needed)s 学时"
    ),
    Notification.Kind.DIRECTIVE_RECEIVED: "收到督办事项“%(title)s”，请于 %(due)s 前签收",
    Notification.Kind.DIRECTIVE_REMINDED: "催办：“%(title)s”请抓紧办理（%(unit)s）",
    Notification.Kind.DIRECTIVE_OVERDUE: "督办事项“%(title)s”已逾期：%(unit)s",
    Notification.Kind.DIRECTIVE_SUBMITTED: "%(unit)s 提交了“%(title)s”的办结报告，请审核",
    Notification.Kind.REPORT_TO_REVIEW: "%(unit)s 报送了“%(title)s”（%(period)s），请审核",
    Notification.Kind.REPORT_RETURNED: "“%(title)s”（%(period)s）被%(action)s：%(note)s",
    Notification.Kind.CONTACT_ASSIGNED: "群众反映事项“%(title)s”已交办%(unit)s，请于 %(due)s 前答复",
    Notification.Kind.CONTACT_OVERDUE: "群众反映事项“%(title)s”已超过答复期限（%(due)s）",
    Notification.Kind.CONTACT_ANSWERED: "您在“%(meeting)s”上反映的事项已有答复：%(answer)s",
    Notification.Kind.MONTHLY_REPORT: "%(unit)s %(period)s 指标月报已生成",
    Notification.Kind.SUBSCRIBED_REPORT: "订阅的指标报告“%(name)s”（%(period)s）已生成",
    Notification.Kind.SWEEP_ASSIGNED: "应急排查“%(title)s”已启动：请在 %(due)s 前联系您负责的服务对象",
    Notification.Kind.SWEEP_REMINDER: (
        "应急排查“%(title)s”已过时限的 %(share)s%%：您负责的服务对象尚未全部联系（时限 %(due)s）"
    ),
    Notification.Kind.SWEEP_ESCALATED: (
        "应急排查“%(title)s”已过时限的 %(share)s%%：%(unit)s 仍有 %(n)s 名服务对象未联系（时限 %(due)s）"
    ),
}
# So that makemessages finds the sentences above.
_MESSAGE_IDS = [
    _("%(number)s %(title)s：将于 %(due)s 到期"),
    _("%(number)s %(title)s：已超过办理期限（%(due)s）"),
    _("个案 %(number)s 的任务“%(title)s”已逾期（截止 %(due)s）"),
    _("个案 %(number)s 的督导审核（%(kind_label)s）已逾期（截止 %(due)s）"),
    _("今天应探访 %(due)d 人，其中逾期 %(overdue)d 人"),
    _("%(number)s %(title)s：已交办本单位，请于 %(due)s 前受理"),
    _("个案 %(number)s 转介至本机构，待接收：%(reason)s"),
    _("个案 %(number)s 提交了督导审核（%(kind_label)s），请于 %(due)s 前审核"),
    _("%(number)s %(title)s：调解协议申请司法确认的期限 %(due)s 将至"),
    _("%(number)s 信访人评价不满意，请于 %(due)s 前复核"),
    _("%(number)s 不满意评价复核将于 %(due)s 到期"),
    _("%(name)s 的证书登记将于 %(due)s 到期，尚缺继续教育 %(needed)s 学时"),
    _("收到督办事项“%(title)s”，请于 %(due)s 前签收"),
    _("催办：“%(title)s”请抓紧办理（%(unit)s）"),
    _("督办事项“%(title)s”已逾期：%(unit)s"),
    _("%(unit)s 提交了“%(title)s”的办结报告，请审核"),
    _("%(unit)s 报送了“%(title)s”（%(period)s），请审核"),
    _("“%(title)s”（%(period)s）被%(action)s：%(note)s"),
    _("群众反映事项“%(title)s”已交办%(unit)s，请于 %(due)s 前答复"),
    _("群众反映事项“%(title)s”已超过答复期限（%(due)s）"),
    _("您在“%(meeting)s”上反映的事项已有答复：%(answer)s"),
    _("%(unit)s %(period)s 指标月报已生成"),
    _("订阅的指标报告“%(name)s”（%(period)s）已生成"),
    _("应急排查“%(title)s”已启动：请在 %(due)s 前联系您负责的服务对象"),
    _("应急排查“%(title)s”已过时限的 %(share)s%%：您负责的服务对象尚未全部联系（时限 %(due)s）"),
    _(
        "应急排查“%(title)s”已过时限的 %(share)s%%：%(unit)s 仍有 %(n)s 名服务对象未联系（时限 %(due)s）"
    ),
]


class Delivery(models.Model):
    """One notification sent (or to be sent) through one outbound channel: the delivery log.
    Sits in the notification's region, so an administrator sees the deliveries of their own
    jurisdiction only. Its `text` is what the channel carried: a neutral sentence and a link,
    never the notification's own values (see `shegong.inbox.outbound.texts`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败，待重试")
        GIVEN_UP = "given_up", _("已放弃")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("消息提醒"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    region_code = models.CharField(_("区划代码"), max_length=12)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=24, choices=Notification.Kind.choices)
    urgent = models.BooleanField(_("紧急"), default=False)
    text = models.CharField(_("发送内容"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("失败原因"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = scoped_manager("region_code")

    class Meta:
        verbose_name = _("外发记录")
        verbose_name_plural = pgettext_lazy("plural", "外发记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the sender's sweep: what is due now, channel by channel
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            # the per-channel rate limit: attempts in the last window
            models.Index(fields=["channel", "last_attempt_at"], name="delivery_rate"),
            models.Index(fields=["recipient", "-created_at"], name="delivery_recipient"),
            models.Index(fields=["region_code", "-created_at"], name="delivery_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_kind_display()}"


class ChannelPreference(models.Model):
    """A person's choice of one outbound channel for one kind of notification (on or off). No
    row: the default (`shegong.inbox.outbound.preferences.DEFAULTS`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="channel_preferences",
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Notification.Kind.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("接收"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("通知渠道选择")
        verbose_name_plural = pgettext_lazy("plural", "通知渠道选择")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="channel_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()}"
