"""Open311 GeoReport v2 at /open311/v2/ — XML by default, JSON with the `.json` extension.

Only public fields leave the building: the registration number, the service (category), the
status with a public note, the responsible unit, the area (region name, never the street
address), and the times. Descriptions and names are not published (see
docs/decisions/petitions-open311-public-fields.md). Requests listed are those that came in
through public channels (the online form and this API).
"""

from __future__ import annotations

import json
from datetime import datetime, time
from xml.etree import ElementTree as ET  # noqa: S405 - we only build XML, never parse it

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shegong.core import ratelimit
from shegong.core.access import public
from shegong.core.api_schema import MAX_PAGE
from shegong.core.errors import ApplicationError, error_items
from shegong.core.validation import parse_moment
from shegong.petitions import selectors, services
from shegong.petitions.models import Category, Channel, Kind, Matter
from shegong.petitions.public import SUBMIT_PER_PHONE, phone_key
from shegong.petitions.workflow import OPEN_STATUSES, Status

PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


# ---- rendering ---------------------------------------------------------------------------------


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            child = ET.SubElement(element, key)
            if isinstance(value, list):
                for sub in value:
                    grand = ET.SubElement(child, "attribute")
                    for k, v in sub.items():
                        ET.SubElement(grand, k).text = _text(v)
            else:
                child.text = _text(value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _respond(fmt: str, root: str, item: str, rows, *, status: int = 200, single=False):
    if fmt == "json":
        body = json.dumps(rows[0] if single else rows, ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if single:
        top = ET.Element(root)
        for key, value in rows[0].items():
            child = ET.SubElement(top, key)
            if isinstance(value, list):
                for sub in value:
                    grand = ET.SubElement(child, "attribute")
                    for k, v in sub.items():
                        ET.SubElement(grand, k).text = _text(v)
            else:
                child.text = _text(value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    else:
        body = _xml(root, item, rows)
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(fmt: str, code: int, description: str):
    return _respond(
        fmt, "errors", "error", [{"code": code, "description": description}], status=code
    )


def _iso(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = timezone.make_aware(datetime.combine(value, time(23, 59, 59)))
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# ---- serialisers -------------------------------------------------------------------------------


def service_row(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or f"{category.parent.name} / {category.name}",
        "metadata": False,
        "type": "batch",
        "keywords": category.keywords or category.name,
        "group": category.parent.name,
    }


def public_status_note(matter: Matter) -> str:
    if matter.status == Status.MERGED and matter.repeat_of_id:
        return _("重复件，已并入 %s 一并办理") % matter.repeat_of.number
    if matter.status in (Status.REPLIED, Status.CLOSED) and matter.reply_kind:
        return f"{matter.get_status_display()}（{matter.get_reply_kind_display()}）"
    if matter.status == Status.ROUTED_OUT:
        return _("依法应通过其他法定途径解决，已书面告知")
    return matter.get_status_display()


def request_row(matter: Matter, region_names: dict[str, str]) -> dict:
    is_open = matter.status in OPEN_STATUSES
    closed_at = matter.closed_on if not is_open else None
    return {
        "service_request_id": matter.number,
        "status": "open" if is_open else "closed",
        "status_notes": public_status_note(matter),
        "service_name": matter.category.name,
        "service_code": matter.category.code,
        "description": None,
        "agency_responsible": matter.handling_org.name if matter.handling_org else None,
        "service_notice": _("办理期限暂定（节假日安排未公布）") if matter.due_provisional else None,
        "address_id": matter.region_id,
        "address": region_names.get(matter.region_id, ""),
        "requested_datetime": _iso(matter.created_at),
        "updated_datetime": _iso(_closed_dt(closed_at) if closed_at else matter.updated_at),
        "expected_datetime": _iso(matter.due_date) if is_open and matter.due_date else None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _closed_dt(day):
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def _region_names(matters) -> dict[str, str]:
    return selectors.public_region_names(m.region_id for m in matters)


# ---- views -------------------------------------------------------------------------------------


def _fmt(fmt: str | None) -> str:
    return "json" if fmt == "json" else "xml"


@public
def discovery(request, fmt=None):
    fmt = _fmt(fmt)
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": _("社工平台运维组"),
        "key_service": _("无需密钥；提交接口按来源地址限流"),
        "endpoints": [],
    }
    if fmt == "json":
        row["endpoints"] = [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": row["changeset"],
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ]
        return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json")
    top = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(top, key).text = row[key]
    endpoints = ET.SubElement(top, "endpoints")
    endpoint = ET.SubElement(endpoints, "endpoint")
    ET.SubElement(endpoint, "specification").text = "http://wiki.open311.org/GeoReport_v2"
    ET.SubElement(endpoint, "url").text = base
    ET.SubElement(endpoint, "changeset").text = row["changeset"]
    ET.SubElement(endpoint, "type").text = "production"
    formats = ET.SubElement(endpoint, "formats")
    for f in ("text/xml", "application/json"):
        ET.SubElement(formats, "format").text = f
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@public
def services_list(request, fmt=None):
    fmt = _fmt(fmt)
    rows = [service_row(c) for c in selectors.leaf_categories()]
    return _respond(fmt, "services", "service", rows)


@public
def service_definition(request, code, fmt=None):
    fmt = _fmt(fmt)
    category = selectors.leaf_category(code)
    if category is None:
        return _error(fmt, 404, _("没有该服务代码：%s") % code)
    row = {"service_code": category.code, "attributes": []}
    return _respond(fmt, "service_definition", "", [row], single=True)


@csrf_exempt
@public
def requests_collection(request, fmt=None):
    fmt = _fmt(fmt)
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        return _error(fmt, 405, _("不支持的请求方法"))
    qs = selectors.public_requests()
    params = request.GET
    if params.get("service_request_id"):
        ids = [i.strip() for i in params["service_request_id"].split(",") if i.strip()]
        qs = qs.filter(number__in=ids)
    else:
        if params.get("service_code"):
            qs = qs.filter(category__code__in=params["service_code"].split(","))
        if params.get("status"):
            statuses = set(params["status"].split(","))
            if statuses - {"open", "closed"}:
                return _error(fmt, 400, _("status 只能是 open 或 closed"))
            if statuses == {"open"}:
                qs = qs.filter(status__in=OPEN_STATUSES)
            elif statuses == {"closed"}:
                qs = qs.exclude(status__in=OPEN_STATUSES)
        for name, lookup in (("start_date", "created_at__gte"), ("end_date", "created_at__lte")):
            if params.get(name):
                value = parse_moment(params[name])
                if value is None:
                    return _error(fmt, 400, _("%s 不是有效的 ISO 8601 时间") % name)
                qs = qs.filter(**{lookup: value})
    try:
        page = int(params.get("page", 1))
        size = min(MAX_PAGE_SIZE, max(1, int(params.get("page_size", PAGE_SIZE))))
    except ValueError:
        return _error(fmt, 400, _("page 和 page_size 应为整数"))
    if not 1 <= page <= MAX_PAGE:
        return _error(fmt, 400, _("page 应在 1 至 %d 之间") % MAX_PAGE)
    matters = list(qs.order_by("-created_at", "-id")[(page - 1) * size : page * size])
    names = _region_names(matters)
    return _respond(fmt, "service_requests", "request", [request_row(m, names) for m in matters])


@public
def request_detail(request, number, fmt=None):
    fmt = _fmt(fmt)
    matter = selectors.public_requests().filter(number=number).first()
    if matter is None:
        return _error(fmt, 404, _("没有该编号的请求"))
    return _respond(
        fmt, "service_requests", "request", [request_row(matter, _region_names([matter]))]
    )


def _location(params) -> str:
    code = (params.get("address_id") or "").strip()
    if code:
        if code.isdigit() and len(code) == 12 and selectors.is_county_or_below(code):
            return code
        raise ApplicationError(_("address_id 应为县级以下 12 位区划代码"), field="address_id")
    text = (params.get("address_string") or "").strip()
    if text:
        found = selectors.region_named_in(text)
        if found is not None:
            return found
        raise ApplicationError(
            _("无法从地址确定事发地，请提供 address_id（区划代码）"), field="address_string"
        )
    raise ApplicationError(
        _("需要事发地：address_id（区划代码）或 address_string"), field="address_id"
    )


def _create(request, fmt: str):
    if not ratelimit.hit(request, "petitions.open311.ip"):
        return _error(fmt, 429, _("提交过于频繁，请稍后再试"))
    params = request.POST
    category = selectors.leaf_category(params.get("service_code", ""))
    if category is None:
        return _error(fmt, 400, _("service_code 无效"))
    description = (params.get("description") or "").strip()
    if not description:
        return _error(fmt, 400, _("需要 description（诉求）"))
    name = f"{params.get('last_name', '').strip()}{params.get('first_name', '').strip()}"
    phone = (params.get("phone") or "").strip()
    if phone_key(phone) and not ratelimit.hit(request, SUBMIT_PER_PHONE, key=phone_key(phone)):
        return _error(fmt, 429, _("提交过于频繁，请稍后再试"))
    try:
        matter = services.matter_register(
            acting_user=None,
            kind=Kind.COMPLAINT,
            channel=Channel.ONLINE,
            region_code=_location(params),
            category=category,
            title=description[:30],
            request=description[:4000],
            address=(params.get("address_string") or "")[:200],
            anonymous=not name,
            petitioners=[{"name": name, "phone": phone}] if (name or phone) else [],
        )
    except (ValidationError, ApplicationError) as exc:
        return _error(fmt, 400, "；".join(i["reason"] for i in error_items(exc)))
    shown = matter.repeat_of if matter.is_repeat else matter
    notice = (
        _("与在办事项为同一诉求，已并入 %s 一并办理") % shown.number
        if matter.is_repeat
        else _("已登记，可凭编号和手机号后四位查询进度")
    )
    row = {"service_request_id": shown.number, "service_notice": notice, "account_id": None}
    return _respond(fmt, "service_requests", "request", [row])


FMT = r"(?:\.(?P<fmt>xml|json))?$"
root_urlpatterns = [
    re_path(r"^open311/v2/discovery" + FMT, discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, services_list, name="open311-services"),
    re_path(
        r"^open311/v2/services/(?P<code>[\w.-]+?)" + FMT,
        service_definition,
        name="open311-service",
    ),
    re_path(r"^open311/v2/requests" + FMT, requests_collection, name="open311-requests"),
    re_path(
        r"^open311/v2/requests?/(?P<number>\d+?)" + FMT, request_detail, name="open311-request"
    ),
]
