"""Open Referral HSDS 3.0 serialisation of the service-site directory.

Mapping: each active service site (orgs.Organisation of a site kind) is an HSDS organization, a
location (its address and map position) and a service (what the site offers, one attribute per
service line) delivered at that location. Ids are UUIDs that carry the object type and the site's
primary key, so they are stable and reversible without a mapping table.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django.conf import settings

from shegong.orgs.models import Kind, Organisation

HSDS_VERSION = "3.0"
TYPE_CODES = {
    "organization": 1,
    "service": 2,
    "location": 3,
    "sal": 4,
    "phone": 5,
    "address": 6,
    "schedule": 7,
    "taxonomy": 8,
    "term": 9,
    "attribute": 10,
    "language": 11,
}
TAXONOMY_NAME = "Shegong service site kinds"
TERMS = {
    Kind.SOCIAL_WORK_STATION: ("sw_station", "乡镇（街道）社工站"),
    Kind.PARTY_MASS_CENTRE: ("party_mass_centre", "党群服务中心"),
    Kind.SERVICE_SITE: ("service_site", "其他服务站点"),
}


def hsds_id(kind: str, pk: int) -> str:
    return str(uuid.UUID(f"5e900000-{TYPE_CODES[kind]:04x}-4000-8000-{pk:012x}"))


def pk_of(kind: str, value: str) -> int | None:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        return None
    text = str(parsed)
    if not text.startswith(f"5e900000-{TYPE_CODES[kind]:04x}-4000-8000-"):
        return None
    return int(text[-12:], 16)


def term_id(kind: str) -> str:
    index = list(TERMS).index(kind) + 1
    return hsds_id("term", index)


def taxonomy() -> dict:
    return {
        "id": hsds_id("taxonomy", 1),
        "name": TAXONOMY_NAME,
        "description": "社工服务站点类型：社工站、党群服务中心和其他服务站点。",
        "version": "1",
    }


def taxonomy_terms() -> list[dict]:
    return [
        {
            "id": term_id(kind),
            "code": code,
            "name": label,
            "description": label,
            "taxonomy_id": hsds_id("taxonomy", 1),
            "taxonomy": TAXONOMY_NAME,
            "language": "zh",
        }
        for kind, (code, label) in TERMS.items()
    ]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _schedule(
    site: Organisation, *, location_id: str | None = None, service_id: str | None = None
) -> list[dict]:
    if not site.opening_hours:
        return []
    item = {"id": hsds_id("schedule", site.pk), "description": site.opening_hours}
    times = re.findall(r"(\d{1,2}:\d{2})", site.opening_hours)
    if len(times) >= 2:
        item["opens_at"], item["closes_at"] = times[0], times[-1]
    if location_id:
        item["location_id"] = location_id
    if service_id:
        item["service_id"] = service_id
    return [item]


def _phones(site: Organisation, **links) -> list[dict]:
    if not site.phone:
        return []
    return [{"id": hsds_id("phone", site.pk), "number": site.phone, "type": "voice", **links}]


def organization(site: Organisation) -> dict:
    out = {
        "id": hsds_id("organization", site.pk),
        "name": site.name,
        "description": site.description or f"{site.get_kind_display()}：{site.name}",
    }
    if site.parent_id:
        out["parent_organization_id"] = hsds_id("organization", site.parent_id)
    return out


def organization_full(site: Organisation) -> dict:
    return {
        **organization(site),
        "phones": _phones(site, organization_id=hsds_id("organization", site.pk)),
        "locations": [location(site)],
    }


def location(site: Organisation, region_names: dict | None = None) -> dict:
    loc_id = hsds_id("location", site.pk)
    out = {
        "id": loc_id,
        "location_type": "physical",
        "organization_id": hsds_id("organization", site.pk),
        "name": site.name,
        "external_identifier": site.region_id,
        "external_identifier_type": "GB/T 2260 statistical division code",
        "addresses": [],
        "phones": _phones(site, location_id=loc_id),
        "schedules": _schedule(site, location_id=loc_id),
    }
    if site.latitude is not None and site.longitude is not None:
        out["latitude"] = _number(site.latitude)
        out["longitude"] = _number(site.longitude)
    if site.address:
        names = region_names or {}
        out["addresses"].append(
            {
                "id": hsds_id("address", site.pk),
                "location_id": loc_id,
                "address_1": site.address,
                "city": names.get("city", ""),
                "region": names.get("county", ""),
                "state_province": names.get("province", ""),
                "postal_code": "",
                "country": "CN",
                "address_type": "physical",
            }
        )
    return out


def service_summary(site: Organisation) -> dict:
    """The one-to-one fields of a service (list endpoints)."""
    return {
        "id": hsds_id("service", site.pk),
        "organization_id": hsds_id("organization", site.pk),
        "name": site.name,
        "description": "；".join(site.service_list) or site.get_kind_display(),
        "status": "active" if site.is_active else "inactive",
        "fees_description": "免费",
        "last_modified": site.updated_at.isoformat(),
    }


def service_full(site: Organisation, region_names: dict | None = None) -> dict:
    service_id = hsds_id("service", site.pk)
    loc = location(site, region_names)
    code, label = TERMS.get(site.kind, TERMS[Kind.SERVICE_SITE])
    return {
        **service_summary(site),
        "phones": _phones(site, service_id=service_id),
        "schedules": _schedule(site, service_id=service_id),
        "service_at_locations": [
            {
                "id": hsds_id("sal", site.pk),
                "service_id": service_id,
                "location_id": loc["id"],
                "location": loc,
            }
        ],
        "languages": [
            {
                "id": hsds_id("language", site.pk),
                "name": "中文",
                "code": "zh",
                "service_id": service_id,
            }
        ],
        "organization": organization(site),
        "attributes": [
            {
                "id": hsds_id("attribute", site.pk * 16 + 1),
                "link_id": service_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id(site.kind if site.kind in TERMS else Kind.SERVICE_SITE),
                "taxonomy_term": next(t for t in taxonomy_terms() if t["code"] == code),
                "value": label,
            }
        ],
        "contacts": [],
    }


def api_root(request) -> dict:
    from django.urls import reverse

    return {
        "version": HSDS_VERSION,
        "profile": "https://docs.openreferral.org/en/latest/hsds/",
        "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
    }


def page(*, items: list, total: int, page_number: int, per_page: int) -> dict:
    pages = max((total + per_page - 1) // per_page, 1)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": total == 0,
        "contents": items,
    }


MAX_PER_PAGE = getattr(settings, "SHEGONG_HSDS_MAX_PER_PAGE", 100)
