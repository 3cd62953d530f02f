"""core.ratelimit: one table shared by every process, windows, locks, and a quiet audit log."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from shegong.core import ratelimit
from shegong.core.models import AuditLog, RateLimitCounter


class FakeClock:
    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


def _request(remote="198.51.100.4", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


@pytest.mark.django_db
def test_a_window_allows_its_limit_then_refuses_until_it_ends(clock):
    allowed = [ratelimit.hit(_request(), "petitions.submit.ip") for _ in range(7)]
    assert allowed == [True] * 5 + [False] * 2
    # Another address has its own count; the first one is refused until the hour ends.
    assert ratelimit.hit(_request("198.51.100.5"), "petitions.submit.ip")
    clock.now += 3599
    assert not ratelimit.hit(_request(), "petitions.submit.ip")
    clock.now += 2
    assert ratelimit.hit(_request(), "petitions.submit.ip")


@pytest.mark.django_db
def test_the_limits_are_settings(settings):
    settings.SHEGONG_RATE_LIMITS = {"petitions.submit.ip": (2, 60)}
    assert [ratelimit.hit(_request(), "petitions.submit.ip") for _ in range(3)] == [
        True,
        True,
        False,
    ]


@pytest.mark.django_db
def test_refusals_are_audited_once_per_key_and_window(clock):
    for _ in range(50):
        ratelimit.hit(_request(forwarded="203.0.113.1"), "petitions.open311.ip")
    rows = list(AuditLog.objects.filter(action="rate_limited").values_list("ip", "detail"))
    assert rows == [("198.51.100.4", {"rule": "petitions.open311.ip", "limit": 5, "window": 3600})]
    clock.now += 3601
    for _ in range(7):
        ratelimit.hit(_request(), "petitions.open311.ip")
    assert AuditLog.objects.filter(action="rate_limited").count() == 2


@pytest.mark.django_db
def test_failures_lock_a_target_from_every_address(clock):
    for i in range(4):
        ratelimit.fail(_request(f"10.0.0.{i}"), "petitions.track.number", key="N1")
    assert not ratelimit.locked("petitions.track.number", key="N1")
    ratelimit.fail(_request("10.0.0.9"), "petitions.track.number", key="N1", shown="N1")
    assert ratelimit.locked("petitions.track.number", key="N1")
    assert not ratelimit.locked("petitions.track.number", key="N2")
    assert AuditLog.objects.get(action="rate_limited").detail["target"] == "N1"
    clock.now += 3601
    assert not ratelimit.locked("petitions.track.number", key="N1")


@pytest.mark.django_db
def test_the_table_holds_no_addresses_or_id_numbers_and_is_swept(clock):
    id_number = "440106199506010013"
    ratelimit.hit(_request(), "volunteers.register.id", key=id_number)
    ratelimit.hit(_request(), "volunteers.register.ip")
    keys = " ".join(RateLimitCounter.objects.values_list("key", flat=True))
    assert id_number not in keys and "198.51.100.4" not in keys
    assert RateLimitCounter.objects.count() == 2
    clock.now += 24 * 3600 + 1
    assert ratelimit.sweep(int(clock.now)) == 2
    assert not RateLimitCounter.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_share_one_count():
    """Separate connections (as separate server processes have) never lose a count."""
    allowed = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(10):
                ok = ratelimit.hit(_request(), "petitions.track.ip")
                with lock:
                    allowed.append(ok)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 80 and allowed.count(True) == 30
    assert RateLimitCounter.objects.get().count == 80
