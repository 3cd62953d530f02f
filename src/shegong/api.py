"""The API at /api/v1/ (django-ninja). Each Shegong app's `api.py` contributes a `router`.

Every operation is authenticated (a personal access token bound to a membership, or the browser
session with CSRF) unless it is explicitly declared public with `auth=None`; the access walk test
proves it. Errors are JSON: `{"errors": [{"field": ..., "reason": ...}]}`.
"""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from shegong.core.api_schema import ShegongAPI, schema_error_reason
from shegong.core.errors import ApplicationError, error_items


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sg_…` — a personal access token bound to a membership.

    An expired, revoked or unknown token is a 401; a read-only token calling an unsafe method
    is a 403. Use is recorded on the token and audited once an hour (accounts.services)."""

    def authenticate(self, request, token):
        from shegong.accounts.models import PersonalAccessToken

        digest = PersonalAccessToken.digest_of(token)
        found = (
            PersonalAccessToken.objects.usable()
            .select_related("membership__user", "membership__organisation__region")
            .filter(digest=digest)
            .first()
        )
        if found is None or not found.membership.user.is_active:
            return None
        from shegong.accounts.services import token_mark_used

        token_mark_used(token=found, request=request)
        if not found.allows(request.method):
            raise HttpError(403, _("该访问令牌为只读，不能执行修改操作。"))
        user = found.membership.user
        user.active_membership = found.membership
        request.user = user
        return user


class MembershipSessionAuth(SessionAuth):
    """The logged-in browser session (CSRF-protected); the active membership comes from it. A
    session that still owes its second factor (enrolment or code) is refused."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and getattr(user, "active_membership", None) is not None:
            from shegong.accounts.signin.middleware import second_factor_pending

            if second_factor_pending(request):
                raise HttpError(403, _("请先完成双因素认证（启用验证器或输入验证码）再使用接口。"))
            return user
        return None


api = ShegongAPI(
    title="Shegong 社工 API",
    version="1.0",
    description=_("社会工作综合平台接口。所有接口按当前任职的辖区范围返回数据。"),
    auth=[TokenAuth(), MembershipSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def _errors(request, items, status):
    return api.create_response(request, {"errors": items}, status=status)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    items = []
    for err in exc.errors:
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "payload", "form")
        ]
        items.append({"field": ".".join(loc) or "__all__", "reason": schema_error_reason(err)})
    return _errors(request, items, 422)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return _errors(request, error_items(exc), 422)


@api.exception_handler(ApplicationError)
def on_application_error(request, exc):
    return _errors(request, error_items(exc), exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _errors(request, [{"field": "__all__", "reason": _("未找到。")}], 404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _errors(request, [{"field": "__all__", "reason": _("您的角色无权执行此操作。")}], 403)


@api.exception_handler(AuthenticationError)
def on_unauthorized(request, exc):
    return _errors(request, [{"field": "__all__", "reason": _("需要登录或有效的访问令牌。")}], 401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _errors(request, [{"field": "__all__", "reason": str(exc)}], exc.status_code)


for _config in apps.get_app_configs():
    if not _config.name.startswith("shegong."):
        continue
    try:
        _module = import_module(f"{_config.name}.api")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{_config.name}.api":
            raise
        continue
    api.add_router(getattr(_module, "prefix", f"/{_config.label}/"), _module.router)
