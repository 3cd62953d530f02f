"""Writing the audit log. Called inside the same transaction as the act it records."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models

from shegong.core.models import AuditLog


def client_ip(request) -> str | None:
    """The address of the client that sent `request`, validated; None if there is none.

    REMOTE_ADDR is the answer unless it is one of the proxies configured in
    `SHEGONG_TRUSTED_PROXIES` (none by default). Only then is X-Forwarded-For read, from the
    right: each trusted proxy appended the address it received the request from, so the first
    address that is not itself a trusted proxy is the client. Everything to the left of it was
    written by the client and is ignored. A value that is not an IP address ends the walk at the
    last trusted hop, so garbage never becomes the address (nor reaches the database).
    """
    if request is None:
        return None
    meta = request.META
    remote_text = (meta.get("REMOTE_ADDR") or "").strip()
    remote = parse_ip(remote_text)
    proxies = trusted_proxies()
    if remote is None:
        # A proxy on a UNIX socket has no address: trusted only if "unix" is configured.
        if not (proxies.unix and (remote_text in ("", "unix") or remote_text.startswith("unix:"))):
            return None
    elif not proxies.trusts(remote):
        return str(remote)
    found = remote
    for hop in reversed((meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        address = parse_ip(hop)
        if address is None:
            break
        found = address
        if not proxies.trusts(address):
            break
    return str(found) if found is not None else None


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    unix: bool

    def trusts(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in self.networks)


def trusted_proxies() -> TrustedProxies:
    return _trusted_proxies(tuple(getattr(settings, "SHEGONG_TRUSTED_PROXIES", ()) or ()))


@lru_cache(maxsize=8)
def _trusted_proxies(entries: tuple[str, ...]) -> TrustedProxies:
    networks, unix = [], False
    for entry in entries:
        entry = entry.strip()
        if entry == "unix":
            unix = True
        elif entry:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return TrustedProxies(tuple(networks), unix)


def parse_ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address from a header value (brackets, a port and an IPv6 zone allowed), or None.

    IPv4-mapped IPv6 addresses become IPv4, so one client has one spelling."""
    text = (value or "").strip()
    if not text or len(text) > 64:
        return None
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    text = text.split("%", 1)[0]  # fe80::1%eth0: a zone means nothing off the host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    obj: models.Model | None = None,
    region_code: str = "",
    detail: dict | None = None,
    request: Any = None,
) -> AuditLog:
    """Append one row to the audit log's hash chain (see `core.auditchain`), in the caller's
    transaction: if the act rolls back, so does its record."""
    from shegong.core import auditchain

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None and not region_code:
        region_code = getattr(obj, "region_id", "") or getattr(obj, "region_code", "") or ""
    detail = auditchain.normalised_detail(detail)
    ip = client_ip(request)
    if ip is not None and not _is_ip(ip):
        # Never let an unparseable address fail the act: keep what was sent, in the detail.
        detail["unparsed_ip"] = str(ip)[:100]
        ip = None
    return auditchain.append(
        action=action,
        actor=actor,
        actor_name=_fit(actor_name or (actor.get_username() if actor is not None else ""), 150),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=_fit(str(obj.pk), 64) if obj is not None else "",
        region_code=_fit(region_code or "", 12),
        detail=detail,
        ip=ip,
    )


def _fit(value: str, length: int) -> str:
    return value[:length]


def _is_ip(value: Any) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True
