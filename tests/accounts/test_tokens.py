"""API tokens (issue #10): read-only or read-write, always expiring, last use shown, use audited
once an hour, and a read-only or expired token cannot write."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shegong.accounts.models import PersonalAccessToken
from shegong.accounts.services import token_create
from shegong.core.errors import ApplicationError
from shegong.core.models import AuditLog
from shegong.orgs.models import Organisation

pytestmark = pytest.mark.django_db

NEW_STATION = {"name": "令牌测试社工站", "kind": "sw_station", "region": "440106001"}


def _create_station(raw: str, **extra):
    return Client().post(
        "/api/v1/orgs/",
        NEW_STATION,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        **extra,
    )


def _me(raw: str, **extra):
    return Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def _new_token(user, **kwargs):
    return token_create(acting_user=user, membership=user.active_membership, name="脚本", **kwargs)


def test_the_page_creates_a_read_only_token_that_reads_but_cannot_write(login, county_user):
    page = login(county_user)
    response = page.post(
        "/accounts/tokens/",
        {
            "name": "统计脚本",
            "membership": county_user.active_membership.pk,
            "scope": "read",
            "days": "30",
        },
    )
    raw = response.context["new_token"]
    token = PersonalAccessToken.objects.get()
    assert token.scope == "read"
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert _me(raw).json()["jurisdiction_prefix"] == "440106"
    refused = _create_station(raw)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["reason"] == "该访问令牌为只读，不能执行修改操作。"
    assert not Organisation.objects.filter(name=NEW_STATION["name"]).exists()


def test_a_read_write_token_writes(county_user):
    _token, raw = _new_token(county_user, scope="read_write")
    assert _create_station(raw).status_code == 201
    assert Organisation.objects.filter(name=NEW_STATION["name"]).exists()


def test_an_expired_token_cannot_read_or_write(county_user):
    token, raw = _new_token(county_user, scope="read_write")
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _me(raw).status_code == 401
    assert _create_station(raw).status_code == 401
    assert not Organisation.objects.filter(name=NEW_STATION["name"]).exists()


def test_a_revoked_token_cannot_write(login, county_user):
    token, raw = _new_token(county_user, scope="read_write")
    login(county_user).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert _create_station(raw).status_code == 401


def test_every_token_expires_within_the_maximum(login, county_user, settings):
    token, _raw = _new_token(county_user)
    assert timezone.now() + timedelta(days=89) < token.expires_at
    assert token.expires_at <= timezone.now() + timedelta(days=90)
    with pytest.raises(ApplicationError, match="最长 90 天"):
        _new_token(county_user, expires_at=timezone.now() + timedelta(days=91))
    settings.SHEGONG_TOKEN_MAX_DAYS = 7
    page = login(county_user)
    response = page.post(
        "/accounts/tokens/",
        {
            "name": "长期令牌",
            "membership": county_user.active_membership.pk,
            "scope": "read",
            "days": "8",
        },
    )
    assert response.context["new_token"] is None
    assert "7" in response.context["form"].errors["days"][0]
    assert PersonalAccessToken.objects.count() == 1


def test_the_page_shows_scope_expiry_and_last_use_with_its_address(login, county_user):
    token, raw = _new_token(county_user, scope="read")
    _me(raw, REMOTE_ADDR="198.51.100.23", HTTP_X_FORWARDED_FOR="203.0.113.99")
    html = login(county_user).get("/accounts/tokens/").content.decode()
    row = html[html.index(f'data-testid="token-{token.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "只读" in row
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M") in row
    assert "来自 198.51.100.23" in row and "203.0.113.99" not in row


def test_token_use_is_audited_once_an_hour_not_per_request(county_user):
    token, raw = _new_token(county_user, scope="read")
    for _ in range(5):
        assert _me(raw).status_code == 200
    uses = AuditLog.objects.filter(action="token_use")
    assert uses.count() == 1
    row = uses.get()
    assert row.actor == county_user and row.object_id == str(token.pk)
    assert row.ip == "127.0.0.1" and row.region_code == "440106000000"
    # An hour later the next use is audited again.
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        use_audited_at=timezone.now() - timedelta(hours=1, seconds=1)
    )
    _me(raw)
    _me(raw)
    assert uses.count() == 2


def test_a_refused_write_is_still_a_recorded_use(county_user):
    token, raw = _new_token(county_user, scope="read")
    _create_station(raw, REMOTE_ADDR="198.51.100.8")
    token.refresh_from_db()
    assert token.last_used_ip == "198.51.100.8" and token.last_used_at is not None


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_keep_read_write_and_get_an_expiry_by_migration(county_user):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("accounts", "0005_second_factor_rule_roles")]  # just before the token migrations
    after = executor.loader.graph.leaf_nodes("accounts")
    executor.migrate(before)
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(before).apps
    Token = old_apps.get_model("accounts", "PersonalAccessToken")
    created = timezone.now() - timedelta(days=10)
    old = Token.objects.create(
        membership_id=county_user.active_membership.pk,
        name="旧令牌",
        digest="d" * 64,
        hint="sg_old",
    )
    Token.objects.filter(pk=old.pk).update(created_at=created)
    kept = Token.objects.create(
        membership_id=county_user.active_membership.pk,
        name="有期限",
        digest="e" * 64,
        hint="sg_kept",
        expires_at=created + timedelta(days=3),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    old, kept = (
        PersonalAccessToken.objects.get(pk=old.pk),
        PersonalAccessToken.objects.get(pk=kept.pk),
    )
    assert old.scope == kept.scope == "read_write"
    assert old.expires_at == created + timedelta(days=90)
    assert kept.expires_at == created + timedelta(days=3)
