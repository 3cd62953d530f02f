"""The outbound channels: one interface, `Channel.send(delivery) -> Result`, and the
implementations chosen by `settings.SHEGONG_OUTBOUND_CHANNELS`:

    {"sms": {"BACKEND": "tencent_sms", "OPTIONS": {...}, "PER_MINUTE": 60}, "wecom": ..., ...}

A channel that is not in the setting is not offered to users and nothing is sent through it.
BACKEND is a short name below or a dotted path to a `Channel` subclass; OPTIONS are passed to
its constructor. Only the standard library speaks HTTP here (`urllib`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shegong.core.validation import CN_MOBILE

if TYPE_CHECKING:
    from shegong.inbox.models import Delivery

logger = logging.getLogger("shegong.outbound")

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Result:
    ok: bool
    reason: str = ""
    # False: trying again cannot help (no mobile number on the account); given up at once.
    retry: bool = True


SENT = Result(ok=True)


class Channel(ABC):
    """Sends one delivery; never raises for a failure of the far side (answers a `Result`).
    Each kind of channel (console, SMS gateways, WeCom robot, e-mail) implements `send`."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    @abstractmethod
    def send(self, delivery: Delivery) -> Result: ...


def mobile_of(user) -> str | None:
    phone = (getattr(user, "phone", "") or "").strip()
    return phone if CN_MOBILE.match(phone) else None


