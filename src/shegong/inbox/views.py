from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import login_only, public, scoped
from shegong.core.actions import attempt
from shegong.core.listing import paginate
from shegong.inbox import selectors, services
from shegong.inbox.forms import ChannelPreferenceForm
from shegong.inbox.models import Channel, Delivery
from shegong.inbox.outbound import channels as outbound_channels
from shegong.inbox.outbound import selectors as outbound_selectors
from shegong.inbox.outbound import services as outbound_services

SORTS = {"-created": ("-created_at", "-id")}


@login_only
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(fetched_by=request.user, unread=unread_only)
    listing = paginate(request, notifications, sorts=SORTS, default="-created")
    return render(
        request,
        "inbox/list.html",
        {
            "listing": listing,
            "unread_only": unread_only,
            "unread": selectors.unread_count(fetched_by=request.user),
        },
    )


@public
def badge(request):
    """The unread count beside 提醒 in the top bar (loaded by htmx after the page). Public, and
    empty for a visitor who is not signed in: a badge request still in flight when its page
    signs out must not be sent to the sign-in page, which would issue a new CSRF cookie and
    spoil a sign-in form open in the same browser."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    return render(
        request, "inbox/badge.html", {"unread": selectors.unread_count(fetched_by=request.user)}
    )


@login_only
def notification_open(request, pk: int):
    notification = services.notification_open(acting_user=request.user, pk=pk)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith(
        "/"
    ):
        target = "inbox:list"
    return redirect(target)


@login_only
@require_POST
def read_all(request):
    done = services.notifications_read_all(acting_user=request.user)
    messages.success(request, _("已将 %(n)d 条提醒标为已读。") % {"n": done})
    return redirect("inbox:list")


@login_only
def channel_preferences(request):
    """The user's choice of channels per kind of notification (账号设置 · 通知渠道)."""
    in_service = list(outbound_channels.configured())
    form = ChannelPreferenceForm(
        request.POST or None,
        acting_user=request.user,
        channels=in_service,
        initial_choices=outbound_selectors.preferences_of(fetched_by=request.user),
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: outbound_services.preferences_save(
                acting_user=request.user, chosen=form.chosen()
            ),
            form=form,
            success=_("通知渠道已保存。"),
        )
        if done:
            return redirect("inbox:channels")
    user = request.user
    return render(
        request,
        "inbox/channels.html",
        {
            "form": form,
            "has_mobile": outbound_channels.mobile_of(user) is not None,
            "has_email": bool((user.email or "").strip()),
            "sms_in_service": Channel.SMS in in_service,
            "email_in_service": Channel.EMAIL in in_service,
            "quiet_hours": outbound_services.quiet_hours(),
        },
    )


DELIVERY_SORTS = {"-created": ("-created_at", "-id")}


@login_only
def own_deliveries(request):
    listing = paginate(
        request,
        outbound_selectors.own_deliveries(fetched_by=request.user),
        sorts=DELIVERY_SORTS,
        default="-created",
    )
    return render(request, "inbox/deliveries.html", {"listing": listing, "log": False})


@scoped("inbox.view_deliveries")
def delivery_log(request):
    status, channel = request.GET.get("status", ""), request.GET.get("channel", "")
    listing = paginate(
        request,
        outbound_selectors.delivery_log(fetched_by=request.user, status=status, channel=channel),
        sorts=DELIVERY_SORTS,
        default="-created",
    )
    return render(
        request,
        "inbox/deliveries.html",
        {
            "listing": listing,
            "log": True,
            "status": status,
            "channel": channel,
            "statuses": Delivery.Status.choices,
            "channels": Channel.choices,
        },
    )
