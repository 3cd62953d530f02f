"""Issue 18, Done-when 1: the production configuration really serves. The test collects the
static files with the production settings, starts gunicorn with deploy/gunicorn.conf.py (two
worker processes) on the test database, and gets the home page, a hashed static file, `/readyz`
(503 without a fresh worker heartbeat, 200 with one, 503 again when it goes stale) and the
operator's metrics added up over both processes; the request lines are JSON with a request id.

Production runs on PostgreSQL only (its settings refuse SQLite), so this runs in the PostgreSQL
suite (CI runs both)."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = "probe-metrics-token-" + secrets.token_hex(8)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="production runs on PostgreSQL only"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _environment(tmp_path: Path, port: int) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROMETHEUS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="shegong.settings.production",
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(60),
        SHEGONG_FIELD_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1",
        SHEGONG_VAR_DIR=str(tmp_path),
        SHEGONG_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        SHEGONG_METRICS_TOKEN=TOKEN,
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.mark.django_db(transaction=True)
def test_the_production_server_serves_pages_static_files_and_readiness(tmp_path):
    from shegong.ops.models import WorkerHeartbeat
    from shegong.ops.services import heartbeat_record

    port = _free_port()
    env = _environment(tmp_path, port)
    collected = subprocess.run(
        [str(BIN / "shegong"), "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert collected.returncode == 0, collected.stderr[-2000:]
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to a minute on a busy machine
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not answer /healthz")

        status, _headers, body = _get(f"{base}/readyz")
        assert status == 503 and json.loads(body)["checks"]["worker"] == {"ok": False}
        heartbeat_record()  # what the worker's heartbeat task writes
        status, _headers, body = _get(f"{base}/readyz")
        assert status == 200, body
        assert json.loads(body) == {
            "status": "ready",
            "checks": {k: {"ok": True} for k in ("database", "migrations", "worker", "disk")},
        }

        status, headers, page = _get(f"{base}/", **{"X-Request-ID": "probe-prod-0001"})
        assert status == 200, page[:2000]
        html = page.decode()
        assert "社工" in html and headers["X-Request-ID"] == "probe-prod-0001"
        css = re.search(r'href="(/static/vendor/tabler/css/tabler\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "the page links the hashed stylesheet"
        status, headers, _body = _get(base + css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        assert headers.get("Content-Encoding") == "gzip"

        WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=10))
        status, _headers, body = _get(f"{base}/readyz", Authorization=f"Bearer {TOKEN}")
        assert status == 503 and not json.loads(body)["checks"]["worker"]["ok"]

        for _ in range(6):
            _get(f"{base}/healthz")
        assert _get(f"{base}/metrics")[0] == 404
        status, _headers, metrics = _get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
        assert status == 200
        counted = re.search(
            r'shegong_http_requests_total\{method="GET",route="healthz",status="200"\} (\d+)',
            metrics.decode(),
        )
        assert counted and float(counted.group(1)) >= 7  # every process's requests
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    lines = [
        json.loads(line)
        for line in (tmp_path / "gunicorn.log").read_text().splitlines()
        if line.startswith("{")
    ]
    mine = [line for line in lines if line.get("request_id") == "probe-prod-0001"]
    assert any(line["status"] == 200 for line in mine)  # the login page the home redirects to
    assert all(line["logger"] == "shegong.request" and "duration_ms" in line for line in mine)
