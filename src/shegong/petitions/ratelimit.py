"""A small fixed-window rate limit per client IP, kept in the cache (public endpoints only)."""

from __future__ import annotations

from django.core.cache import cache

from shegong.core.audit import client_ip


def hit(request, bucket: str, *, limit: int, window: int) -> bool:
    """Count one request; False once the client made more than `limit` in `window` seconds."""
    key = f"sg-rl:{bucket}:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
