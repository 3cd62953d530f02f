"""The one page route of every lifecycle: `…/<pk>/actions/<action>/`.

GET shows the transition's form on a page of its own (what a link or a keyboard user opens);
POST takes the transition through `Lifecycle.perform` and goes back to the object's page, or shows
the form again with each refusal next to its field. The buttons on the object's page come from
`{% workflow_actions %}` and post here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.workflow import Lifecycle


def transition_page(request, *, lifecycle: Lifecycle, pk: int, action: str):
    obj = lifecycle.fetch_for(request.user, pk)
    t = lifecycle.by_name.get(action)
    if t is None or not t.offered:
        raise Http404("no such action")
    refused = lifecycle.refusal(t, obj, request.user)
    if isinstance(refused, PermissionDenied):
        raise refused
    form = None
    status = 200
    if request.method == "POST":
        form = lifecycle.form_for(t, obj, request.user, request.POST, request.FILES)
        if form is None or form.is_valid():
            outcome = attempt(
                request,
                lambda: lifecycle.perform(action, obj=obj, acting_user=request.user, form=form),
                form=form,
                success=t.done or _("已完成：%(a)s") % {"a": t.label},
            )
            if outcome:
                url = t.next_url(outcome.value, obj) if t.next_url else obj.get_absolute_url()
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
            if form is None:
                return redirect(obj.get_absolute_url())
        status = 422
    elif refused is None:
        form = lifecycle.form_for(t, obj, request.user)
    return render(
        request,
        "core/workflow/transition.html",
        {
            "lifecycle": lifecycle,
            "transition": t,
            "subject": obj,
            "form": form,
            "refused": refused,
            "hint": lifecycle.hints_for(obj, request.user).get(t.name, ""),
        },
        status=status,
    )


def action_urls(
    lifecycle: Lifecycle, *, prefix: str = "", name: str = "action", segment: str = "actions"
) -> list[URLPattern]:
    """The page route of `lifecycle` for an app's urls.py (`path(prefix + "<pk>/actions/…")`).

    `segment`: the word before the action, for an app whose action pages were already at
    another path (petitions: `<pk>/do/<action>/`)."""

    def view(request, pk: int, action: str):
        return transition_page(request, lifecycle=lifecycle, pk=pk, action=action)

    view.__name__ = view.__qualname__ = f"{lifecycle.key.replace('.', '_')}_transition"
    view.__module__ = __name__
    view.lifecycle = lifecycle
    return [
        path(
            f"{prefix}<int:pk>/{segment}/<slug:action>/",
            scoped(lifecycle.view_perm)(view),
            name=name,
        )
    ]
