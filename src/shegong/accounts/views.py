import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.accounts import selectors, services
from shegong.accounts.forms import AuditSearchForm, LoginForm, TokenForm
from shegong.core.access import login_only, public, scoped
from shegong.core.errors import ApplicationError, apply_to_form
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.regions.selectors import region_names


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_only
@require_POST
def switch_membership(request):
    try:
        membership = services.membership_switch(
            request=request, membership_id=int(request.POST.get("membership", 0))
        )
        messages.success(request, _("已切换到：%(m)s") % {"m": membership})
    except (ApplicationError, ValueError):
        messages.error(request, _("该任职不存在或已失效。"))
    return redirect(_safe_next(request))


@login_only
def tokens(request):
    memberships = getattr(request.user, "memberships_cached", [])
    form = TokenForm(request.POST or None, memberships=memberships)
    new_token = None
    if request.method == "POST" and form.is_valid():
        membership = next((m for m in memberships if m.pk == form.cleaned_data["membership"]), None)
        try:
            if membership is None:
                raise ApplicationError(_("只能为自己的有效任职创建令牌。"), field="membership")
            _token, new_token = services.token_create(
                user=request.user,
                membership=membership,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
                request=request,
            )
            form = TokenForm(memberships=memberships)
        except ApplicationError as exc:
            apply_to_form(form, exc)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.token_list(owner=request.user),
            "new_token": new_token,
        },
    )


@login_only
@require_POST
def token_revoke(request, pk: int):
    try:
        services.token_revoke(user=request.user, token_id=pk, request=request)
        messages.success(request, _("令牌已吊销。"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:tokens")


@scoped("accounts.view_users")
def user_list(request):
    q = request.GET.get("q", "").strip()
    users = selectors.user_list(fetched_by=request.user, q=q)
    listing = paginate(
        request,
        users,
        sorts={
            "username": ("username",),
            "-username": ("-username",),
            "name": ("full_name", "id"),
            "-name": ("-full_name", "-id"),
        },
        default="username",
    )
    return render(request, "accounts/user_list.html", {"listing": listing, "q": q})


@scoped("accounts.view_users")
def user_detail(request, pk: int):
    person = selectors.get_user_for(request.user, pk)
    from shegong.core.history import history_of

    return render(
        request, "accounts/user_detail.html", {"person": person, "history": history_of(person)}
    )


@scoped("accounts.export_users")
def user_export(request):
    q = request.GET.get("q", "").strip()
    users = selectors.user_list(fetched_by=request.user, q=q).order_by("username")
    rows = (
        [
            u.username,
            u.full_name,
            u.phone,
            "；".join(
                f"{m.organisation.name}（{m.get_role_display()}）" for m in u.visible_memberships
            ),
        ]
        for u in users.iterator(chunk_size=2000)
    )
    return excel_response(
        request,
        filename="users.xlsx",
        title=pgettext("plural", "用户"),
        headers=[_("账号"), _("姓名"), _("手机号"), _("任职")],
        rows=rows,
        audit_detail={"list": "users", "q": q},
    )


AUDIT_EXPORT_MAX_ROWS = 100_000


def _audit_filters(request) -> tuple[AuditSearchForm, dict | None]:
    form = AuditSearchForm(request.GET, user=request.user)
    return form, (form.filters() if form.is_valid() else None)


@scoped("accounts.view_audit")
def audit_log(request):
    form, filters = _audit_filters(request)
    logs = selectors.audit_list(fetched_by=request.user, **(filters or {}))
    if filters is None:
        logs = logs.none()
    listing = paginate(
        request,
        logs.select_related("actor"),
        sorts={"-at": ("-at", "-id"), "at": ("at", "id")},
        default="-at",
        per_page=50,
    )
    names = region_names({log.region_code for log in listing.object_list if log.region_code})
    for log in listing.object_list:
        log.detail_text = json.dumps(log.detail, ensure_ascii=False, sort_keys=True)
        log.region_name = names.get(log.region_code, "")
    return render(
        request,
        "accounts/audit_log.html",
        {
            "listing": listing,
            "form": form,
            "verification": selectors.audit_verification_latest(fetched_by=request.user),
            "can_export": has_perm(request.user, "accounts.export_audit"),
        },
    )


@scoped("accounts.export_audit")
def audit_export(request):
    form, filters = _audit_filters(request)
    back = f"{reverse('accounts:audit_log')}?{request.GET.urlencode()}"
    if filters is None:
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(back)
    logs = selectors.audit_list(fetched_by=request.user, **filters)
    if logs.count() > AUDIT_EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("符合条件的记录超过 %(n)s 条，请缩小筛选范围后再导出。")
            % {"n": f"{AUDIT_EXPORT_MAX_ROWS:,}"},
        )
        return redirect(back)
    labels = dict(AuditLog.Action.choices)
    rows = (
        [
            timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"),
            log.actor_name,
            str(labels.get(log.action, log.action)),
            log.object_type,
            log.object_id,
            log.region_code,
            log.ip or "",
            json.dumps(log.detail, ensure_ascii=False, sort_keys=True),
            log.seq,
            log.prev_hash,
            log.hash,
        ]
        for log in logs.order_by("seq").iterator(chunk_size=2000)
    )
    return excel_response(
        request,
        filename="audit-log.xlsx",
        title=_("审计日志"),
        headers=[
            _("时间"),
            _("操作人账号"),
            _("动作"),
            _("对象类型"),
            _("对象编号"),
            _("区划代码"),
            _("IP 地址"),
            _("详情"),
            _("链序号"),
            _("前一条哈希"),
            _("哈希"),
        ],
        rows=rows,
        audit_detail={"list": "audit", **_printable(filters)},
    )


def _printable(filters: dict) -> dict:
    """The filters that were set, as JSON values (for the export's own audit row)."""
    return {
        key: [str(v) for v in value] if isinstance(value, list) else str(value)
        for key, value in filters.items()
        if value
    }
