"""What leaves the platform. Only these sentences, the kind's label and a link: a notification's
own values (a resident's or petitioner's name, an ID number, a phone number, a matter's title)
stay inside, behind the sign-in. Built in the platform's language (the recipient reads them
outside any request)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shegong.inbox.models import Channel, Notification


def link_of(notification_id: int) -> str:
    """The notification's address in the inbox (opening it marks it read and goes on to the
    record, after signing in)."""
    base = settings.SHEGONG_SITE_URL.rstrip("/")
    return base + reverse("inbox:open", args=[notification_id])


def kind_label(kind: str) -> str:
    return str(Notification.Kind(kind).label) if kind in Notification.Kind.values else ""


def delivery_text(*, channel: str, kind: str, notification_id: int, recipient_name: str) -> str:
    link = link_of(notification_id)
    with translation.override(settings.LANGUAGE_CODE):
        if channel == Channel.SMS:
            return _("您有一条新的待办，请登录社工平台查看：%(link)s") % {"link": link}
        if channel == Channel.WECOM:
            return _("%(name)s：您有一条新提醒（%(kind)s），请登录社工平台查看：%(link)s") % {
                "name": recipient_name,
                "kind": kind_label(kind),
                "link": link,
            }
        return _(
            "您有一条新提醒（%(kind)s），请登录社工平台查看：%(link)s\n\n"
            "本邮件由系统自动发送，请勿回复。"
        ) % {"kind": kind_label(kind), "link": link}


def email_subject(kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("社工平台提醒：%(kind)s") % {"kind": kind_label(kind)}
