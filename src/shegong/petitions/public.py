"""Public pages (no login): the online form and the tracking page.

Nothing private is shown: the tracking page needs the number AND the last four digits of the
phone, answers "not found" identically for a wrong number and a wrong suffix, and shows only the
status, the responsible unit, the reply and the public steps (no staff names, no internal notes,
no other petitioners).
"""

from __future__ import annotations

import time

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import public
from shegong.core.errors import ApplicationError, apply_to_form
from shegong.petitions import ratelimit, selectors, services
from shegong.petitions.forms import PublicForm, PublicRateForm, TrackForm
from shegong.petitions.models import Channel, Kind
from shegong.regions.models import Region

TOKEN_SALT = "petitions.public-form"
TOKEN_MAX_AGE = 2 * 60 * 60
TOKEN_MIN_AGE = 2  # seconds: a form filled faster than this is a script (setting below)
SUBMIT_LIMIT = (5, 60 * 60)  # per IP: 5 submissions an hour
TRACK_LIMIT = (30, 10 * 60)  # per IP: 30 look-ups in 10 minutes (4 digits are guessable)


def form_token(issued_at: float | None = None) -> str:
    return signing.dumps(
        {"t": issued_at if issued_at is not None else time.time()}, salt=TOKEN_SALT
    )


def token_ok(token: str) -> bool:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    from django.conf import settings

    minimum = getattr(settings, "PETITIONS_FORM_MIN_SECONDS", TOKEN_MIN_AGE)
    return time.time() - float(data.get("t", 0)) >= minimum


def resolve_public_region(value: str) -> str:
    value = (value or "").strip()
    if value.isdigit() and len(value) == 12:
        return value
    matches = list(
        Region.objects.filter(name=value, level__gte=3).values_list("code", flat=True)[:2]
    )
    if len(matches) == 1:
        return matches[0]
    raise ValidationError({"region": _("请从下拉列表中选择事发地。")})


def _public_page(request, template, context, status=200):
    context.setdefault("fresh_token", form_token())
    return render(request, template, context, status=status)


@public
def submit(request):
    if request.method != "POST":
        form = PublicForm(initial={"kind": Kind.COMPLAINT})
        return _public_page(request, "petitions/public/submit.html", {"form": form})
    form = PublicForm(request.POST)
    if not ratelimit.hit(request, "submit", limit=SUBMIT_LIMIT[0], window=SUBMIT_LIMIT[1]):
        return _public_page(
            request,
            "petitions/public/submit.html",
            {"form": form, "refused": _("提交过于频繁，请稍后再试。")},
            status=429,
        )
    if request.POST.get("website") or not token_ok(request.POST.get("token", "")):
        return _public_page(
            request,
            "petitions/public/submit.html",
            {"form": PublicForm(), "refused": _("表单已过期或无效，请重新填写。")},
            status=400,
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            matter = services.matter_register(
                registered_by=None,
                kind=data["kind"],
                channel=Channel.ONLINE,
                region_code=resolve_public_region(data["region"]),
                category=data["category"],
                title=data["title"],
                request=data["request"],
                facts=data["facts"],
                address=data["address"],
                anonymous=data["anonymous"],
                petitioners=[{"name": data["name"], "phone": data["phone"]}],
            )
        except (ValidationError, ApplicationError) as exc:
            apply_to_form(form, exc)
        else:
            shown = matter.repeat_of if matter.is_repeat else matter
            return _public_page(
                request,
                "petitions/public/submitted.html",
                {"number": shown.number, "repeat": matter.is_repeat},
            )
    return _public_page(request, "petitions/public/submit.html", {"form": form})


@public
def region_options(request):
    q = (request.GET.get("region") or request.GET.get("q") or "").strip()
    regions = Region.objects.none()
    if len(q) >= 2:
        regions = (
            Region.objects.filter(level__gte=3)
            .filter(Q(name__startswith=q) | Q(name__contains=q))
            .order_by("level", "code")[:20]
        )
    return render(request, "regions/partials/options.html", {"regions": regions})


def _track_context(matter, form):
    if matter is None:
        return {"form": form, "not_found": True}
    events = selectors.timeline(matter, public=True)
    extension = getattr(matter, "extension", None)
    return {
        "form": form,
        "matter": matter,
        "events": events,
        "extension_reason": extension.reason if extension else "",
        "extension_days": extension.days if extension else 0,
        "can_rate": matter.status in ("replied", "closed") and matter.rating_via != "public",
        "rate_form": PublicRateForm(
            initial={"number": form.cleaned_data["number"], "suffix": form.cleaned_data["suffix"]}
        ),
    }


@public
def track(request):
    if request.method != "POST":
        return _public_page(request, "petitions/public/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not ratelimit.hit(request, "track", limit=TRACK_LIMIT[0], window=TRACK_LIMIT[1]):
        return _public_page(
            request,
            "petitions/public/track.html",
            {"form": form, "refused": _("查询过于频繁，请稍后再试。")},
            status=429,
        )
    matter = None
    if form.is_valid():
        matter = selectors.track(form.cleaned_data["number"], form.cleaned_data["suffix"])
    return _public_page(request, "petitions/public/track.html", _track_context(matter, form))


@public
@require_POST
def track_rate(request):
    form = PublicRateForm(request.POST)
    if not ratelimit.hit(request, "track", limit=TRACK_LIMIT[0], window=TRACK_LIMIT[1]):
        return _public_page(
            request,
            "petitions/public/track.html",
            {"form": form, "refused": _("查询过于频繁，请稍后再试。")},
            status=429,
        )
    matter = None
    message = ""
    if form.is_valid():
        matter = selectors.track(form.cleaned_data["number"], form.cleaned_data["suffix"])
        if matter is not None:
            try:
                services.matter_rate_public(
                    matter=matter,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
                message = _("感谢您的评价！")
            except (ValidationError, ApplicationError) as exc:
                from shegong.core.errors import error_items

                message = "；".join(i["reason"] for i in error_items(exc))
            matter.refresh_from_db()
    elif form.has_error("rating") and not (form.has_error("number") or form.has_error("suffix")):
        matter = selectors.track(form.cleaned_data["number"], form.cleaned_data["suffix"])
        message = _("请选择评价。")
    context = _track_context(matter, form)
    context["message"] = message
    return _public_page(request, "petitions/public/track.html", context)
