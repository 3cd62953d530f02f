"""Content-Security-Policy: one middleware puts the policy on every response.

The policy is the `SECURE_CSP` setting (and `SECURE_CSP_REPORT_ONLY`, for trying a change
first), a dict of directive → list of sources, in the shape Django 6.0 gives those settings, so
that moving to Django's own middleware later changes two import paths and nothing else
(docs/decisions/0008-security-headers-and-csp.md).

A template that needs an inline `<script>` or `<style>` (none of ours does: scripts live in static
files and take their data from `json_script` or `data-` attributes) writes
`nonce="{{ csp_nonce }}"`; the nonce is made only when read, and only then does the header carry
`'nonce-…'`, new for each response.

Every response gets the same policy, PDFs included (Chromium's PDF viewer shows our replies,
notices and certificates under it).
"""

from __future__ import annotations

import secrets
from enum import StrEnum

from django.conf import settings
from django.utils.functional import SimpleLazyObject, empty

HEADER = "Content-Security-Policy"
HEADER_REPORT_ONLY = "Content-Security-Policy-Report-Only"


class CSP(StrEnum):
    """Keywords of a policy, spelled once (a missing quote silently means a host name)."""

    NONE = "'none'"
    SELF = "'self'"
    UNSAFE_INLINE = "'unsafe-inline'"
    UNSAFE_EVAL = "'unsafe-eval'"
    STRICT_DYNAMIC = "'strict-dynamic'"
    REPORT_SAMPLE = "'report-sample'"
    # Replaced by `'nonce-…'` in a response whose nonce was used, dropped in the others.
    NONCE = "<csp-nonce>"


class LazyNonce(SimpleLazyObject):
    """A random nonce, made when first read; false until then."""

    def __init__(self):
        super().__init__(lambda: secrets.token_urlsafe(18))

    def __bool__(self) -> bool:
        return self._wrapped is not empty


def build_policy(config: dict, nonce: str | None = None) -> str:
    """`{"script-src": [CSP.SELF, CSP.NONCE], "upgrade-insecure-requests": True}` →
    `"script-src 'self' 'nonce-…'; upgrade-insecure-requests"`."""
    parts = []
    for directive, sources in config.items():
        if sources is None or sources is False:
            continue
        if sources is True:
            parts.append(directive)
            continue
        if isinstance(sources, str):
            sources = [sources]
        rendered = []
        for source in sources:
            if source == CSP.NONCE:
                if nonce:
                    rendered.append(f"'nonce-{nonce}'")
            else:
                rendered.append(str(source))
        if rendered:
            parts.append(f"{directive} {' '.join(rendered)}")
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Sets the policy headers on every response that has none yet (a view may set its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = LazyNonce()
        response = self.get_response(request)
        nonce = str(request.csp_nonce) if request.csp_nonce else None
        for header, config in (
            (HEADER, settings.SECURE_CSP),
            (HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY),
        ):
            if config and header not in response:
                response.headers[header] = build_policy(config, nonce)
        return response


def context_processor(request) -> dict:
    """`{{ csp_nonce }}` in templates (reading it puts the nonce into the header)."""
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": nonce if nonce is not None else ""}
