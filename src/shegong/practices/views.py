"""Pages of model practices: the jurisdiction's practices and the review queue, the library,
a practice's page (what each reader may see of it), writing, documents and adoptions."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.portal.selectors import clean_prefix
from shegong.practices import forms, selectors, services
from shegong.practices.models import Practice, Topic
from shegong.practices.workflow import PRACTICE


def _filters(request) -> dict:
    return {
        "status": request.GET.get("status", ""),
        "topic": request.GET.get("topic", ""),
        "q": request.GET.get("q", "").strip()[:100],
    }


@scoped("practices.view")
def practice_list(request):
    filters = _filters(request)
    queue = request.GET.get("queue") == "1"
    practices = selectors.practice_list(fetched_by=request.user, queue=queue, **filters)
    listing = paginate(
        request, practices, sorts={"-created": ("-created_at", "-id")}, default="-created"
    )
    return render(
        request,
        "practices/practice_list.html",
        {
            "listing": listing,
            **filters,
            "queue": queue,
            "statuses": Practice.Status.choices,
            "topics": Topic.choices,
            "can_submit": has_perm(request.user, "practices.submit"),
        },
    )


@scoped("practices.view")
def practice_export(request):
    headers = [
        _("做法名称"), _("主题"), _("报送单位"), _("区划代码"), _("状态"), _("入库日期"),
        _("应用单位数"), _("取得成效"),
    ]  # fmt: skip
    return excel_response(
        request,
        filename="practices.xlsx",
        title=_("经验做法"),
        headers=headers,
        rows=selectors.export_rows(fetched_by=request.user, **_filters(request)),
        audit_detail={"export": "practices"},
    )


@scoped("practices.view")
def library(request):
    topic = request.GET.get("topic", "")
    q = request.GET.get("q", "").strip()[:100]
    region = clean_prefix(request.GET.get("region", ""))
    listing = paginate(
        request,
        selectors.library(topic=topic, region=region, q=q),
        sorts={"-published": ("-published_on", "-id")},
        default="-published",
    )
    return render(
        request,
        "practices/library.html",
        {
            "listing": listing,
            "topic": topic,
            "q": q,
            "region": request.GET.get("region", "")[:100],
            "topics": Topic.choices,
        },
    )


@scoped("practices.submit")
def practice_create(request):
    form = forms.PracticeForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.practice_create(acting_user=request.user, **form.service_inputs()),
            form=form,
            success=_("已保存草稿，可上传材料后报送上级。"),
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "practices/form.html",
        {"form": form, "heading": _("撰写经验做法")},
        status=422 if request.method == "POST" else 200,
    )


@scoped("practices.submit")
def practice_edit(request, pk: int):
    practice = selectors.get_own_practice_for(fetched_by=request.user, pk=pk)
    initial = {
        "title": practice.title,
        "topic": practice.topic,
        "problem": practice.problem,
        "actions": practice.actions,
        "results": practice.results,
    }
    for n, figure in enumerate(selectors.figures_of(practice)[: forms.FIGURE_ROWS], start=1):
        initial.update(
            {
                f"figure{n}_label": figure.label,
                f"figure{n}_value": figure.value,
                f"figure{n}_unit": figure.unit,
            }
        )
    form = forms.PracticeForm(request.POST or None, initial=initial, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.practice_update(
                acting_user=request.user, practice=practice, **form.service_inputs()
            ),
            form=form,
            success=_("已保存。"),
        )
        if outcome:
            return redirect(practice.get_absolute_url())
    return render(
        request,
        "practices/form.html",
        {"form": form, "heading": _("修改经验做法：%s") % practice.title},
        status=422 if request.method == "POST" else 200,
    )


def _detail_context(request, practice: Practice) -> dict:
    user = request.user
    own = selectors.is_own(fetched_by=user, practice=practice)
    mine = selectors.own_adoption(fetched_by=user, practice=practice)
    return {
        "practice": practice,
        "own": own,
        "figures": selectors.figures_of(practice),
        "documents": selectors.documents_of(practice),
        "reviews": selectors.reviews_of(fetched_by=user, practice=practice) if own else [],
        "adoptions": selectors.adoptions_of(fetched_by=user, practice=practice),
        "review_unit": selectors.level_name(practice.review_code),
        "recommended_by": selectors.level_name(practice.recommended_code),
        "can_document": has_perm(user, "practices.submit")
        and "author" in PRACTICE.actors_of(practice, user),
        "can_adopt": has_perm(user, "practices.adopt")
        and practice.is_published
        and mine is None
        and "author" not in PRACTICE.actors_of(practice, user),
        "document_form": forms.DocumentForm(acting_user=user, auto_id="document-%s"),
        "adoption_form": forms.AdoptionForm(acting_user=user, auto_id="adoption-%s"),
    }


@scoped("practices.view")
def practice_detail(request, pk: int):
    practice = selectors.get_practice_for(fetched_by=request.user, pk=pk)
    return render(request, "practices/practice_detail.html", _detail_context(request, practice))


@require_POST
@scoped("practices.submit")
def document_add(request, pk: int):
    practice = selectors.get_practice_for(fetched_by=request.user, pk=pk)
    form = forms.DocumentForm(
        request.POST, request.FILES, acting_user=request.user, auto_id="document-%s"
    )
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.document_add(
                acting_user=request.user, practice=practice, upload=form.cleaned_data["upload"]
            ),
            form=form,
            success=_("已上传材料。"),
        )
        if outcome:
            return redirect(practice.get_absolute_url())
    context = _detail_context(request, practice)
    context["document_form"] = form
    return render(request, "practices/practice_detail.html", context, status=422)


@scoped("practices.view")
def document_download(request, pk: int):
    document = selectors.get_document_for(fetched_by=request.user, pk=pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


@require_POST
@scoped("practices.adopt")
def adoption_add(request, pk: int):
    practice = selectors.get_practice_for(fetched_by=request.user, pk=pk)
    form = forms.AdoptionForm(request.POST, acting_user=request.user, auto_id="adoption-%s")
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.adoption_record(
                acting_user=request.user, practice=practice, **form.cleaned_data
            ),
            form=form,
            success=_("已登记应用。"),
        )
        if outcome:
            return redirect(practice.get_absolute_url())
    context = _detail_context(request, practice)
    context["adoption_form"] = form
    return render(request, "practices/practice_detail.html", context, status=422)
