"""`/healthz` (the process answers), `/readyz` (ready for traffic: database reachable, migrations
applied, a fresh worker heartbeat, disk space; 503 otherwise; with read replicas, whether each
is in use, for information) and `/metrics` (Prometheus text
format, for the operator only: a bearer token from `SHEGONG_METRICS_TOKEN`, or a signed-in
system administrator; anybody else gets the same 404 as an unknown address). Load balancers
probe the first two without signing in: they carry the checks' names and results, and their
details (ages, counts, free space) only for the operator."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from shegong.core.access import public
from shegong.ops import metrics, selectors


def is_operator(request) -> bool:
    token = settings.SHEGONG_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)


@public
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@public
@never_cache
def readyz(request):
    checks = selectors.readiness()
    ready = all(c.ok for c in checks)
    operator = is_operator(request)
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {
            c.name: ({"ok": c.ok, "detail": c.detail} if operator else {"ok": c.ok}) for c in checks
        },
    }
    # Read replicas: shown, never failing readiness (a replica out sends its reads to the
    # primary; the node still serves).
    if replicas := selectors.replicas():
        body["replicas"] = {
            r.alias: (
                {
                    "in_use": r.in_use,
                    "detail": r.reason,
                    "lag_seconds": r.lag_seconds,
                    "lag_bytes": r.lag_bytes,
                }
                if operator
                else {"in_use": r.in_use}
            )
            for r in replicas
        }
    return JsonResponse(body, status=200 if ready else 503)


@public
@never_cache
def metrics_view(request):
    if not is_operator(request):
        raise Http404("Not found")
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4")
