"""Gunicorn configuration of the production web process (deploy/systemd/shegong-web.service):

    DJANGO_SETTINGS_MODULE=shegong.settings.production .venv/bin/gunicorn -c deploy/gunicorn.conf.py

Environment: SHEGONG_BIND (default 127.0.0.1:8000; a UNIX socket as unix:/run/shegong/web.sock),
WEB_CONCURRENCY (worker processes, default 2 × cores + 1), SHEGONG_THREADS (threads per worker,
default 1), SHEGONG_VAR_DIR (uploads, collected static files, metrics files).
Requests are logged by the application (one JSON line each, with request id, user, route,
status and duration), so gunicorn's own access log is off. Each worker is replaced after about
2,000 requests so that a slow leak cannot grow without bound."""

import multiprocessing
import os
import shutil
from pathlib import Path

wsgi_app = "shegong.wsgi:application"
bind = os.environ.get("SHEGONG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("SHEGONG_THREADS", "1"))
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "shegong-web"

# Prometheus: each worker writes its counters into files here; /metrics adds them up.
_var = Path(os.environ.get("SHEGONG_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus"))


def on_starting(server):
    """A fresh directory for the metrics files of this run of the server."""
    path = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
