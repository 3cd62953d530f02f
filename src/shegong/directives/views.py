"""Pages of directives (督查督办) and inspections (调研/督导检查). They parse input, call services
through `attempt`, and read through selectors."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.directives import forms, selectors, services
from shegong.directives.workflow import TARGET
from shegong.orgs.selectors import unit_of

BOXES = (("all", _("全部")), ("received", _("本单位收到")), ("issued", _("本单位下发")))


@scoped("directives.view")
def directive_list(request):
    box = request.GET.get("box", "all")
    if box not in dict(BOXES):
        box = "all"
    directives = selectors.directive_list(fetched_by=request.user, box=box)
    listing = paginate(
        request, directives, sorts={"-issued": ("-issued_on", "-id")}, default="-issued"
    )
    return render(
        request,
        "directives/directive_list.html",
        {
            "listing": listing,
            "box": box,
            "boxes": [(k, str(v)) for k, v in BOXES],
            "can_issue": has_perm(request.user, "directives.issue"),
        },
    )


@scoped("directives.view")
def task_list(request):
    tasks = selectors.task_list(fetched_by=request.user)
    listing = paginate(request, tasks, sorts={"due": ("due_date", "id")}, default="due")
    return render(
        request,
        "directives/task_list.html",
        {
            "listing": listing,
            "unit": unit_of(fetched_by=request.user),
            "today": timezone.localdate(),
        },
    )


@scoped("directives.issue")
def directive_issue(request):
    form = forms.IssueForm(request.POST or None, request.FILES or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.directive_issue(acting_user=request.user, **form.service_inputs()),
            form=form,
            fields={"regions": "region"},
            success=_("已下发。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "directives/directive_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _rollup_context(request, directive):
    prefix = request.GET.get("region")
    return selectors.rollup(fetched_by=request.user, directive=directive, prefix=prefix)


@scoped("directives.view")
def directive_detail(request, pk: int):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=pk)
    own = selectors.own_copy(fetched_by=request.user, directive=directive)
    unit = unit_of(fetched_by=request.user)
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "own": own,
            "own_actions": TARGET.available(own, request.user) if own is not None else [],
            "rollup": _rollup_context(request, directive),
            "sent": selectors.copies_sent(fetched_by=request.user, directive=directive)[:200],
            "laggards": selectors.laggards(fetched_by=request.user, directive=directive),
            "attachments": selectors.directive_attachments(
                fetched_by=request.user, directive=directive
            ),
            "timeline": selectors.timeline(fetched_by=request.user, directive=directive),
            "is_issuer": unit is not None and unit.pk == directive.issuer_id,
            "can_remind": has_perm(request.user, "directives.review")
            and directive.status == "open",
            "today": timezone.localdate(),
        },
    )


@scoped("directives.view")
def directive_rollup(request, pk: int):
    """The roll-up table alone (htmx drill-down)."""
    directive = selectors.get_directive_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "directives/partials/rollup.html",
        {
            "directive": directive,
            "rollup": _rollup_context(request, directive),
            "can_remind": has_perm(request.user, "directives.review")
            and directive.status == "open",
        },
    )


@require_POST
@scoped("directives.review")
def directive_remind(request, pk: int):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=pk)
    prefix = request.POST.get("region") or None
    attempt(
        request,
        lambda: services.remind_laggards(
            directive=directive, acting_user=request.user, prefix=prefix
        ),
        success=lambda n: _("已向 %(n)s 个单位发出催办。") % {"n": n},
    )
    url = directive.get_absolute_url()
    if prefix:
        url += f"?region={prefix}"
    return redirect(url)


@require_POST
@scoped("directives.issue")
def directive_close(request, pk: int):
    directive = selectors.get_directive_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.directive_close(directive=directive, acting_user=request.user),
        success=_("已归档，汇总数据已固定。"),
    )
    return redirect(directive.get_absolute_url())


@scoped("directives.view")
def attachment_download(request, pk: int):
    attachment = selectors.get_attachment_for(fetched_by=request.user, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@scoped("directives.view")
def target_detail(request, pk: int):
    target = selectors.get_target_for(fetched_by=request.user, pk=pk)
    actions = TARGET.available(target, request.user)
    return render(
        request,
        "directives/target_detail.html",
        {
            "target": target,
            "directive": target.directive,
            "actions": actions,
            "reports": selectors.target_reports(fetched_by=request.user, target=target),
            "children": selectors.copies_sent(
                fetched_by=request.user, directive=target.directive
            ).filter(parent=target)[:200]
            if unit_of(fetched_by=request.user)
            and unit_of(fetched_by=request.user).pk == target.unit_id
            else [],
        },
    )


# ---- inspections ---------------------------------------------------------------------------


@scoped("directives.view")
def inspection_list(request):
    listing = paginate(
        request,
        selectors.inspection_list(fetched_by=request.user),
        sorts={"-visited": ("-visited_on", "-id")},
        default="-visited",
    )
    return render(
        request,
        "directives/inspection_list.html",
        {"listing": listing, "can_inspect": has_perm(request.user, "directives.inspect")},
    )


@scoped("directives.inspect")
def inspection_create(request):
    form = forms.InspectionForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            request,
            lambda: services.inspection_record(
                acting_user=request.user,
                kind=data["kind"],
                region_code=data["region"].code,
                organisation=data.get("organisation"),
                inspectors=data["inspectors"],
                visited_on=data["visited_on"],
                findings=data["findings"],
            ),
            form=form,
            fields={"region_code": "region"},
            success=_("已登记。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "directives/inspection_form.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


@scoped("directives.view")
def inspection_detail(request, pk: int):
    inspection = selectors.get_inspection_for(fetched_by=request.user, pk=pk)
    unit = unit_of(fetched_by=request.user)
    can_assign = (
        has_perm(request.user, "directives.inspect")
        and unit is not None
        and unit.pk == inspection.department_id
    )
    return render(
        request,
        "directives/inspection_detail.html",
        {
            "inspection": inspection,
            "items": selectors.rectification_items(fetched_by=request.user, inspection=inspection),
            "form": forms.RectificationForm(acting_user=request.user) if can_assign else None,
        },
    )


@require_POST
@scoped("directives.inspect")
def rectification_add(request, pk: int):
    inspection = selectors.get_inspection_for(fetched_by=request.user, pk=pk)
    form = forms.RectificationForm(request.POST, acting_user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.rectification_assign(
                inspection=inspection,
                acting_user=request.user,
                items=[
                    services.Item(text=data["text"], unit=data["unit"], due_date=data["due_date"])
                ],
            ),
            success=_("已交办整改事项。"),
        )
        return redirect(inspection.get_absolute_url())
    return render(
        request,
        "directives/inspection_detail.html",
        {
            "inspection": inspection,
            "items": selectors.rectification_items(fetched_by=request.user, inspection=inspection),
            "form": form,
        },
        status=422,
    )


__all__ = ["HttpResponse"]
