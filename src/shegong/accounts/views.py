import json
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from shegong.accounts import selectors, services
from shegong.accounts.forms import (
    AuditSearchForm,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
    SecondFactorRuleForm,
    TokenForm,
)
from shegong.accounts.signin import lockout, passwords, second_factor, sessions
from shegong.core.access import login_only, public, scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.models import AuditLog
from shegong.core.permissions import has_perm
from shegong.regions.selectors import region_names


class LoginView(auth_views.LoginView):
    """The password step. An account with an authenticator goes on to the code step
    (`login_verify`) and is signed in only after it."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.has_second_factor(user):
            sessions.pending_start(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:login_verify")
        sessions.signin_complete(self.request, user, backend=user.backend)
        return HttpResponseRedirect(self.get_success_url())


login = public(LoginView.as_view())


class LogoutView(auth_views.LogoutView):
    """Signing out also empties what this site keeps in the browser (IndexedDB, the Cache API,
    service workers, local storage): the field app's encrypted store and its key go with it
    (docs/decisions/field-0002-phone-storage.md). Browsers without Clear-Site-Data ignore it; the
    field app also deletes its store itself when signed out from its own button."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


logout = public(LogoutView.as_view())


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_only
@require_POST
def switch_membership(request):
    chosen = request.POST.get("membership", "")
    attempt(
        request,
        lambda: services.membership_switch(
            request=request, membership_id=int(chosen) if chosen.isdigit() else 0
        ),
        success=lambda membership: _("已切换到：%(m)s") % {"m": membership},
    )
    return redirect(_safe_next(request))


@login_only
def tokens(request):
    memberships = getattr(request.user, "memberships_cached", [])
    max_days = services.token_max_days()
    form = TokenForm(request.POST or None, memberships=memberships, max_days=max_days)
    new_token = None
    verified = second_factor.is_verified(request.user)
    if request.method == "POST" and not verified:
        # Tokens are made by a session signed in with a second factor; they ask for no code.
        form.is_valid()
        form.add_error(None, _("请先启用双因素认证并用它登录，再创建访问令牌。"))
    elif request.method == "POST" and form.is_valid():
        membership = next((m for m in memberships if m.pk == form.cleaned_data["membership"]), None)
        if membership is None:
            form.add_error("membership", _("只能为自己的有效任职创建令牌。"))
        else:
            created = attempt(
                request,
                lambda: services.token_create(
                    acting_user=request.user,
                    membership=membership,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                    request=request,
                ),
                form=form,
                fields={"expires_at": "days"},
            )
            if created:
                _token, new_token = created.value
                form = TokenForm(memberships=memberships, max_days=max_days)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": selectors.token_list(fetched_by=request.user),
            "new_token": new_token,
            "verified": verified,
            "now": timezone.now(),
        },
    )


@login_only
@require_POST
def token_revoke(request, pk: int):
    attempt(
        request,
        lambda: services.token_revoke(acting_user=request.user, token_id=pk, request=request),
        success=_("令牌已吊销。"),
    )
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
    person = selectors.get_user_for(fetched_by=request.user, pk=pk)
    from shegong.core.history import history_of
    from shegong.core.permissions import has_perm

    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "history": history_of(person),
            "has_authenticator": second_factor.authenticator_of(person) is not None,
            "can_reset_otp": has_perm(request.user, "accounts.reset_otp"),
        },
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


# ---- sign-in and sessions ----------------------------------------------------------------------


def _verifying(request):
    """Whose second factor this page asks for: the pending sign-in's user, or a signed-in user
    with an authenticator whose session has not used it (e.g. signed in through the admin)."""
    user = request.user
    if user.is_authenticated:
        if not second_factor.is_verified(user) and second_factor.has_second_factor(user):
            return user, None
        return None, None
    return sessions.pending_user(request)


