"""Notifications beyond the platform: SMS (Tencent Cloud SMS API), a WeCom group robot and
e-mail reach a local fake gateway started by the tests with the expected requests; a failing
channel is retried with backoff, logged with its reason and given up after the limit; quiet
hours, the rate limit and each person's channel choices hold; nothing private leaves."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.inbox.models import Delivery, Notification
from shegong.inbox.outbound import services as outbound
from shegong.inbox.outbound.texts import link_of
from shegong.inbox.services import notify

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE = "https://shegong.example.gov.cn"
KIND = Notification.Kind.MATTER_ASSIGNED
# What a notification's own values may hold; none of it may leave the platform.
PRIVATE = {
    "number": "XF440106202612070001",
    "title": "陈阿珍反映工地拖欠工资",
    "due": "2026-12-20",
    "resident": "陈阿珍",
    "id_number": "440106193703210021",
    "phone": "13912345678",
}
TENCENT_OK = {
    "Response": {
        "SendStatusSet": [
            {
                "SerialNo": "5000:1045710669157053657849499619",
                "PhoneNumber": "+8613800138001",
                "Fee": 1,
                "SessionContext": "",
                "Code": "Ok",
                "Message": "send success",
                "IsoCode": "CN",
            }
        ],
        "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
    }
}


class FakeGateway:
    """An HTTP server on 127.0.0.1 that plays the SMS gateway (POST /) and the WeCom webhook
    (POST /cgi-bin/webhook/send?key=…), records every request and answers from a script."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.scripts: dict[str, list[tuple[int, dict]]] = {"sms": [], "wecom": []}
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                target = "sms" if self.path == "/" else "wecom"
                gateway.requests.append(
                    {
                        "target": target,
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "raw": raw,
                        "body": json.loads(raw.decode("utf-8")),
                    }
                )
                script = gateway.scripts[target]
                status, answer = (
                    script.pop(0)
                    if script
                    else (200, TENCENT_OK if target == "sms" else {"errcode": 0, "errmsg": "ok"})
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def of(self, target: str) -> list[dict]:
        return [r for r in self.requests if r["target"] == target]


@pytest.fixture
def gateway():
    fake = FakeGateway()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def channels(settings, gateway):
    """The real channel implementations, pointed at the fake gateway; no quiet hours unless a
    test sets them."""
    settings.SHEGONG_SITE_URL = SITE
    settings.SHEGONG_OUTBOUND_QUIET_HOURS = ""
    settings.SHEGONG_OUTBOUND_MAX_ATTEMPTS = 3
    settings.SHEGONG_OUTBOUND_RETRY_SECONDS = 60
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHEGONG_OUTBOUND_CHANNELS = {
        "sms": {
            "BACKEND": "tencent_sms",
            "OPTIONS": {
                "endpoint": gateway.url + "/",
                "secret_id": "AKIDtestsecretid",
                "secret_key": "test-secret-key",
                "sdk_app_id": "1400000001",
                "sign_name": "社工平台",
                "template_id": "2000001",
                "region": "ap-guangzhou",
            },
            "PER_MINUTE": 60,
        },
        "wecom": {
            "BACKEND": "wecom_robot",
            "OPTIONS": {"webhook_url": gateway.url + "/cgi-bin/webhook/send?key=test-robot-key"},
            "PER_MINUTE": 20,
        },
        "email": {"BACKEND": "django_mail", "OPTIONS": {}, "PER_MINUTE": 120},
    }
    return settings.SHEGONG_OUTBOUND_CHANNELS


def soon() -> datetime:
    """A moment after the deliveries just queued are due (the sweeps below are given their
    clock; queueing takes the real one)."""
    return (timezone.now() + timedelta(hours=1)).replace(microsecond=0)


def choose(user, *pairs):
    outbound.preferences_save(acting_user=user, chosen={(str(KIND), c) for c in pairs})


def assign(user, key="m1", params=None):
    return notify(
        recipient_ids=[user.pk],
        region_code="440106001000",
        kind=KIND,
        params=params or PRIVATE,
        url="/petitions/1/",
        key=key,
    )


def tc3_signature_expected(request: dict, secret_key: str) -> str:
    """Tencent Cloud API 3.0's signature, computed from the request as received (the steps of
    the published algorithm: canonical request, string to sign, derived key)."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    timestamp = int(headers["x-tc-timestamp"])
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = (
        "POST\n/\n\n"
        f"content-type:{headers['content-type']}\nhost:{headers['host']}\n\n"
        "content-type;host\n" + hashlib.sha256(request["raw"]).hexdigest()
    )
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
        + hashlib.sha256(canonical.encode()).hexdigest()
    )
    key = ("TC3" + secret_key).encode()
    for part in (day, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_notification_routed_to_sms_and_wecom_reaches_the_gateways(
    channels, gateway, county_user
):
    county_user.phone = "13800138001"
    county_user.save()
    choose(county_user, "sms", "wecom")  # and so not e-mail

    assert assign(county_user) == 1  # committed: the worker (immediate in tests) sends at once
    notification = Notification.objects.get(recipient=county_user)
    link = f"{SITE}/inbox/{notification.pk}/"
    assert link_of(notification.pk) == link

    [sms] = gateway.of("sms")
    assert (sms["method"], sms["path"]) == ("POST", "/")
    headers = {k.lower(): v for k, v in sms["headers"].items()}
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-tc-action"] == "SendSms"
    assert headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["host"] == gateway.url.removeprefix("http://")
    day = datetime.fromtimestamp(int(headers["x-tc-timestamp"]), UTC).strftime("%Y-%m-%d")
    assert headers["authorization"] == (
        f"TC3-HMAC-SHA256 Credential=AKIDtestsecretid/{day}/sms/tc3_request, "
        "SignedHeaders=content-type;host, "
        f"Signature={tc3_signature_expected(sms, 'test-secret-key')}"
    )
    assert sms["body"] == {
        "PhoneNumberSet": ["+8613800138001"],
        "SmsSdkAppId": "1400000001",
        "SignName": "社工平台",
        "TemplateId": "2000001",
        "TemplateParamSet": [link],
    }

    [wecom] = gateway.of("wecom")
    assert (wecom["method"], wecom["path"]) == ("POST", "/cgi-bin/webhook/send?key=test-robot-key")
    assert wecom["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert wecom["body"] == {
        "msgtype": "text",
        "text": {
            "content": f"{county_user.full_name}：您有一条新提醒（信访事项交办），"
            f"请登录社工平台查看：{link}",
            "mentioned_mobile_list": ["13800138001"],
        },
    }
    deliveries = Delivery.objects.filter(recipient=county_user).order_by("channel")
    assert [(d.channel, d.status, d.attempts) for d in deliveries] == [
        ("sms", "sent", 1),
        ("wecom", "sent", 1),
    ]
    assert mail.outbox == []  # e-mail was not chosen for this kind


@pytest.mark.django_db
def test_nothing_private_leaves_the_platform(
    channels, gateway, county_user, django_capture_on_commit_callbacks
):
    county_user.phone = "13800138001"
    county_user.email = "worker@tianhe.example.gov.cn"
    county_user.save()
    choose(county_user, "sms", "wecom", "email")
    with django_capture_on_commit_callbacks(execute=True):
        assign(county_user)

    sms_text = Delivery.objects.get(channel="sms").text
    assert sms_text.startswith("您有一条新的待办，请登录社工平台查看：")
    sent = [json.dumps(r["body"], ensure_ascii=False) for r in gateway.requests]
    sent += [m.subject + m.body for m in mail.outbox]
    sent += list(Delivery.objects.values_list("text", flat=True))
    assert len(gateway.requests) == 2 and len(mail.outbox) == 1
    for text in sent:
        for value in PRIVATE.values():
            assert value not in text, (value, text)
    assert mail.outbox[0].subject == "社工平台提醒：信访事项交办"
    assert mail.outbox[0].to == ["worker@tianhe.example.gov.cn"]


@pytest.mark.django_db
def test_a_failing_channel_is_retried_with_backoff_logged_and_given_up(
    channels, gateway, county_user
):
    county_user.phone = "13800138001"
    county_user.save()
    choose(county_user, "sms", "wecom")
    gateway.scripts["wecom"] = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})] * 5
    gateway.scripts["sms"] = [(500, {})] * 5
    assign(county_user)
    t0 = soon()

    sweep = outbound.deliveries_send_due(now=t0)
    assert (sweep.sent, sweep.failed, sweep.given_up) == (0, 2, 0)
    wecom = Delivery.objects.get(channel="wecom")
    assert wecom.status == Delivery.Status.FAILED and wecom.attempts == 1
    assert wecom.last_error == "errcode 93000: invalid webhook url"
    assert wecom.next_attempt_at == t0 + timedelta(seconds=60)
    assert "HTTP 500" in Delivery.objects.get(channel="sms").last_error
    assert sweep.wake_at == t0 + timedelta(seconds=60)

    # Not before the backoff has passed; then 60 s, 120 s later, and given up at the third.
    assert outbound.deliveries_send_due(now=t0 + timedelta(seconds=59)).failed == 0
    assert len(gateway.requests) == 2
    t1 = t0 + timedelta(seconds=60)
    assert outbound.deliveries_send_due(now=t1).failed == 2
    wecom.refresh_from_db()
    assert wecom.next_attempt_at == t1 + timedelta(seconds=120)
    assert outbound.deliveries_send_due(now=t1 + timedelta(seconds=119)).failed == 0
    sweep = outbound.deliveries_send_due(now=t1 + timedelta(seconds=120))
    assert (sweep.failed, sweep.given_up, sweep.wake_at) == (0, 2, None)
    assert len(gateway.of("wecom")) == 3 and len(gateway.of("sms")) == 3
    wecom.refresh_from_db()
    assert (wecom.status, wecom.attempts, wecom.next_attempt_at) == ("given_up", 3, None)
    assert wecom.last_error == "errcode 93000: invalid webhook url"
    assert outbound.deliveries_send_due(now=t1 + timedelta(hours=1)).given_up == 0
    assert len(gateway.requests) == 6


@pytest.mark.django_db
def test_a_failure_then_success_is_sent_on_the_retry(channels, gateway, county_user):
    choose(county_user, "wecom")
    gateway.scripts["wecom"] = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    assign(county_user)
    t0 = soon()
    outbound.deliveries_send_due(now=t0)
    sweep = outbound.deliveries_send_due(now=t0 + timedelta(minutes=1))
    assert sweep.sent == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert delivery.sent_at == t0 + timedelta(minutes=1)


@pytest.mark.django_db
def test_quiet_hours_hold_non_urgent_deliveries_until_they_end(
    channels, gateway, county_user, settings
):
    settings.SHEGONG_OUTBOUND_QUIET_HOURS = "22:00-08:00"
    choose(county_user, "wecom")
    night = datetime(2026, 12, 7, 23, 30, tzinfo=SHANGHAI)
    morning = datetime(2026, 12, 8, 8, 0, tzinfo=SHANGHAI)
    assert outbound.first_attempt_at(KIND, night) == morning
    assert outbound.first_attempt_at(KIND, datetime(2026, 12, 8, 7, 59, tzinfo=SHANGHAI)) == morning
    noon = datetime(2026, 12, 8, 12, 0, tzinfo=SHANGHAI)
    assert outbound.first_attempt_at(KIND, noon) == noon

    assign(county_user)
    Delivery.objects.update(next_attempt_at=night - timedelta(minutes=5))
    sweep = outbound.deliveries_send_due(now=night)
    assert sweep.sent == 0 and gateway.requests == []
    assert sweep.wake_at == morning
    assert outbound.deliveries_send_due(now=morning - timedelta(minutes=1)).sent == 0
    assert outbound.deliveries_send_due(now=morning).sent == 1
    assert len(gateway.of("wecom")) == 1


@pytest.mark.django_db
def test_urgent_kinds_go_out_during_quiet_hours(channels, gateway, county_user, settings):
    settings.SHEGONG_OUTBOUND_QUIET_HOURS = "22:00-08:00"
    settings.SHEGONG_OUTBOUND_URGENT_KINDS = [str(KIND)]
    choose(county_user, "wecom")
    night = datetime(2026, 12, 7, 23, 30, tzinfo=SHANGHAI)
    assert outbound.first_attempt_at(KIND, night) == night
    assign(county_user)
    assert Delivery.objects.get().urgent
    Delivery.objects.update(next_attempt_at=night)
    assert outbound.deliveries_send_due(now=night).sent == 1


@pytest.mark.django_db
def test_the_rate_limit_of_a_channel_holds(channels, gateway, county_user, settings):
    settings.SHEGONG_OUTBOUND_CHANNELS = {
        **channels,
        "wecom": {**channels["wecom"], "PER_MINUTE": 2},
    }
    choose(county_user, "wecom")
    for i in range(5):
        assign(county_user, key=f"m{i}")
    assert Delivery.objects.count() == 5
    t0 = soon()
    sweep = outbound.deliveries_send_due(now=t0)
    assert sweep.sent == 2 and sweep.wake_at == t0 + timedelta(minutes=1)
    assert outbound.deliveries_send_due(now=t0 + timedelta(seconds=30)).sent == 0
    assert len(gateway.of("wecom")) == 2
    assert outbound.deliveries_send_due(now=t0 + timedelta(seconds=61)).sent == 2
    assert outbound.deliveries_send_due(now=t0 + timedelta(seconds=122)).sent == 1
    assert len(gateway.of("wecom")) == 5
    assert Delivery.objects.filter(status="sent").count() == 5


@pytest.mark.django_db
def test_each_persons_channel_choices_are_respected(
    channels, gateway, county_user, make_member, django_capture_on_commit_callbacks
):
    only_wecom = county_user
    only_wecom.phone, only_wecom.email = "13800138001", "a@example.gov.cn"
    only_wecom.save()
    choose(only_wecom, "wecom")
    by_default = make_member("dept_staff", "440106000000")
    by_default.phone, by_default.email = "13800138002", "b@example.gov.cn"
    by_default.save()
    no_number = make_member("dept_staff", "440106000000")
    choose(no_number, "sms")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient_ids=[only_wecom.pk, by_default.pk, no_number.pk],
            region_code="440106001000",
            kind=KIND,
            params=PRIVATE,
            url="/petitions/1/",
            key="m1",
        )
    by_user = sorted(Delivery.objects.values_list("recipient_id", "channel"))
    assert by_user == [(only_wecom.pk, "wecom"), (by_default.pk, "email")]
    assert gateway.of("sms") == []  # chose only WeCom; the default is no SMS; no number: none
    assert [m.to for m in mail.outbox] == [["b@example.gov.cn"]]
    assert gateway.of("wecom")[0]["body"]["text"]["mentioned_mobile_list"] == ["13800138001"]
    # Another kind keeps the defaults: e-mail, which the only-WeCom person has for it.
    assert outbound.deliveries_queue(notifications=[]) == 0


@pytest.mark.django_db
def test_a_channel_out_of_service_gets_nothing_and_its_waiting_deliveries_are_given_up(
    channels, gateway, county_user, settings
):
    choose(county_user, "wecom")
    assign(county_user)
    settings.SHEGONG_OUTBOUND_CHANNELS = {"email": channels["email"]}
    sweep = outbound.deliveries_send_due(now=soon())
    assert sweep.given_up == 1 and gateway.requests == []
    assert Delivery.objects.get().last_error == "渠道未启用"
    assign(county_user, key="m2")
    assert Delivery.objects.count() == 1  # WeCom chosen, but not in service


@pytest.mark.django_db
def test_the_console_channel_writes_to_the_log(county_user, settings, caplog):
    """The default settings (demo, local, a fresh machine): every channel is the console."""
    assert {c["BACKEND"] for c in settings.SHEGONG_OUTBOUND_CHANNELS.values()} == {"console"}
    settings.SHEGONG_OUTBOUND_QUIET_HOURS = ""
    choose(county_user, "sms", "wecom")
    county_user.phone = "13800138001"
    county_user.save()
    assign(county_user)
    with caplog.at_level("INFO", logger="shegong.outbound"):
        sweep = outbound.deliveries_send_due()
    assert sweep.sent == 2
    logged = [r.getMessage() for r in caplog.records if r.name == "shegong.outbound"]
    assert len(logged) == 2 and all("您有一条新" in m for m in logged)


def test_a_mobile_number_on_an_account_is_a_mainland_mobile():
    from shegong.accounts.models import User

    for bad in ("12345", "23800138001", "1380013800a", "138001380012"):
        with pytest.raises(ValidationError) as caught:
            User(username="x", phone=bad).clean_fields(exclude=["password"])
        assert "phone" in caught.value.message_dict
    User(username="x", phone="13800138001").clean_fields(exclude=["password"])
    User(username="x", phone="").clean_fields(exclude=["password"])


@pytest.mark.django_db
def test_unknown_choices_are_refused_with_the_reason(county_user):
    with pytest.raises(ValidationError, match="未知的提醒类型或渠道"):
        outbound.preferences_save(acting_user=county_user, chosen={("no_such_kind", "sms")})


def ticked(page: str, name: str) -> bool | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    return None if found is None else " checked" in found.group(0)


@pytest.mark.django_db
def test_a_person_ticks_channels_per_kind_on_their_account_page(channels, county_user, login):
    client = login(county_user)
    assert 'href="/inbox/channels/"' in client.get("/accounts/profile/").content.decode()
    page = client.get("/inbox/channels/").content.decode()
    assert "通知渠道" in page and "信访事项交办" in page
    assert 'data-testid="no-mobile"' in page  # SMS cannot reach an account without a number
    assert ticked(page, f"{KIND}__email") is True  # the default
    assert ticked(page, f"{KIND}__sms") is False

    response = client.post("/inbox/channels/", {f"{KIND}__wecom": "on"})
    assert response.status_code == 302
    assign(county_user)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["wecom"]
    # Other kinds lost e-mail too: the form is the whole table.
    page = client.get("/inbox/channels/").content.decode()
    assert ticked(page, f"{KIND}__wecom") is True
    assert ticked(page, f"{KIND}__email") is False


@pytest.mark.django_db
def test_the_delivery_log_shows_an_administrator_their_jurisdiction_only(
    channels, make_member, county_user, other_county_user, login
):
    choose(county_user, "wecom")
    choose(other_county_user, "wecom")
    assign(county_user)
    notify(
        recipient_ids=[other_county_user.pk],
        region_code="441881001000",
        kind=KIND,
        params=PRIVATE,
        url="/petitions/2/",
        key="y1",
    )
    leader = make_member("dept_leader", "440106000000")
    page = login(leader).get("/inbox/deliveries/log/").content.decode()
    assert county_user.full_name in page
    assert other_county_user.full_name not in page
    assert page.count('data-testid="delivery"') == 1
    filtered = login(leader).get("/inbox/deliveries/log/", {"status": "sent"}).content.decode()
    assert filtered.count('data-testid="delivery"') == 0

    # Staff without the permission: refused; their own deliveries: on their own page.
    assert login(county_user).get("/inbox/deliveries/log/").status_code == 403
    own = login(county_user).get("/inbox/deliveries/").content.decode()
    assert own.count('data-testid="delivery"') == 1 and "待发送" in own
    assert (
        login(other_county_user)
        .get("/inbox/deliveries/")
        .content.decode()
        .count('data-testid="delivery"')
        == 1
    )


@pytest.mark.django_db
def test_a_generic_json_sms_gateway_gets_the_template_and_link_with_its_key(
    channels, gateway, county_user, settings
):
    settings.SHEGONG_OUTBOUND_CHANNELS = {
        "sms": {
            "BACKEND": "json_sms",
            "OPTIONS": {"endpoint": gateway.url + "/", "api_key": "k-123", "template_id": "T1"},
        }
    }
    county_user.phone = "13800138001"
    county_user.save()
    choose(county_user, "sms")
    gateway.scripts["sms"] = [(200, {"code": 1001, "message": "quota exceeded"})]
    assign(county_user)
    t0 = soon()
    assert outbound.deliveries_send_due(now=t0).failed == 1
    assert Delivery.objects.get().last_error == "code 1001: quota exceeded"
    assert outbound.deliveries_send_due(now=t0 + timedelta(minutes=1)).sent == 1
    first, second = gateway.of("sms")
    assert first["headers"]["Authorization"] == "Bearer k-123"
    link = link_of(Notification.objects.get().pk)
    assert second["body"] == {
        "to": "+8613800138001",
        "template_id": "T1",
        "params": [link],
        "text": f"您有一条新的待办，请登录社工平台查看：{link}",
    }


@pytest.mark.django_db
def test_the_sender_books_its_next_run_for_a_retry_once(channels, gateway, county_user, settings):
    from django_tasks_db.models import DBTaskResult

    from shegong.inbox.tasks import deliver_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    choose(county_user, "wecom")
    gateway.scripts["wecom"] = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    assign(county_user)
    before = timezone.now()
    assert deliver_task.call() == {"sent": 0, "failed": 1, "given_up": 0}
    assert deliver_task.call() == {"sent": 0, "failed": 0, "given_up": 0}  # not due yet
    [booked] = DBTaskResult.objects.filter(status="READY", task_path=deliver_task.module_path)
    retry_at = Delivery.objects.get().next_attempt_at
    assert booked.run_after == retry_at and retry_at >= before + timedelta(seconds=60)
