"""Prometheus metrics: request counts and latencies per route (recorded by the request-log
middleware), and, computed when scraped, the task queue (depth and age of the oldest waiting
task, running, failed in the last day), the last deadline sweep's duration, sign-in failures,
the age of the worker's heartbeat and, with read replicas, whether each is in use and its lag.

Under gunicorn each worker process counts its own requests; with `PROMETHEUS_MULTIPROC_DIR` set
(deploy/gunicorn.conf.py sets it) prometheus_client keeps them in files there and the endpoint
adds up every process's (its multiprocess mode)."""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUESTS = Counter(
    "shegong_http_requests",
    "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "shegong_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route, method=method).observe(seconds)


class DatabaseFigures:
    """Figures read from the database at scrape time (each scrape: four small queries)."""

    def collect(self):
        from django.utils import timezone

        from shegong.ops import selectors

        now = timezone.now()
        queue = selectors.queue_figures(now=now)
        yield GaugeMetricFamily(
            "shegong_task_queue_waiting", "Background tasks due and not started.", queue.waiting
        )
        yield GaugeMetricFamily(
            "shegong_task_queue_oldest_wait_seconds",
            "How long the oldest due task has waited.",
            queue.oldest_wait_seconds,
        )
        yield GaugeMetricFamily(
            "shegong_task_running", "Background tasks running now.", queue.running
        )
        yield GaugeMetricFamily(
            "shegong_task_failed_last_day",
            "Background tasks failed in the last 24 hours.",
            queue.failed_last_day,
        )
        sweep = selectors.last_sweep_seconds()
        if sweep is not None:
            yield GaugeMetricFamily(
                "shegong_deadline_sweep_duration_seconds",
                "Duration of the last finished deadline sweep.",
                sweep,
            )
        yield CounterMetricFamily(
            "shegong_signin_failures",
            "Failed sign-ins recorded in the audit log.",
            selectors.signin_failures(),
        )
        replicas = selectors.replicas()
        if replicas:
            in_use = GaugeMetricFamily(
                "shegong_replica_in_use",
                "1 while a read replica takes reads, 0 while it is out (lagging or unreachable).",
                labels=["replica"],
            )
            lag = GaugeMetricFamily(
                "shegong_replica_lag_seconds",
                "How far a read replica's replay is behind the primary, in seconds.",
                labels=["replica"],
            )
            lag_bytes = GaugeMetricFamily(
                "shegong_replica_lag_bytes",
                "WAL written on the primary and not yet replayed on a read replica.",
                labels=["replica"],
            )
            for replica in replicas:
                in_use.add_metric([replica.alias], 1 if replica.in_use else 0)
                if replica.lag_seconds is not None:
                    lag.add_metric([replica.alias], replica.lag_seconds)
                if replica.lag_bytes is not None:
                    lag_bytes.add_metric([replica.alias], replica.lag_bytes)
            yield in_use
            yield lag
            yield lag_bytes
        beat = selectors.last_heartbeat()
        if beat is not None:
            yield GaugeMetricFamily(
                "shegong_worker_heartbeat_age_seconds",
                "Seconds since the background worker's last heartbeat.",
                (now - beat).total_seconds(),
            )


def exposition() -> bytes:
    """The metrics in Prometheus' text format: the requests of every process (multiprocess
    mode) or of this one, and the database figures."""
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    figures = CollectorRegistry()
    figures.register(DatabaseFigures())
    return text + generate_latest(figures)