@public
def login_verify(request):
    user, pending = _verifying(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect(_safe_next(request))
        messages.info(request, _("请重新输入账号和密码。"))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locks = lockout.active_locks(username=user.get_username(), request=request)
        device = None
        if not locks:
            device = second_factor.otp_verify(
                user=user, code=form.cleaned_data["code"], request=request
            )
            if device is None:
                locks = lockout.active_locks(username=user.get_username(), request=request)
        if device is None:
            if locks:
                sessions.pending_clear(request)
            form.add_error(
                "code",
                locks[0].message
                if locks
                else _("验证码不正确：请输入验证器上当前显示的 6 位数字，或一个未用过的恢复码。"),
            )
        else:
            target = (pending or {}).get("next") or _safe_next(request)
            if pending is not None:
                sessions.pending_clear(request)
                sessions.signin_complete(
                    request, user, device=device, backend=pending.get("backend")
                )
            else:
                from django_otp import login as otp_login

                otp_login(request, device)
            if device.name == second_factor.RECOVERY:
                messages.warning(
                    request,
                    _("您用了一个恢复码登录，还剩 %(n)d 个。手机丢失请联系管理员重置双因素认证。")
                    % {"n": second_factor.recovery_codes_left(user)},
                )
            return redirect(target)
    return render(request, "accounts/login_verify.html", {"form": form, "person": user})


def _enrol_next(request) -> str:
    return _safe_next(request, default="/")


@login_only
def otp_enrol(request):
    """Set up an authenticator: a QR code (and the secret as text), then its first code."""
    user = request.user
    replacing = request.GET.get("replace") == "1" or request.POST.get("replace") == "1"
    if second_factor.authenticator_of(user) is not None:
        if not second_factor.is_verified(user):
            return redirect("accounts:login_verify")
        if not replacing:
            return redirect("accounts:two_factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device_id = request.POST.get("device", "")
        confirmed = attempt(
            request,
            lambda: second_factor.otp_enrolment_confirm(
                acting_user=user,
                device_id=int(device_id) if device_id.isdigit() else 0,
                code=form.cleaned_data["code"],
                request=request,
            ),
            form=form,
        )
        if confirmed:
            device, codes = confirmed.value
            from django_otp import login as otp_login

            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _enrol_next(request), "enrolled": True},
            )
    device = second_factor.otp_enrolment_start(acting_user=user)
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "device": device,
            "qr_svg": second_factor.qr_svg(device),
            "secret": second_factor.secret_text(device),
            "required": second_factor.requires_second_factor(user),
            "replacing": replacing,
            "next": _enrol_next(request),
        },
    )


@login_only
def two_factor(request):
    user = request.user
    verified = second_factor.is_verified(user)
    if request.method == "POST":
        if not verified:
            messages.error(request, _("请先用验证器登录，再生成新的恢复码。"))
            return redirect("accounts:two_factor")
        renewed = attempt(
            request, lambda: second_factor.recovery_codes_renew(acting_user=user, request=request)
        )
        if not renewed:
            return redirect("accounts:two_factor")
        return render(
            request,
            "accounts/recovery_codes.html",
            {"codes": renewed.value, "next": reverse("accounts:two_factor"), "enrolled": False},
        )
    device = second_factor.authenticator_of(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "verified": verified,
            "required": second_factor.requires_second_factor(user),
            "codes_left": second_factor.recovery_codes_left(user) if device else 0,
        },
    )


@login_only
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            request,
            lambda: passwords.password_change(
                acting_user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            ),
            form=form,
        )
        if changed:
            update_session_auth_hash(request, request.user)
            request.session.pop(sessions.PASSWORD_EXPIRED, None)
            messages.success(request, _("密码已修改。"))
            return redirect(_safe_next(request, "accounts:profile"))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": bool(request.session.get(sessions.PASSWORD_EXPIRED))},
    )


@login_only
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "memberships": getattr(user, "memberships_cached", []),
            "has_authenticator": second_factor.authenticator_of(user) is not None,
            "required": second_factor.requires_second_factor(user),
            "password_changed_at": passwords.password_changed_at(user),
        },
    )


@scoped("accounts.unlock")
def locks(request):
    return render(
        request,
        "accounts/locks.html",
        {"locks": lockout.lockout_list(fetched_by=request.user)},
    )


@scoped("accounts.unlock")
@require_POST
def lock_unlock(request, pk: int):
    attempt(
        request,
        lambda: lockout.lockout_unlock(acting_user=request.user, counter_id=pk, request=request),
        success=lambda counter: _("已解除锁定：%(key)s") % {"key": counter.key},
    )
    return redirect("accounts:locks")


@scoped("accounts.reset_otp")
@require_POST
def user_reset_otp(request, pk: int):
    person = selectors.get_user_for(fetched_by=request.user, pk=pk)
    second_factor.otp_reset(acting_user=request.user, user=person, request=request)
    messages.success(
        request,
        _("已重置 %(name)s 的双因素认证，其下次登录时需重新设置验证器。") % {"name": person},
    )
    return redirect("accounts:user_detail", pk=pk)


@scoped("accounts.configure_otp")
def otp_policy(request):
    user = request.user
    provinces = [p for p in second_factor.provinces() if second_factor.may_configure(user, p[0])]
    form = SecondFactorRuleForm(
        request.POST or None,
        provinces=provinces,
        national=second_factor.may_configure(user, ""),
    )
    if request.method == "POST" and request.POST.get("delete"):
        rule_id = request.POST["delete"]
        deleted = attempt(
            request,
            lambda: second_factor.second_factor_rule_delete(
                acting_user=request.user,
                rule_id=int(rule_id) if rule_id.isdigit() else 0,
                request=request,
            ),
            form=form,
            success=_("规则已删除。"),
        )
        if deleted:
            return redirect("accounts:otp_policy")
    elif request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: second_factor.second_factor_rule_save(
                acting_user=request.user,
                province_code=form.cleaned_data["province_code"],
                role=form.cleaned_data["role"],
                required=form.cleaned_data["required"],
                request=request,
            ),
            form=form,
            success=_("规则已保存。"),
        )
        if saved:
            return redirect("accounts:otp_policy")
    return render(
        request,
        "accounts/otp_policy.html",
        {"form": form, "rows": second_factor.policy_rows(fetched_by=user)},
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
