"""Every request gets an id (the proxy's `X-Request-ID` when it is a plain token, else a new
one), returned in the response's `X-Request-ID`; when answered, one log line on the
`shegong.request` logger (request id, user id, route, status, duration; never the query string,
which may carry personal data) and the route's request count and latency for the metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid

from shegong.ops import metrics

logger = logging.getLogger("shegong.request")
TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if TOKEN.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = (match.view_name or match.route) if match else "unmatched"
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        metrics.observe(
            route=route, method=request.method, status=response.status_code, seconds=seconds
        )
        response["X-Request-ID"] = request.request_id
        logger.info(
            "%s %s %s",
            request.method,
            route,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user_id,
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                # where its reads went, with read replicas (core/dbrouting)
                **({"read_from": request.read_from} if hasattr(request, "read_from") else {}),
            },
        )
        return response
