"""The field app's pages: the worker's sync status, their devices, and the supervisor's list of
sync conflicts. The phone itself talks to the API (field/api.py)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.permissions import has_perm
from shegong.field import selectors, services


@scoped("field.sync")
def status(request):
    """What my phones sent: stored, duplicates, conflicts and failures, newest first."""
    return render(
        request,
        "field/status.html",
        {
            "submissions": list(selectors.submissions_of(fetched_by=request.user)[:100]),
            "conflicts": list(selectors.conflicts_of(fetched_by=request.user)[:50]),
            "devices": list(selectors.devices_of(fetched_by=request.user)),
            "supervises": has_perm(request.user, "field.supervise"),
        },
    )


@scoped("field.sync")
def devices(request):
    return render(
        request,
        "field/devices.html",
        {
            "devices": list(selectors.devices_of(fetched_by=request.user)),
            "supervised": list(selectors.devices_supervised(fetched_by=request.user)[:200]),
        },
    )


@require_POST
@scoped("field.sync")
def device_revoke(request, pk):
    device = selectors.get_device_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.device_revoke(device=device, acting_user=request.user, request=request),
        success=_("已停用设备「%(n)s」，该设备不能再同步。") % {"n": device.name},
    )
    return redirect("field:devices")


@scoped("field.supervise")
def conflicts(request):
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "field/conflicts.html",
        {
            "conflicts": list(
                selectors.conflicts_supervised(fetched_by=request.user, open_only=not show_all)[
                    :200
                ]
            ),
            "show_all": show_all,
        },
    )


@require_POST
@scoped("field.supervise")
def conflict_resolve(request, pk: int):
    conflict = selectors.get_conflict_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.conflict_resolve(
            conflict=conflict,
            acting_user=request.user,
            note=request.POST.get("note", ""),
            request=request,
        ),
        success=_("已确认处理该冲突。"),
    )
    return redirect("field:conflicts")


def attempts_panel(request, resident) -> dict | None:
    """The not-reached visits (探访未遇) section of a resident's page (core.registry
    person_panels): shown to those who see the resident's visits, when there are any."""
    if not has_perm(request.user, "people.view"):
        return None
    attempts = list(selectors.attempts_of_resident(fetched_by=request.user, resident=resident)[:20])
    if not attempts:
        return None
    return {
        "title": _("探访未遇"),
        "template": "field/partials/resident_attempts.html",
        "attempts": attempts,
    }
