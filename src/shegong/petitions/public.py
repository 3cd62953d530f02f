"""Public pages (no login): the online form and the tracking page.

Nothing private is shown: the tracking page needs the number AND the last four digits of the
phone, answers "not found" identically for a wrong number and a wrong suffix, and shows only the
status, the responsible unit, the reply and the public steps (no staff names, no internal notes,
no other petitioners). Four digits are guessable, so look-ups are limited per client address and
wrong guesses per number: after five in an hour the number's public tracking is locked, from
every address, for the rest of that hour (core.ratelimit).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core import challenge, ratelimit
from shegong.core.access import public
from shegong.core.actions import attempt
from shegong.core.errors import ApplicationError
from shegong.core.regioncode import RegionCode
from shegong.petitions import selectors, services
from shegong.petitions.forms import PublicForm, PublicRateForm, TrackForm
from shegong.petitions.models import Channel, Kind

TOKEN_SALT = "petitions.public-form"
# Rules of core.ratelimit (limits and windows are set there).
SUBMIT_PER_ADDRESS = "petitions.submit.ip"
SUBMIT_PER_PHONE = "petitions.submit.phone"
TRACK_PER_ADDRESS = "petitions.track.ip"
TRACK_GUESSES_PER_NUMBER = "petitions.track.number"


def form_token(issued_at: float | None = None) -> str:
    return challenge.form_token(salt=TOKEN_SALT, issued_at=issued_at)


def token_ok(token: str) -> bool:
    return challenge.token_ok(token, salt=TOKEN_SALT)


def _public_page(request, template, context, status=200):
    context.setdefault("fresh_token", form_token())
    return render(request, template, context, status=status)


@public
def submit(request):
    if request.method != "POST":
        form = PublicForm(initial={"kind": Kind.COMPLAINT})
        return _public_page(request, "petitions/public/submit.html", {"form": form})
    form = PublicForm(request.POST)
    if not ratelimit.hit(request, SUBMIT_PER_ADDRESS):
        return _submit_refused(request, form)
    if not challenge.passed(request.POST, salt=TOKEN_SALT):
        return _public_page(
            request,
            "petitions/public/submit.html",
            {"form": PublicForm(), "refused": _("表单已过期或无效，请重新填写。")},
            status=400,
        )
    if form.is_valid():
        data = form.cleaned_data
        phone = phone_key(data["phone"])
        if phone and not ratelimit.hit(request, SUBMIT_PER_PHONE, key=phone):
            return _submit_refused(request, form)
        outcome = attempt(
            request,
            lambda: services.matter_register(
                acting_user=None,
                kind=data["kind"],
                channel=Channel.ONLINE,
                region_code=data["region"].code,
                category=data["category"],
                title=data["title"],
                request=data["request"],
                facts=data["facts"],
                address=data["address"],
                anonymous=data["anonymous"],
                petitioners=[{"name": data["name"], "phone": data["phone"]}],
                review_choice=data.get("review_choice") or "",
            ),
            form=form,
        )
        if not outcome and any(e["field"] == "review_choice" for e in outcome.errors):
            form.offer_review()
        if outcome and getattr(outcome.value, "recorded_as", "") == "review":
            return _public_page(
                request,
                "petitions/public/submitted.html",
                {"number": outcome.value.number, "review": True},
            )
        if outcome:
            matter = outcome.value
            shown = matter.repeat_of if matter.is_repeat else matter
            return _public_page(
                request,
                "petitions/public/submitted.html",
                {"number": shown.number, "repeat": matter.is_repeat},
            )
    return _public_page(request, "petitions/public/submit.html", {"form": form})


def phone_key(phone: str) -> str:
    """A phone number as counted by the per-phone limit (digits only)."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


def _submit_refused(request, form):
    return _public_page(
        request,
        "petitions/public/submit.html",
        {"form": form, "refused": _("提交过于频繁，请稍后再试。")},
        status=429,
    )


@public
def region_options(request):
    q = (request.GET.get("region") or request.GET.get("q") or "").strip()
    regions = selectors.public_region_options(q)
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


def _track_refused(request, form):
    return _public_page(
        request,
        "petitions/public/track.html",
        {"form": form, "refused": _("查询过于频繁，请稍后再试。")},
        status=429,
    )


def _county_of(number: str) -> str:
    """The county a matter number was issued in (its first six digits), for the audit log."""
    return RegionCode.from_prefix(number[:6]) if number[:6].isdigit() else ""


def _tracked(request, data) -> tuple[object | None, bool]:
    """The matter a visitor may track with (number, suffix), and whether the number is locked.

    A locked number is refused whether it exists or not; a wrong guess counts against the number
    whether it exists or not, so neither answer tells a real number from an invented one."""
    number = data["number"].strip()
    if ratelimit.locked(TRACK_GUESSES_PER_NUMBER, key=number):
        return None, True
    matter = selectors.track(number, data["suffix"])
    if matter is None:
        ratelimit.fail(
            request,
            TRACK_GUESSES_PER_NUMBER,
            key=number,
            shown=number[:24],
            region_code=_county_of(number),
        )
    return matter, False


@public
def track(request):
    if request.method != "POST":
        return _public_page(request, "petitions/public/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not ratelimit.hit(request, TRACK_PER_ADDRESS):
        return _track_refused(request, form)
    matter = None
    if form.is_valid():
        matter, refused = _tracked(request, form.cleaned_data)
        if refused:
            return _track_refused(request, form)
    return _public_page(request, "petitions/public/track.html", _track_context(matter, form))


@public
@require_POST
def track_rate(request):
    form = PublicRateForm(request.POST)
    if not ratelimit.hit(request, TRACK_PER_ADDRESS):
        return _track_refused(request, form)
    valid = form.is_valid()
    matter = None
    message = ""
    only_rating_missing = form.has_error("rating") and not (
        form.has_error("number") or form.has_error("suffix")
    )
    if valid or only_rating_missing:
        matter, refused = _tracked(request, form.cleaned_data)
        if refused:
            return _track_refused(request, form)
    if matter is not None and valid:
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
    elif matter is not None and only_rating_missing:
        message = _("请选择评价。")
    context = _track_context(matter, form)
    context["message"] = message
    return _public_page(request, "petitions/public/track.html", context)
