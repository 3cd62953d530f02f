"""The client address (core.audit.client_ip): X-Forwarded-For is believed only from configured
proxies, and whatever a client writes never reaches the database as an address."""

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from shegong.core.audit import client_ip
from shegong.core.models import AuditLog


def _request(remote="127.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.SHEGONG_TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.4", "203.0.113.9")) == "198.51.100.4"
    assert client_ip(_request("198.51.100.4", "not-an-ip")) == "198.51.100.4"
    assert client_ip(_request("garbage", "203.0.113.9")) is None
    assert client_ip(None) is None


def test_a_trusted_proxy_forwarded_for_is_walked_from_the_right(settings):
    settings.SHEGONG_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.7.1"]
    # The client wrote "1.2.3.4"; the outer proxy appended the real peer, the inner one the outer.
    forwarded = "1.2.3.4, 203.0.113.9, 10.0.0.3"
    assert client_ip(_request("192.168.7.1", forwarded)) == "203.0.113.9"
    # A peer that is not a trusted proxy is the client, whatever it forwards.
    assert client_ip(_request("198.51.100.4", forwarded)) == "198.51.100.4"
    # Only proxies in the chain (an internal health check): the farthest one.
    assert client_ip(_request("10.0.0.2", "10.0.0.9")) == "10.0.0.9"
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_garbage_in_the_chain_ends_the_walk_at_the_last_trusted_hop(settings):
    settings.SHEGONG_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.2", "203.0.113.9, <script>")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "203.0.113.9, '; DROP, 10.0.0.7")) == "10.0.0.7"
    assert client_ip(_request("10.0.0.2", "'; DROP, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", "\x00")) == "10.0.0.2"


def test_ports_brackets_zones_and_mapped_addresses_are_normalised(settings):
    settings.SHEGONG_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.2", "203.0.113.9:51234")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", "[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(_request("10.0.0.2", "2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(_request("10.0.0.2", "fe80::1%eth0")) == "fe80::1"
    assert client_ip(_request("::ffff:198.51.100.4")) == "198.51.100.4"


def test_a_proxy_on_a_unix_socket_is_trusted_only_when_configured(settings):
    settings.SHEGONG_TRUSTED_PROXIES = []
    assert client_ip(_request("", "203.0.113.9")) is None
    settings.SHEGONG_TRUSTED_PROXIES = ["unix"]
    assert client_ip(_request("", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("", "junk")) is None


def test_a_wrong_proxy_setting_stops_the_start(monkeypatch):
    from shegong.settings.base import env_networks

    monkeypatch.setenv("SHEGONG_TRUSTED_PROXIES", "10.0.0.0/8, 172.16.0.0/12;unix")
    assert env_networks("SHEGONG_TRUSTED_PROXIES") == ["10.0.0.0/8", "172.16.0.0/12", "unix"]
    monkeypatch.setenv("SHEGONG_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local")
    with pytest.raises(ImproperlyConfigured, match="proxy.local"):
        env_networks("SHEGONG_TRUSTED_PROXIES")


header_text = st.text(
    alphabet=st.sampled_from("0123456789abcdef:.,[]% x-\x00/"), max_size=60
) | st.lists(st.ip_addresses().map(str), max_size=4).map(", ".join)


@hyp_settings(max_examples=300, deadline=None)
@given(forwarded=header_text, remote=header_text)
def test_whatever_the_headers_the_answer_is_an_address_or_none(forwarded, remote):
    from django.test import override_settings

    for proxies in ([], ["0.0.0.0/0", "::/0"]):
        with override_settings(SHEGONG_TRUSTED_PROXIES=proxies):
            found = client_ip(_request(remote, forwarded))
        if found is not None:
            assert str(ipaddress.ip_address(found)) == found
        if not proxies:  # the header changes nothing
            assert found == client_ip(_request(remote))


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-ip", "1.2.3.4.5", "' OR 1=1 --", "x" * 300])
def test_a_non_ip_forwarded_for_never_breaks_sign_in(client, county_user, settings, forwarded):
    """On PostgreSQL a non-IP value in the audit row's inet column was a 500 on every sign-in."""
    settings.SHEGONG_TRUSTED_PROXIES = ["127.0.0.1"]
    wrong = client.post(
        "/accounts/login/",
        {"username": county_user.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    right = client.post(
        "/accounts/login/",
        {"username": county_user.username, "password": "pass12345!"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert wrong.status_code == 200 and right.status_code == 302
    rows = AuditLog.objects.filter(actor_name=county_user.username).values_list("action", "ip")
    assert sorted(rows) == [("login", "127.0.0.1"), ("login_failed", "127.0.0.1")]


@pytest.mark.django_db
def test_rotating_forwarded_for_does_not_change_the_audited_address(client, county_user):
    for i in range(3):
        client.post(
            "/accounts/login/",
            {"username": county_user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    ips = set(AuditLog.objects.filter(action="login_failed").values_list("ip", flat=True))
    assert ips == {"127.0.0.1"}


@pytest.mark.django_db
def test_a_trusted_proxy_forwarded_for_is_the_audited_address(client, county_user, settings):
    settings.SHEGONG_TRUSTED_PROXIES = ["127.0.0.1/32"]
    client.post(
        "/accounts/login/",
        {"username": county_user.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="1.1.1.1, 2001:db8::7",
    )
    assert AuditLog.objects.get(action="login_failed").ip == "2001:db8::7"
