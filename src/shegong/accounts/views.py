from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.accounts import selectors, services
from shegong.accounts.forms import LoginForm, TokenForm
from shegong.core.access import login_only, public, scoped
from shegong.core.errors import ApplicationError, apply_to_form
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.models import AuditLog


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
    max_days = services.token_max_days()
    form = TokenForm(request.POST or None, memberships=memberships, max_days=max_days)
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
                scope=form.cleaned_data["scope"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                request=request,
            )
            form = TokenForm(memberships=memberships, max_days=max_days)
        except ApplicationError as exc:
            if exc.field == "expires_at":
                exc.field = "days"
            apply_to_form(form, exc)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.token_list(owner=request.user),
            "new_token": new_token,
            "now": timezone.now(),
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


@scoped("accounts.view_audit")
def audit_log(request):
    action = request.GET.get("action", "")
    logs = selectors.audit_list(fetched_by=request.user, action=action)
    listing = paginate(
        request, logs, sorts={"-at": ("-at", "-id"), "at": ("at", "id")}, default="-at", per_page=50
    )
    return render(
        request,
        "accounts/audit_log.html",
        {"listing": listing, "action": action, "actions": AuditLog.Action.choices},
    )