def post_json(url: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """POST `body` as JSON; (HTTP status, the answer parsed as JSON or None). Network errors
    raise `OSError` (urllib's errors are subclasses)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - URL from settings
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        answer = None
    return status, answer


def _network_failure(exc: OSError) -> Result:
    if isinstance(exc, socket.timeout | TimeoutError):
        return Result(ok=False, reason=_("连接超时"))
    return Result(ok=False, reason=_("无法连接：%(error)s") % {"error": str(exc)[:200]})


class ConsoleChannel(Channel):
    """Writes what would be sent to the log (the demo and local settings)."""

    def send(self, delivery: Delivery) -> Result:
        logger.info(
            "outbound %s to user %s (%s): %s",
            delivery.channel,
            delivery.recipient_id,
            delivery.kind,
            delivery.text,
        )
        return SENT


class TencentSmsChannel(Channel):
    """Tencent Cloud SMS, API 3.0 `SendSms` (version 2021-01-11), signed with TC3-HMAC-SHA256.

    OPTIONS: endpoint (default https://sms.tencentcloudapi.com/), secret_id, secret_key,
    sdk_app_id, sign_name, template_id, region (default ap-guangzhou). The template is an approved
    neutral sentence with one variable, the link: e.g. “您有一条新的待办，请登录社工平台查看：{1}”.
    """

    SERVICE = "sms"
    ACTION = "SendSms"
    VERSION = "2021-01-11"

    def request(self, *, phone: str, params: list[str], timestamp: int) -> tuple[str, dict, dict]:
        """(URL, headers, body) of one SendSms call; separate so that tests can check the
        signature against the algorithm's published steps."""
        o = self.options
        url = o.get("endpoint") or "https://sms.tencentcloudapi.com/"
        host = urlsplit(url).netloc
        body = {
            "PhoneNumberSet": [f"+86{phone}"],
            "SmsSdkAppId": o.get("sdk_app_id", ""),
            "SignName": o.get("sign_name", ""),
            "TemplateId": o.get("template_id", ""),
            "TemplateParamSet": params,
        }
        payload = json.dumps(body, ensure_ascii=False)
        headers = {
            "Host": host,
            "X-TC-Action": self.ACTION,
            "X-TC-Version": self.VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": o.get("region") or "ap-guangzhou",
            "Authorization": tc3_authorization(
                secret_id=o.get("secret_id", ""),
                secret_key=o.get("secret_key", ""),
                service=self.SERVICE,
                host=host,
                payload=payload,
                timestamp=timestamp,
            ),
        }
        return url, headers, body

    def send(self, delivery: Delivery) -> Result:
        phone = mobile_of(delivery.recipient)
        if phone is None:
            return Result(ok=False, reason=_("账号未填写有效的手机号"), retry=False)
        url, headers, body = self.request(
            phone=phone,
            params=[delivery_link(delivery)],
            timestamp=int(datetime.now(UTC).timestamp()),
        )
        try:
            status, answer = post_json(url, body, headers)
        except OSError as exc:
            return _network_failure(exc)
        response = (answer or {}).get("Response") if isinstance(answer, dict) else None
        if not isinstance(response, dict):
            return Result(
                ok=False, reason=_("短信网关应答异常（HTTP %(status)s）") % {"status": status}
            )
        if error := response.get("Error"):
            return Result(
                ok=False, reason=f"{error.get('Code', '')}: {error.get('Message', '')}"[:300]
            )
        statuses = response.get("SendStatusSet") or [{}]
        first = statuses[0] if isinstance(statuses[0], dict) else {}
        if first.get("Code") != "Ok":
            return Result(
                ok=False, reason=f"{first.get('Code', '')}: {first.get('Message', '')}"[:300]
            )
        return SENT


def tc3_authorization(
    *, secret_id: str, secret_key: str, service: str, host: str, payload: str, timestamp: int
) -> str:
    """The Authorization header of Tencent Cloud API 3.0 (TC3-HMAC-SHA256) for a POST of JSON
    to "/" with no query string, signing the content-type and host headers."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    signed_headers = "content-type;host"
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            signed_headers,
            hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            str(timestamp),
            scope,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )

    def sign(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()

    secret_date = sign(("TC3" + secret_key).encode("utf-8"), date)
    secret_service = sign(secret_date, service)
    secret_signing = sign(secret_service, "tc3_request")
    signature = hmac.new(secret_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


class JsonSmsGatewayChannel(Channel):
    """A generic SMS gateway taking JSON over HTTP (many provincial government SMS platforms and
    aggregators): POST `{"to", "template_id", "params", "text"}` to the configured URL with
    `Authorization: Bearer <api_key>`. Success: HTTP 2xx and, when the answer has a `code`, a
    code of 0 / "0" / "OK". OPTIONS: endpoint, api_key, template_id."""

    SUCCESS_CODES = {0, "0", "OK", "Ok", "ok"}

    def send(self, delivery: Delivery) -> Result:
        phone = mobile_of(delivery.recipient)
        if phone is None:
            return Result(ok=False, reason=_("账号未填写有效的手机号"), retry=False)
        body = {
            "to": f"+86{phone}",
            "template_id": self.options.get("template_id", ""),
            "params": [delivery_link(delivery)],
            "text": delivery.text,
        }
        headers = {"Authorization": f"Bearer {self.options.get('api_key', '')}"}
        try:
            status, answer = post_json(self.options.get("endpoint", ""), body, headers)
        except (OSError, ValueError) as exc:
            return _network_failure(OSError(str(exc)))
        if not 200 <= status < 300:
            return Result(
                ok=False, reason=_("短信网关应答异常（HTTP %(status)s）") % {"status": status}
            )
        if (
            isinstance(answer, dict)
            and "code" in answer
            and answer["code"] not in self.SUCCESS_CODES
        ):
            return Result(
                ok=False, reason=f"code {answer['code']}: {answer.get('message', '')}"[:300]
            )
        return SENT


class WecomRobotChannel(Channel):
    """A WeCom group robot (企业微信群机器人): POST a text message to the group's webhook URL;
    the recipient is @-mentioned by their mobile number when the account has one. An answer
    with `errcode` other than 0 is a failure. OPTIONS: webhook_url."""

    def send(self, delivery: Delivery) -> Result:
        text: dict[str, Any] = {"content": delivery.text}
        if phone := mobile_of(delivery.recipient):
            text["mentioned_mobile_list"] = [phone]
        try:
            status, answer = post_json(
                self.options.get("webhook_url", ""), {"msgtype": "text", "text": text}
            )
        except (OSError, ValueError) as exc:
            return _network_failure(OSError(str(exc)))
        if not isinstance(answer, dict) or status >= 300:
            return Result(
                ok=False, reason=_("企业微信应答异常（HTTP %(status)s）") % {"status": status}
            )
        if answer.get("errcode") != 0:
            return Result(
                ok=False,
                reason=f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300],
            )
        return SENT


class EmailChannel(Channel):
    """E-mail through Django's mail (EMAIL_BACKEND, EMAIL_HOST… in settings).
    OPTIONS: from_email (default DEFAULT_FROM_EMAIL)."""

    def send(self, delivery: Delivery) -> Result:
        from django.core.mail import send_mail

        from shegong.inbox.outbound.texts import email_subject

        address = (delivery.recipient.email or "").strip()
        if not address:
            return Result(ok=False, reason=_("账号未填写电子邮箱"), retry=False)
        try:
            send_mail(
                email_subject(delivery.kind),
                delivery.text,
                self.options.get("from_email") or settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except Exception as exc:  # smtplib's errors, a socket's, the backend's own
            return Result(ok=False, reason=str(exc)[:300] or exc.__class__.__name__)
        return SENT


BACKENDS = {
    "console": ConsoleChannel,
    "tencent_sms": TencentSmsChannel,
    "json_sms": JsonSmsGatewayChannel,
    "wecom_robot": WecomRobotChannel,
    "django_mail": EmailChannel,
}


@dataclass(frozen=True)
class Configured:
    channel: Channel
    per_minute: int


def configured() -> dict[str, Configured]:
    """The channels in service, by name (`Channel` values), built from settings."""
    return _configured(repr(getattr(settings, "SHEGONG_OUTBOUND_CHANNELS", {})))


@cache
def _configured(_key: str) -> dict[str, Configured]:
    found = {}
    for name, conf in getattr(settings, "SHEGONG_OUTBOUND_CHANNELS", {}).items():
        backend = conf.get("BACKEND") or "console"
        cls = BACKENDS.get(backend) or import_string(backend)
        found[name] = Configured(
            channel=cls(**conf.get("OPTIONS", {})), per_minute=int(conf.get("PER_MINUTE", 60))
        )
    return found


def delivery_link(delivery: Delivery) -> str:
    from shegong.inbox.outbound.texts import link_of

    return link_of(delivery.notification_id)
