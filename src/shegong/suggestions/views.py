"""Pages of the suggestions box: the portal's form and published answers (public), and the
staff's grouped list, figures, detail and export (scoped). They parse input, call services
through `attempt`, and read through selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from shegong.core import challenge, ratelimit
from shegong.core.access import public, scoped
from shegong.core.actions import attempt
from shegong.core.exports import excel_response
from shegong.core.listing import paginate
from shegong.core.permissions import has_perm
from shegong.suggestions import selectors, services
from shegong.suggestions.forms import PublicForm
from shegong.suggestions.models import Suggestion
from shegong.suggestions.topics import CHOICES
from shegong.suggestions.workflow import SUGGESTION

TOKEN_SALT = "suggestions.public-form"
SUBMIT_PER_ADDRESS = "suggestions.submit.ip"
SUBMIT_PER_CONTACT = "suggestions.submit.contact"
PUBLIC_PAGE = 20


def _public_page(request, template, context, status=200):
    context.setdefault("fresh_token", challenge.form_token(salt=TOKEN_SALT))
    return render(request, template, context, status=status)


def _refused(request, form, message, status):
    return _public_page(
        request, "suggestions/public/submit.html", {"form": form, "refused": message}, status
    )


@public
def public_submit(request):
    """The suggestion form; spam and abuse are refused as on the public petition form: a rate
    limit per address and per contact given (core.ratelimit), a signed token and a honeypot
    (core.challenge)."""
    if request.method != "POST":
        return _public_page(request, "suggestions/public/submit.html", {"form": PublicForm()})
    form = PublicForm(request.POST)
    if not ratelimit.hit(request, SUBMIT_PER_ADDRESS):
        return _refused(request, form, _("提交过于频繁，请稍后再试。"), 429)
    if not challenge.passed(request.POST, salt=TOKEN_SALT):
        return _refused(request, PublicForm(), _("表单已过期或无效，请重新填写。"), 400)
    if form.is_valid():
        data = form.cleaned_data
        contact = "".join(data["contact"].split())
        if contact and not ratelimit.hit(request, SUBMIT_PER_CONTACT, key=contact):
            return _refused(request, form, _("提交过于频繁，请稍后再试。"), 429)
        outcome = attempt(
            request,
            lambda: services.suggestion_submit(
                region_code=data["region"].code,
                text=data["text"],
                topic=data["topic"],
                name=data["name"],
                contact=data["contact"],
                contact_consent=data["contact_consent"],
            ),
            form=form,
        )
        if outcome:
            return _public_page(request, "suggestions/public/submitted.html", {})
    return _public_page(request, "suggestions/public/submit.html", {"form": form}, status=200)


@public
def public_answers(request):
    prefix = request.GET.get("region", "")
    prefix = prefix if prefix.isdigit() and len(prefix) in (2, 4, 6, 9, 12) else ""
    topic = request.GET.get("topic", "")
    topic = topic if topic in dict(CHOICES) else ""
    page = Paginator(selectors.published(prefix=prefix, topic=topic), PUBLIC_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "suggestions/public/answers.html",
        {"page": page, "topics": CHOICES, "topic": topic, "prefix": prefix},
    )


def _filters(request) -> dict[str, str]:
    return {
        "status": request.GET.get("status", ""),
        "topic": request.GET.get("topic", ""),
        "month": request.GET.get("month", ""),
        "region": request.GET.get("region", ""),
    }


@scoped("suggestions.view")
def group_list(request):
    filters = _filters(request)
    rows = selectors.group_rows(fetched_by=request.user, **filters)
    listing = paginate(
        request,
        rows,
        sorts={"-count": ("-count", "-latest", "cluster_id"), "-latest": ("-latest", "cluster_id")},
        default="-count",
    )
    groups = selectors.groups_with_heads(fetched_by=request.user, rows=listing.object_list)
    return render(
        request,
        "suggestions/group_list.html",
        {
            "listing": listing,
            "groups": groups,
            "filters": filters,
            "topics": CHOICES,
            "statuses": Suggestion.Status.choices,
            "rising": selectors.rising_topics(fetched_by=request.user)[:5],
        },
    )


@scoped("suggestions.view")
def analysis(request):
    month = request.GET.get("month", "")
    return render(
        request,
        "suggestions/analysis.html",
        {
            "by_topic": selectors.topic_counts(fetched_by=request.user),
            "by_region": selectors.region_counts(fetched_by=request.user, month=month),
            "rising": selectors.rising_topics(fetched_by=request.user),
            "month": month,
        },
    )


@scoped("suggestions.view")
def detail(request, pk: int):
    suggestion = selectors.get_suggestion_for(fetched_by=request.user, pk=pk)
    members = selectors.cluster_members(fetched_by=request.user, suggestion=suggestion)
    return render(
        request,
        "suggestions/detail.html",
        {
            "s": suggestion,
            "members": members[:200],
            "member_count": members.count(),
            "actions": SUGGESTION.available(suggestion, request.user),
            "can_answer": has_perm(request.user, "suggestions.answer"),
        },
    )


@scoped("suggestions.view")
def export(request):
    filters = _filters(request)
    return excel_response(
        request,
        filename="群众意见建议.xlsx",
        title=_("群众意见建议"),
        headers=[
            _("编号"),
            _("提交日期"),
            _("区划代码"),
            _("话题"),
            _("关键词建议话题"),
            _("相似意见组"),
            _("意见建议"),
            _("状态"),
            _("答复内容"),
            _("答复日期"),
            _("信访事项编号"),
        ],
        rows=selectors.export_rows(fetched_by=request.user, **filters),
        audit_detail={"export": "suggestions", **filters},
    )
