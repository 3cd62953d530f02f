from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import login_only, public
from shegong.core.listing import paginate
from shegong.inbox import selectors, services

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
