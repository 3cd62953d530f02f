"""The public portal (no login): service-site directory, upcoming activities with sign-up,
published statistics, certificate verification, volunteer self-registration, and HSDS 3.0."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from shegong.core import crypto, ratelimit
from shegong.core.access import public
from shegong.core.actions import attempt
from shegong.core.api_schema import MAX_PAGE
from shegong.core.regioncode import RegionCode
from shegong.core.validation import parse_moment
from shegong.funds import selectors as funds_selectors
from shegong.portal import hsds, selectors
from shegong.portal.forms import PublicSignUpForm, VerifyForm
from shegong.volunteers import applications
from shegong.volunteers import selectors as vol_selectors
from shegong.volunteers import services as vol_services
from shegong.volunteers.forms import PublicRegistrationForm
from shegong.volunteers.views import parse_month

PAGE = 20
DISCLOSURES_SHOWN = 12  # organisations whose charity disclosure the home page links


def _region_context(request) -> dict:
    prefix = selectors.clean_prefix(request.GET.get("region", ""))
    region = selectors.region_of_prefix(prefix)
    return {
        "prefix": prefix,
        "region": region,
        "crumbs": region.ancestors() if region is not None else [],
        "children": selectors.region_choices_below(region),
    }


def _month_figures(prefix: str, year: int, month: int):
    """The home page's headline figures, cached for five minutes (a national roll-up is not free;
    the statistics pages and JSON have their own cache, `selectors.published_statistics`)."""
    from django.core.cache import cache

    key = f"portal:figures:{prefix}:{year}-{month}"
    figures = cache.get(key)
    if figures is None:
        figures, _rows = vol_selectors.rollup(
            prefix=prefix, year=year, month=month, child_len=len(prefix) or 2
        )
        cache.set(key, figures, 300)
    return figures


@public
def home(request):
    ctx = _region_context(request)
    prefix = ctx["prefix"]
    today = timezone.localdate()
    sites = selectors.site_directory(region_prefix=prefix)[:6]
    activities = selectors.public_activities(region_prefix=prefix)[:6]
    total = _month_figures(prefix, today.year, today.month)
    disclosures = funds_selectors.public_disclosures(region_prefix=prefix)[:DISCLOSURES_SHOWN]
    return render(
        request,
        "portal/home.html",
        {
            **ctx,
            "sites": sites,
            "activities": activities,
            "figures": total,
            "month": today,
            "disclosures": disclosures,
        },
    )


@public
def site_list(request):
    ctx = _region_context(request)
    q = request.GET.get("q", "").strip()[:50]
    service = request.GET.get("service", "").strip()[:30]
    qs = selectors.site_directory(region_prefix=ctx["prefix"], q=q, service=service)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/site_list.html",
        {
            **ctx,
            "page": page,
            "q": q,
            "service": service,
            "services": [
                "政策咨询",
                "困难群众帮扶",
                "长者关爱探访",
                "儿童关爱服务",
                "矛盾纠纷调解",
                "志愿服务",
                "党员活动",
                "政务服务",
            ],
        },
    )


@public
def site_detail(request, pk: int):
    site = selectors.get_site(pk)
    if site is None:
        raise Http404
    activities = selectors.public_activities().filter(site=site)[:10]
    return render(request, "portal/site_detail.html", {"site": site, "activities": activities})


@public
def activity_list(request):
    ctx = _region_context(request)
    qs = selectors.public_activities(region_prefix=ctx["prefix"])
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/activity_list.html", {**ctx, "page": page})


@public
def activity_detail(request, pk: int):
    activity = selectors.get_public_activity(pk)
    if activity is None:
        raise Http404
    me = vol_selectors.volunteer_of(fetched_by=request.user)
    return render(
        request,
        "portal/activity_detail.html",
        {
            "activity": activity,
            "shifts": selectors.public_shifts(activity),
            "me": me,
            "form": PublicSignUpForm(),
            "now": timezone.now(),
        },
    )


@require_POST
@public
def shift_signup(request, pk: int):
    shift = selectors.get_public_shift(pk)
    if shift is None:
        raise Http404
    volunteer = vol_selectors.volunteer_of(fetched_by=request.user)
    if volunteer is None:
        form = PublicSignUpForm(request.POST)
        if form.is_valid():
            volunteer = selectors.volunteer_by_number_and_phone(
                number=form.cleaned_data["number"], phone=form.cleaned_data["phone"]
            )
        if volunteer is None:
            messages.error(request, _("志愿者编号与手机号不匹配。还没有注册？请先注册成为志愿者。"))
            return redirect("portal:activity", pk=shift.activity_id)
    outcome = attempt(
        request,
        lambda: vol_services.signup_create(
            shift=shift,
            volunteer=volunteer,
            acting_user=request.user if request.user.is_authenticated else None,
        ),
    )
    if outcome:
        _signup_message(request, outcome.value)
    return redirect("portal:activity", pk=shift.activity_id)


def _signup_message(request, signup) -> None:
    if signup.status == "accepted":
        messages.success(request, _("报名成功，您已被录用。活动前一天会提醒您。"))
    elif signup.status == "waitlisted":
        messages.warning(
            request,
            _("名额已满，您已进入候补名单第 %(n)d 位，有人退出时将自动递补。")
            % {"n": vol_selectors.waitlist_position(signup)},
        )
    else:
        messages.success(request, _("报名已提交，等待组织方审核。"))


@public
def stats(request):
    ctx = _region_context(request)
    year, month = parse_month(request.GET.get("month", ""))
    data = selectors.published_statistics(prefix=ctx["prefix"], year=year, month=month)
    return render(
        request, "portal/stats.html", {**ctx, "data": data, "month": f"{year:04d}-{month:02d}"}
    )


@public
@cache_control(max_age=300, public=True)
def stats_json(request):
    prefix = selectors.clean_prefix(request.GET.get("region", ""))
    year, month = parse_month(request.GET.get("month", ""))
    data = selectors.published_statistics(prefix=prefix, year=year, month=month)
    return JsonResponse(
        {
            "region": RegionCode.from_prefix(prefix),
            "month": f"{year:04d}-{month:02d}",
            "computed_at": data["computed_at"].isoformat(timespec="seconds"),
            "total": data["total"].as_dict(),
            "by_region": [
                {"code": r["code"], "name": r["name"], **r["figures"].as_dict()}
                for r in data["rows"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@public
def verify(request):
    form = VerifyForm(request.GET or None)
    cert = None
    searched = False
    if form.is_valid():
        searched = True
        cert = vol_selectors.certificate_by_number(form.cleaned_data["number"])
    return render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "cert": cert,
            "searched": searched,
            "masked_name": selectors.mask_name(cert.volunteer.name) if cert else "",
        },
    )


REGISTER_PER_ADDRESS = "volunteers.register.ip"
REGISTER_PER_ID_NUMBER = "volunteers.register.id"


@public
def register(request):
    """Volunteer self-registration: an application for review, answered alike for everyone.

    Whether the ID number is already registered or the login name taken, a well-formed
    submission leads to the same "submitted" page (volunteers.applications)."""
    county = selectors.clean_prefix(request.GET.get("region", "") or request.POST.get("county", ""))
    regions = selectors.registration_regions(county)
    form = PublicRegistrationForm(request.POST or None, regions=regions)
    context = {"form": form, "county": county[:6], "counties": selectors.registration_counties()}
    if request.method == "POST":
        if not ratelimit.hit(request, REGISTER_PER_ADDRESS):
            return _register_refused(request, context)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["region"] = selectors.get_region(data["region"])
            checked = attempt(
                request, lambda: crypto.validate_resident_id(data["id_number"]), form=form
            )
            if checked:
                resident = checked.value
                if not ratelimit.hit(
                    request,
                    REGISTER_PER_ID_NUMBER,
                    key=crypto.blind_index(resident.number),
                    shown=crypto.mask_id(resident.number),
                ):
                    return _register_refused(request, context)
                submitted = attempt(
                    request,
                    lambda: applications.application_submit(
                        data=data,
                        consent=data["consent"],
                        username=data["username"],
                        password=data["password"],
                        request=request,
                    ),
                    form=form,
                )
                if submitted:
                    return redirect("portal:register_submitted")
    return render(request, "portal/register.html", context)


def _register_refused(request, context):
    context["refused"] = _("提交过于频繁，请稍后再试。")
    return render(request, "portal/register.html", context, status=429)


@public
def register_submitted(request):
    return render(request, "portal/register_submitted.html")


# ---- HSDS 3.0 ----------------------------------------------------------------------------------


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bounded(text: str | None, *, default: int, most: int) -> int:
    """A whole number typed into a query string, kept between 1 and `most` (`default` when it
    is not a number)."""
    text = (text or "").strip()
    value = int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else default
    return min(max(value, 1), most)


def _paging(request) -> tuple[int, int]:
    page_number = _bounded(request.GET.get("page"), default=1, most=MAX_PAGE)
    per_page = _bounded(request.GET.get("per_page"), default=50, most=hsds.MAX_PER_PAGE)
    return page_number, per_page


def _slice(qs, page_number: int, per_page: int) -> tuple[list, int]:
    total = qs.count()
    start = (page_number - 1) * per_page
    return list(qs[start : start + per_page]), total


@public
def hsds_root(request):
    return _json(hsds.api_root(request))


@public
def hsds_openapi(request):
    """The HSDS 3.0 OpenAPI description this API implements (served as published)."""
    path = Path(__file__).parent / "data" / "hsds-openapi.json"
    return HttpResponse(path.read_bytes(), content_type="application/json")


def _error(message: str, status: int = 400) -> JsonResponse:
    return _json({"errors": [{"field": "__all__", "reason": message}]}, status=status)


@public
def hsds_services(request):
    page_number, per_page = _paging(request)
    qs = selectors.site_directory(
        region_prefix=selectors.clean_prefix(request.GET.get("region", "")),
        q=request.GET.get("search", "").strip()[:50],
    )
    org_id = request.GET.get("organization_id", "")
    if org_id:
        pk = hsds.pk_of("organization", org_id)
        if pk is None:
            return _error(_("organization_id 不是本目录的组织编号。"))
        qs = qs.filter(pk=pk)
    modified_after = request.GET.get("modified_after", "")
    if modified_after:
        moment = parse_moment(modified_after)
        if moment is None:
            return _error(_("modified_after 应为 ISO 8601 日期时间。"))
        qs = qs.filter(updated_at__gte=moment)
    items, total = _slice(qs, page_number, per_page)
    return _json(
        hsds.page(
            items=[hsds.service_summary(s) for s in items],
            total=total,
            page_number=page_number,
            per_page=per_page,
        )
    )


@public
def hsds_service(request, id: str):
    pk = hsds.pk_of("service", id)
    site = selectors.get_site(pk) if pk else None
    if site is None:
        return _error(_("未找到。"), 404)
    return _json(hsds.service_full(site, selectors.site_region_names([site])[site.region_id]))


@public
def hsds_organizations(request):
    page_number, per_page = _paging(request)
    qs = selectors.site_directory(q=request.GET.get("search", "").strip()[:50])
    items, total = _slice(qs, page_number, per_page)
    return _json(
        hsds.page(
            items=[hsds.organization(s) for s in items],
            total=total,
            page_number=page_number,
            per_page=per_page,
        )
    )


@public
def hsds_organization(request, id: str):
    pk = hsds.pk_of("organization", id)
    site = selectors.get_site(pk) if pk else None
    if site is None:
        return _error(_("未找到。"), 404)
    out = hsds.organization_full(site)
    out["services"] = [hsds.service_summary(site)]
    return _json(out)


@public
def hsds_locations(request):
    page_number, per_page = _paging(request)
    qs = selectors.site_directory(q=request.GET.get("search", "").strip()[:50])
    items, total = _slice(qs, page_number, per_page)
    names = selectors.site_region_names(items)
    return _json(
        hsds.page(
            items=[hsds.location(s, names[s.region_id]) for s in items],
            total=total,
            page_number=page_number,
            per_page=per_page,
        )
    )


@public
def hsds_location(request, id: str):
    pk = hsds.pk_of("location", id)
    site = selectors.get_site(pk) if pk else None
    if site is None:
        return _error(_("未找到。"), 404)
    return _json(hsds.location(site, selectors.site_region_names([site])[site.region_id]))


@public
def hsds_taxonomies(request):
    page_number, per_page = _paging(request)
    items = [hsds.taxonomy()]
    search = request.GET.get("search", "").strip().lower()
    if search:
        items = [t for t in items if search in (t["name"] + t["description"]).lower()]
    return _json(
        hsds.page(
            items=items[(page_number - 1) * per_page :][:per_page],
            total=len(items),
            page_number=page_number,
            per_page=per_page,
        )
    )


@public
def hsds_taxonomy(request, id: str):
    if id != hsds.taxonomy()["id"]:
        return _error(_("未找到。"), 404)
    return _json(hsds.taxonomy())


@public
def hsds_taxonomy_terms(request):
    page_number, per_page = _paging(request)
    items = hsds.taxonomy_terms()
    return _json(
        hsds.page(
            items=items[(page_number - 1) * per_page :][:per_page],
            total=len(items),
            page_number=page_number,
            per_page=per_page,
        )
    )


@public
def hsds_taxonomy_term(request, id: str):
    found = next((t for t in hsds.taxonomy_terms() if t["id"] == id), None)
    if found is None:
        return _error(_("未找到。"), 404)
    return _json(found)


# ---- party building and mass contact: recognised brands, the practice library, answers ---------


@public
def brand_list(request):
    from shegong.brands import selectors as brand_selectors

    ctx = _region_context(request)
    q = request.GET.get("q", "").strip()[:50]
    qs = brand_selectors.public_brands(region_prefix=ctx["prefix"], q=q)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/brand_list.html", {**ctx, "page": page, "q": q})


@public
def brand_detail(request, pk: int):
    from shegong.brands import selectors as brand_selectors

    brand = brand_selectors.get_public_brand(pk)
    if brand is None:
        raise Http404
    return render(
        request,
        "portal/brand_detail.html",
        {
            "brand": brand,
            "evaluations": brand_selectors.public_evaluations(brand),
            "recognitions": brand_selectors.public_recognitions(brand),
        },
    )


@public
def practice_list(request):
    from shegong.practices import selectors as practice_selectors
    from shegong.practices.models import Topic

    ctx = _region_context(request)
    q = request.GET.get("q", "").strip()[:50]
    topic = request.GET.get("topic", "")
    qs = practice_selectors.library(topic=topic, region=ctx["prefix"], q=q)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/practice_list.html",
        {**ctx, "page": page, "q": q, "topic": topic, "topics": Topic.choices},
    )


@public
def practice_detail(request, pk: int):
    from shegong.practices import selectors as practice_selectors

    practice = practice_selectors.get_published(pk)
    if practice is None:
        raise Http404
    return render(
        request,
        "portal/practice_detail.html",
        {
            "practice": practice,
            "figures": practice_selectors.figures_of(practice),
            "adoptions": practice_selectors.public_adoptions(practice),
        },
    )


@public
def answers(request):
    from shegong.contact import selectors as contact_selectors

    ctx = _region_context(request)
    qs = contact_selectors.public_meetings(region_prefix=ctx["prefix"])
    page = Paginator(qs, 10).get_page(request.GET.get("page"))
    found = contact_selectors.public_answers(list(page.object_list))
    meetings = [(m, found.get(m.pk, [])) for m in page.object_list]
    return render(request, "portal/answers.html", {**ctx, "page": page, "meetings": meetings})
