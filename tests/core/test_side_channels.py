"""No side channels (issue #10): the side-channel harness.

The access walk (test_access_walk.py) proves that every route is declared public or scoped and
that ids outside the jurisdiction give 404. What it did not look at is what forms, warnings,
fragments, suggestions, previews and exports *return* — both leaks of issue #10 passed it.

This harness walks every URL pattern and every API operation (found from the URL conf and the
OpenAPI document, like the access walk) as the administrator of one county (英德市), and as an
anonymous visitor and a volunteer where a route is theirs, with inputs that match another
county's records (天河区, tests/core/side_world.py): the same phone, the same ID number, a similar
name, the same credit code, a similar request, their numbers, their ids. It fails if

- any identifying value of those records (names, ID numbers masked or not, phones, addresses,
  matter/volunteer/case/receipt numbers, ids in links or JSON) appears in a response — HTML,
  JSON, a redirect, a flash message on the page it leads to, an Excel export or a PDF — unless
  the probe typed that very value itself, or
- any of their rows, or a row pointing at them (history rows included), changed.

Every route has probes in ROUTES or a reason in NOT_PROBED; a route in neither fails the
harness, so a new form cannot slip by. `test_the_harness_catches_a_leaky_fragment` mounts a
deliberately leaky fragment and shows the harness failing on it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shegong.accounts.signin.second_factor import requires_second_factor
from shegong.api import api
from shegong.core.crypto import mask_id
from shegong.people.synthetic import make_id_number
from shegong.portal.hsds import hsds_id
from tests.core.side_world import (
    FOREIGN_DEPT_CODE,
    FOREIGN_IDS,
    FOREIGN_TOWNSHIP,
    FOREIGN_VILLAGE,
    HOME_DEPT_CODE,
    HOME_TOWNSHIP,
    HOME_VILLAGE,
    PK_PATTERN,
    build_world,
    changed_tables,
    foreign_rows,
    last_month,
    restore_sequences,
    save_sequences,
)
from tests.pdf import pdf_text
from tests.signin import verify_session

ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")

# ---- probes --------------------------------------------------------------------------------------


@dataclass
class Probe:
    method: str
    path: str
    data: dict[str, Any] | None = None
    as_: str = "staff"  # "staff" (英德 administrator), "anonymous" or "volunteer"
    json: bool = False
    upload: tuple[str, str, bytes] | None = None  # (field, filename, content)
    follow: bool = True

    def typed(self) -> str:
        """Everything the probe itself sends: what it types may come back (an echo), and so may
        what an ID number it typed says (its masked form, its birth date)."""
        parts = [self.path, json.dumps(self.data or {}, ensure_ascii=False, default=str)]
        if self.upload:
            parts.append(self.upload[2].decode("utf-8", "replace"))
        text = "\n".join(parts)
        for number in ID_NUMBER.findall(text):
            text += f"\n{mask_id(number)}\n{number[6:10]}-{number[10:12]}-{number[12:14]}"
        return text


def GET(path, as_="staff", **query) -> Probe:  # noqa: N802 - reads like the HTTP method
    return Probe("GET", path, query or None, as_=as_)


def POST(path, data=None, as_="staff", **kw) -> Probe:  # noqa: N802
    return Probe("POST", path, data or {}, as_=as_, **kw)


def API(method, path, body=None, as_="staff", **query) -> Probe:  # noqa: N802
    if query:
        path = path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return Probe(method, "/api/v1" + path, body, as_=as_, json=True)


def csv_file(header: list[str], *rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def searches(path: str, w, as_="staff", **extra) -> list[Probe]:
    """A list, search or export: by the foreign name, phone, ID number, numbers and region."""
    f = w.foreign
    return [
        GET(path, as_=as_, q=f.resident_name, **extra),
        GET(path, as_=as_, q=f.resident_phone, phone=f.resident_phone, **extra),
        GET(path, as_=as_, q=f.resident_id, id_number=f.resident_id, **extra),
        GET(path, as_=as_, q=f.matter_number, number=f.matter_number, **extra),
        GET(path, as_=as_, q=f.volunteer_number, **extra),
        GET(path, as_=as_, q=f.credit_code, **extra),
        GET(path, as_=as_, region=FOREIGN_VILLAGE, **extra),
        GET(path, as_=as_, region=FOREIGN_DEPT_CODE[:6], **extra),
    ]


# ---- what each route is probed with --------------------------------------------------------------

ROUTES: dict[str, Callable[[Any], list[Probe]]] = {}


def route(*names: str):
    def register(build):
        for name in names:
            assert name not in ROUTES, name
            ROUTES[name] = build
        return build

    return register


def _simple_get(path_of: Callable[[Any], str], as_="staff"):
    return lambda w: [GET(path_of(w), as_=as_, q=w.foreign.resident_name)]


def simple(name: str, path_of: Callable[[Any], str], as_="staff") -> None:
    ROUTES[name] = _simple_get(path_of, as_)


# core, regions, accounts, workdays, inbox
simple("core:home", lambda w: "/")
simple("regions:index", lambda w: "/regions/")
route("regions:suggest")(
    lambda w: [GET("/regions/suggest/", q="五山"), GET("/regions/suggest/", region="岳洲")]
)
route("regions:search")(lambda w: searches("/regions/search/", w))
route("regions:detail")(
    lambda w: [GET(f"/regions/{HOME_DEPT_CODE}/"), GET(f"/regions/{FOREIGN_DEPT_CODE}/")]
)
route("accounts:switch")(
    lambda w: [POST("/accounts/switch/", {"membership": w.foreign.ids["membership"]})]
)
route("accounts:tokens")(
    lambda w: [
        GET("/accounts/tokens/"),
        POST("/accounts/tokens/", {"name": "probe", "membership": w.foreign.ids["membership"]}),
    ]
)
route("accounts:token_revoke")(lambda w: [POST(f"/accounts/tokens/{w.token.pk}/revoke/")])
route("accounts:user_list")(
    lambda w: searches("/accounts/users/", w) + [GET("/accounts/users/", q=w.foreign.worker_name)]
)
route("accounts:user_export")(
    lambda w: [
        GET("/accounts/users/export/", q=w.foreign.worker_username),
        GET("/accounts/users/export/", q=w.foreign.worker_name),
    ]
)
simple("accounts:user_detail", lambda w: f"/accounts/users/{w.user.pk}/")
route("accounts:audit_log")(
    lambda w: [GET("/accounts/audit/"), GET("/accounts/audit/", action="merge")]
)
route("accounts:login")(
    lambda w: [
        GET("/accounts/login/", as_="anonymous"),
        POST(
            "/accounts/login/",
            {"username": w.foreign.worker_username, "password": "wrong-password"},
            as_="anonymous",
        ),
    ]
)
simple("workdays:list", lambda w: "/workdays/")
simple("workdays:detail", lambda w: f"/workdays/{date.today().year}/")
route("workdays:load")(
    lambda w: [GET("/workdays/load/"), POST("/workdays/load/", {"year": "2031", "notice": "x"})]
)
route("inbox:list")(lambda w: [GET("/inbox/"), GET("/inbox/", unread="1")])
route("inbox:badge")(lambda w: [GET("/inbox/badge/"), GET("/inbox/badge/", as_="anonymous")])
simple("inbox:open", lambda w: f"/inbox/{w.notification.pk}/")
route("inbox:read_all")(lambda w: [POST("/inbox/read-all/")])
route("inbox:channels")(
    lambda w: [
        GET("/inbox/channels/"),
        POST("/inbox/channels/", {"matter_due__wecom": "on", "matter_due__sms": "on"}),
    ]
)
simple("inbox:deliveries", lambda w: "/inbox/deliveries/")
route("inbox:delivery_log")(
    lambda w: [
        GET("/inbox/deliveries/log/"),
        GET("/inbox/deliveries/log/", channel="wecom", status="queued"),
        GET("/inbox/deliveries/log/", q=w.foreign.worker_name),
    ]
)

# orgs
route("orgs:list")(
    lambda w: searches("/orgs/", w) + [GET("/orgs/", q=w.foreign.organisation_name[:4])]
)
route("orgs:export")(lambda w: searches("/orgs/export/", w))
simple("orgs:detail", lambda w: f"/orgs/{w.station.pk}/")
route("orgs:standards")(
    lambda w: [
        GET("/orgs/standards/"),
        POST(
            "/orgs/standards/",
            {"region": FOREIGN_DEPT_CODE[:4], "workers_per_station": "9", "document_title": "探针"},
        ),
        POST(
            "/orgs/standards/", {"region": "", "workers_per_station": "1", "document_title": "探针"}
        ),
    ]
)
simple("orgs:standard", lambda w: f"/orgs/standards/{_guangdong_standard()}/")


def _guangdong_standard() -> int:
    from shegong.orgs.models import StaffingStandard

    return StaffingStandard.objects.get(region_code="440000000000").pk


def _org_form(w, **extra):
    data = {
        "name": "英德启航社会工作服务中心",
        "kind": "sw_organisation",
        "region": HOME_DEPT_CODE,
        "credit_code": w.foreign.credit_code,
        "parent": w.foreign.ids["organisation"],
    }
    return {**data, **extra}


route("orgs:duties")(
    lambda w: [
        GET(f"/orgs/{w.station.pk}/duties/"),
        GET(f"/orgs/{w.foreign_station.pk}/duties/"),
    ]
)
route("orgs:duty_list")(
    lambda w: [
        GET(f"/orgs/{w.foreign_station.pk}/duties/{w.foreign.ids['duty_list']}/"),
        GET(f"/orgs/{w.station.pk}/duties/{w.foreign.ids['duty_list']}/"),
    ]
)
route("orgs:duties_edit")(
    lambda w: [
        GET(f"/orgs/{w.station.pk}/duties/edit/"),
        GET(f"/orgs/{w.foreign_station.pk}/duties/edit/"),
        POST(
            f"/orgs/{w.foreign_station.pk}/duties/edit/",
            {
                "items-TOTAL_FORMS": "1",
                "items-INITIAL_FORMS": "0",
                "items-0-title": "改写",
                "publish": "1",
            },
        ),
    ]
)
route("orgs:duty_search")(
    lambda w: [
        GET("/orgs/duties/search/", q=w.foreign.duty_keyword),
        GET("/orgs/duties/search/", q=w.foreign.matter_request),
        GET("/orgs/duties/search/", q="探针"),
    ]
)
route("orgs:create")(
    lambda w: [
        GET("/orgs/new/"),
        POST("/orgs/new/", _org_form(w)),
        POST("/orgs/new/", _org_form(w, parent="")),
    ]
)
route("orgs:edit")(
    lambda w: [
        GET(f"/orgs/{w.station.pk}/edit/"),
        POST(
            f"/orgs/{w.station.pk}/edit/",
            _org_form(w, name=w.station.name, kind="sw_station", region=HOME_TOWNSHIP, parent=""),
        ),
    ]
)
route("orgs:import")(
    lambda w: [
        GET("/orgs/import/"),
        POST(
            "/orgs/import/",
            {"all_or_nothing": ""},
            upload=(
                "file",
                "orgs.csv",
                csv_file(
                    ["名称", "类型", "区划代码", "统一社会信用代码"],
                    ["英德某机构", "社会工作服务机构", "441881", w.foreign.credit_code],
                ),
            ),
        ),
    ]
)

# people


def _resident_form(w, **extra):
    f = w.foreign
    data = {
        "name": f.similar_name,
        "id_number": make_id_number("441881", date(1955, 5, 5), 41, "F"),
        "region": HOME_VILLAGE,
        "phone": f.resident_phone,
        "sex": "F",
        "birth_date": "1955-05-05",
    }
    return {**data, **extra}


route("people:list")(lambda w: searches("/people/", w))
route("people:export")(lambda w: searches("/people/export/", w))
route("people:lookup")(
    lambda w: [
        GET("/people/lookup/", id_number=w.foreign.resident_id),
        GET("/people/lookup/", id_number=w.foreign.petitioner_id),
    ]
)
route("people:create")(
    lambda w: [
        GET("/people/new/"),
        POST("/people/new/", _resident_form(w)),
        POST(
            "/people/new/",
            _resident_form(w, id_number=w.foreign.resident_id, phone="", birth_date="", sex=""),
        ),
        POST("/people/new/", _resident_form(w, confirm_duplicates="on", name="英德新对象")),
    ]
)
route("people:edit")(
    lambda w: [
        GET(f"/people/{w.resident.pk}/edit/"),
        POST(
            f"/people/{w.resident.pk}/edit/",
            {"name": w.foreign.similar_name, "phone": w.foreign.resident_phone, "region": ""},
        ),
    ]
)
route("people:import")(
    lambda w: [
        GET("/people/import/"),
        POST(
            "/people/import/",
            {},
            upload=(
                "file",
                "people.csv",
                csv_file(
                    ["姓名", "身份证号码", "村（社区）", "联系电话"],
                    [w.foreign.similar_name, w.foreign.resident_id, HOME_VILLAGE, "13912345678"],
                    [
                        "英德新人",
                        make_id_number("441881", date(1956, 6, 6), 42, "F"),
                        HOME_VILLAGE,
                        w.foreign.resident_phone,
                    ],
                ),
            ),
        ),
    ]
)
simple("people:statistics", lambda w: "/people/statistics/")
simple("people:my_visits", lambda w: "/people/visits/mine/")
route("people:overdue")(
    lambda w: [
        GET("/people/visits/overdue/"),
        GET("/people/visits/overdue/", region=FOREIGN_DEPT_CODE),
    ]
)
route("people:assistance_rollup")(
    lambda w: [
        GET("/people/assistance/"),
        GET("/people/assistance/", region=FOREIGN_DEPT_CODE),
    ]
)
simple("people:categories", lambda w: "/people/categories/")
route("people:category_create")(
    lambda w: [
        GET("/people/categories/new/"),
        POST("/people/categories/new/", {"code": "harness", "name": w.foreign.resident_name}),
    ]
)
route("people:category_edit")(
    lambda w: [
        GET(f"/people/categories/{w.category.pk}/edit/"),
        POST(f"/people/categories/{w.category.pk}/edit/", {"name": "改名", "order": "1"}),
    ]
)
route("people:cadence")(
    lambda w: [
        GET("/people/visits/cadence/"),
        POST(
            "/people/visits/cadence/",
            {"risk_level": "high", "interval_days": "7", "event_hours": "24"},
        ),
    ]
)
simple("people:visit_detail", lambda w: f"/people/visits/{w.visit.pk}/")
simple("people:visit_photo", lambda w: f"/people/visits/{w.visit.pk}/photo/")
route("people:adaptation_advance")(
    lambda w: [POST(f"/people/assistance/{w.assistance.pk}/advance/")]
)
route("people:adaptation_transition")(
    lambda w: [
        GET(f"/people/assistance/{w.assistance.pk}/actions/design/"),
        POST(f"/people/assistance/{w.assistance.pk}/actions/design/"),
        POST(f"/people/assistance/{w.assistance.pk}/actions/accept/"),
    ]
)
simple("people:detail", lambda w: f"/people/{w.resident.pk}/")
route("people:reveal")(lambda w: [POST(f"/people/{w.resident.pk}/reveal/")])
route("people:assess")(
    lambda w: [
        GET(f"/people/{w.resident.pk}/assess/"),
        POST(
            f"/people/{w.resident.pk}/assess/",
            {
                "lives_alone": "on",
                "health": "good",
                "self_care": "full",
                "income": "adequate",
                "housing": "safe",
                "support": "strong",
                "notes": "探针评估",
            },
        ),
    ]
)
route("people:visit")(
    lambda w: [
        GET(f"/people/{w.resident.pk}/visit/"),
        POST(
            f"/people/{w.resident.pk}/visit/",
            {
                "visited_on": date.today().isoformat(),
                "mode": "home",
                "visitors": "英德社工",
                "finding_living": "邻里纠纷",
            },
        ),
    ]
)
route("people:event")(
    lambda w: [
        POST(
            f"/people/{w.resident.pk}/event/",
            {"event": "hospital", "occurred_on": date.today().isoformat()},
        )
    ]
)
route("people:member_add")(
    lambda w: [
        POST(
            f"/people/{w.resident.pk}/members/",
            {
                "name": w.foreign.similar_name,
                "relation": "child",
                "phone": w.foreign.resident_phone,
            },
        )
    ]
)
route("people:assistance")(
    lambda w: [
        GET(f"/people/{w.resident.pk}/assistance/"),
        POST(
            f"/people/{w.resident.pk}/assistance/",
            {"kind": "material", "description": "米面", "given_on": date.today().isoformat()},
        ),
    ]
)
route("people:merge")(
    lambda w: [
        GET(f"/people/{w.resident.pk}/merge/"),
        POST(f"/people/{w.resident.pk}/merge/", {"other": w.foreign.ids["resident"]}),
        POST(
            f"/people/{w.resident.pk}/merge/",
            {"other": w.foreign.ids["resident"], "confirm": "1"},
        ),
    ]
)

# cases
route("cases:list")(lambda w: searches("/cases/", w) + [GET("/cases/", q=w.foreign.case_title)])
route("cases:create")(
    lambda w: [
        GET("/cases/new/", resident=w.resident.pk),
        GET("/cases/new/", resident=w.foreign.ids["resident"]),
        POST(
            f"/cases/new/?resident={w.foreign.ids['resident']}",
            {"title": "探针个案", "source": "self", "problem": "x"},
        ),
    ]
)
simple("cases:referrals", lambda w: "/cases/referrals/")
simple("cases:overdue", lambda w: "/cases/overdue/")
route("cases:from_visit")(lambda w: [POST(f"/cases/from-visit/{w.visit.pk}/")])
simple("cases:detail", lambda w: f"/cases/{w.case.pk}/")
route("cases:transition")(
    lambda w: [POST(f"/cases/{w.case.pk}/transition/", {"to_status": "closed", "note": "x"})]
)
route("cases:case_transition")(
    lambda w: [
        GET(f"/cases/{w.case.pk}/actions/intervene/"),
        POST(f"/cases/{w.case.pk}/actions/intervene/", {"note": "x"}),
        POST(f"/cases/{w.case.pk}/actions/reopen/", {"note": "x"}),
    ]
)
route("cases:notes")(lambda w: [POST(f"/cases/{w.case.pk}/notes/", {"plan_summary": "探针计划"})])
route("cases:goal_add")(lambda w: [POST(f"/cases/{w.case.pk}/goals/", {"text": "目标"})])
route("cases:task_add")(
    lambda w: [
        POST(
            f"/cases/{w.case.pk}/tasks/",
            {
                "title": "任务",
                "owner": w.foreign.ids["worker"],
                "due_date": (date.today() + timedelta(3)).isoformat(),
            },
        )
    ]
)
route("cases:task_done")(lambda w: [POST(f"/cases/tasks/{w.task.pk}/done/")])
route("cases:record_add")(
    lambda w: [
        POST(
            f"/cases/{w.case.pk}/records/",
            {
                "served_on": date.today().isoformat(),
                "kind": "home",
                "duration_minutes": "30",
                "content": "探针服务记录",
            },
        )
    ]
)
route("cases:review_request")(lambda w: [POST(f"/cases/{w.case.pk}/reviews/", {"kind": "plan"})])
route("cases:review_decide")(
    lambda w: [POST(f"/cases/reviews/{w.review.pk}/", {"decision": "approve", "comment": "ok"})]
)
route("cases:review_transition")(
    lambda w: [
        GET(f"/cases/reviews/{w.review.pk}/actions/return/"),
        POST(f"/cases/reviews/{w.review.pk}/actions/approve/", {"comment": "ok"}),
        POST(f"/cases/reviews/{w.review.pk}/actions/return/", {"comment": "x"}),
    ]
)
route("cases:refer")(
    lambda w: [
        POST(
            f"/cases/{w.case.pk}/refer/",
            {"to_organisation": w.foreign.ids["organisation"], "reason": "转介"},
        )
    ]
)
route("cases:referral_respond")(
    lambda w: [
        POST(f"/cases/referrals/{w.referral.pk}/respond/", {"decision": "decline", "reason": "x"})
    ]
)
route("cases:referral_transition")(
    lambda w: [
        GET(f"/cases/referrals/{w.referral.pk}/actions/decline/"),
        POST(f"/cases/referrals/{w.referral.pk}/actions/accept/", {"reason": ""}),
        POST(f"/cases/referrals/{w.referral.pk}/actions/decline/", {"reason": "x"}),
    ]
)

# petitions


def _matter_form(w, **extra):
    f = w.foreign
    data = {
        "kind": "complaint",
        "channel": "visit",
        "received_on": date.today().isoformat(),
        "region": HOME_TOWNSHIP,
        "category": w.wages.pk,
        "title": f.matter_title,
        "urgency": "normal",
        "request": f.similar_request,
        "name": "张建军",
        "phone": f.petitioner_phone,
        "people_count": "1",
    }
    return {**data, **extra}


route("petitions:list")(lambda w: searches("/petitions/", w))
route("petitions:export")(lambda w: searches("/petitions/export/", w))
route("petitions:create")(
    lambda w: [
        GET("/petitions/new/"),
        POST("/petitions/new/", _matter_form(w)),
        POST(
            "/petitions/new/",
            _matter_form(w, phone="", id_number=w.foreign.petitioner_id, name="另一人"),
        ),
    ]
)
route("petitions:from_finding")(
    lambda w: [
        GET("/petitions/from-finding/visit:9000001/"),
        POST("/petitions/from-finding/visit:9000001/", _matter_form(w)),
    ]
)
route("petitions:from_visit")(lambda w: [POST(f"/petitions/from-visit/{w.visit.pk}/")])
simple("petitions:routing", lambda w: "/petitions/routing/")
simple("petitions:analysis", lambda w: "/petitions/analysis/")
simple("petitions:detail", lambda w: f"/petitions/{w.matter.pk}/")
simple(
    "petitions:attachment",
    lambda w: f"/petitions/{w.matter.pk}/attachments/{w.attachment.pk}/",
)
simple("petitions:reply_pdf", lambda w: f"/petitions/{w.matter.pk}/reply.pdf")
simple("petitions:route_out_pdf", lambda w: f"/petitions/{w.matter.pk}/notice.pdf")
route("petitions:action")(
    lambda w: [
        POST(f"/petitions/{w.matter.pk}/do/merge/", {"target": w.foreign.matter_number}),
        POST(
            f"/petitions/{w.matter.pk}/do/route/",
            {"organisation": w.foreign.ids["organisation"], "note": "x"},
        ),
        POST(f"/petitions/{w.matter.pk}/do/assign_leader/", {"leader": w.foreign.ids["worker"]}),
        POST(f"/petitions/{w.matter.pk}/do/note/", {"text": "探针备注"}),
    ]
)
simple("petitions:mediation", lambda w: f"/petitions/mediations/{w.mediation.pk}/")
route("petitions:mediation_session")(
    lambda w: [
        POST(
            f"/petitions/mediations/{w.mediation.pk}/session/",
            {
                "held_on": date.today().isoformat(),
                "place": "调解室",
                "participants": "张建军",
                "record": "记录",
            },
        )
    ]
)
route("petitions:mediation_conclude")(
    lambda w: [
        POST(
            f"/petitions/mediations/{w.mediation.pk}/conclude/",
            {"outcome": "failed", "note": "未达成"},
        )
    ]
)
route("petitions:mediation_transition")(
    lambda w: [
        GET(f"/petitions/mediations/{w.mediation.pk}/actions/fail/"),
        POST(
            f"/petitions/mediations/{w.mediation.pk}/actions/session/",
            {
                "held_on": date.today().isoformat(),
                "place": "调解室",
                "participants": "张建军",
                "record": "记录",
            },
        ),
        POST(f"/petitions/mediations/{w.mediation.pk}/actions/fail/", {"note": "未达成"}),
    ]
)
simple("petitions:agreement_pdf", lambda w: f"/petitions/mediations/{w.mediation.pk}/agreement.pdf")
route("petitions:agreement_confirmation")(
    lambda w: [POST(f"/petitions/mediations/{w.mediation.pk}/confirmation/", {"choice": "apply"})]
)
route("petitions:rating_review_close")(
    lambda w: [
        POST(
            f"/petitions/rating-reviews/{w.rating_review.pk}/close/",
            {"outcome": "rehandle", "note": w.foreign.matter_number},
        )
    ]
)


def _public_form(w, **extra):
    import time

    from shegong.petitions import public

    f = w.foreign
    data = {
        "kind": "complaint",
        "category": w.wages.pk,
        "region": HOME_TOWNSHIP,
        "title": f.matter_title,
        "request": f.similar_request,
        "name": "张建军",
        "phone": f.petitioner_phone,
        "website": "",
        "token": public.form_token(time.time() - 30),
    }
    return {**data, **extra}


route("petitions:public_submit")(
    lambda w: [
        GET("/petitions/public/submit/", as_="anonymous"),
        POST("/petitions/public/submit/", _public_form(w), as_="anonymous"),
    ]
)
route("petitions:public_regions")(
    lambda w: [GET("/petitions/public/regions/", as_="anonymous", q="五山")]
)
route("petitions:public_track", "petitions:public_rate")(
    lambda w: [
        POST(
            "/petitions/public/track/",
            {"number": w.foreign.matter_number, "suffix": "0000"},
            as_="anonymous",
        ),
        POST(
            "/petitions/public/track/rate/",
            {"number": w.foreign.matter_number, "suffix": "0000", "rating": "satisfied"},
            as_="anonymous",
        ),
    ]
)
route(
    "open311-discovery",
    "open311-services",
    "open311-service",
)(
    lambda w: [
        GET("/open311/v2/discovery.json", as_="anonymous"),
        GET("/open311/v2/services.json", as_="anonymous"),
        GET("/open311/v2/services/labour.wages.json", as_="anonymous"),
    ]
)
route("open311-requests")(
    lambda w: [
        GET("/open311/v2/requests.json", as_="anonymous"),
        POST(
            "/open311/v2/requests.json",
            {
                "service_code": "labour.wages",
                "address_id": HOME_TOWNSHIP,
                "description": w.foreign.matter_title + "，" + w.foreign.matter_request,
                "phone": w.foreign.petitioner_phone,
            },
            as_="anonymous",
        ),
    ]
)
route("open311-request")(
    lambda w: [GET(f"/open311/v2/requests/{w.foreign.matter_number}.json", as_="anonymous")]
)

# volunteers


def _volunteer_form(w, **extra):
    f = w.foreign
    data = {
        "name": "黎晓峰",
        "id_number": f.volunteer_id,
        "phone": f.volunteer_phone,
        "region": HOME_VILLAGE,
        "political_status": "masses",
        "languages": "普通话",
    }
    return {**data, **extra}


route("volunteers:list")(lambda w: searches("/volunteers/", w))
route("volunteers:create")(
    lambda w: [GET("/volunteers/new/"), POST("/volunteers/new/", _volunteer_form(w))]
)
simple("volunteers:detail", lambda w: f"/volunteers/{w.volunteer.pk}/")
route("volunteers:reveal")(lambda w: [POST(f"/volunteers/{w.volunteer.pk}/reveal/")])
route("volunteers:import")(
    lambda w: [
        POST(
            "/volunteers/import/volunteers/",
            {},
            upload=(
                "file",
                "v.csv",
                csv_file(
                    ["姓名", "身份证号", "手机号", "居住区划代码", "已书面同意"],
                    ["黎晓峰", w.foreign.volunteer_id, "13700137001", HOME_VILLAGE, "是"],
                ),
            ),
        ),
        POST(
            "/volunteers/import/records/",
            {},
            upload=(
                "file",
                "r.csv",
                csv_file(
                    ["志愿者编号或身份证号", "活动名称", "服务日期", "服务时长"],
                    [w.foreign.volunteer_number, "探访", date.today().isoformat(), "2"],
                    [w.foreign.volunteer_id, "探访", date.today().isoformat(), "2"],
                ),
            ),
        ),
    ]
)
route("volunteers:export_hours")(
    lambda w: [
        GET("/volunteers/export/hours-by-volunteer/"),
        GET("/volunteers/export/hours-by-team/"),
    ]
)
route("volunteers:teams")(lambda w: searches("/volunteers/teams/", w))
route("volunteers:team_create")(
    lambda w: [
        POST("/volunteers/teams/new/", {"name": "天河蓝天志愿服务二队", "kind": "community"})
    ]
)
route("volunteers:team")(
    lambda w: [
        GET(f"/volunteers/teams/{w.team.pk}/"),
        POST(f"/volunteers/teams/{w.team.pk}/", {"volunteer": w.foreign.volunteer_number}),
    ]
)
route("volunteers:member_action")(
    lambda w: [POST(f"/volunteers/teams/members/{w.team_member.pk}/leader/")]
)
route("volunteers:activities")(lambda w: searches("/volunteers/activities/", w))
route("volunteers:activity_create")(
    lambda w: [
        GET("/volunteers/activities/new/"),
        POST(
            "/volunteers/activities/new/",
            {
                "title": "英德长者陪伴活动",
                "service_type": "elderly",
                "address": "英城",
                "starts_at": (date.today() + timedelta(5)).isoformat() + "T09:00",
                "ends_at": (date.today() + timedelta(5)).isoformat() + "T11:00",
                "capacity": "3",
            },
        ),
    ]
)
simple("volunteers:activity", lambda w: f"/volunteers/activities/{w.activity.pk}/")
route("volunteers:assign")(
    lambda w: [
        GET(f"/volunteers/activities/{w.activity.pk}/assign/"),
        POST(
            f"/volunteers/activities/{w.activity.pk}/assign/",
            {"pair": f"{w.foreign.ids['volunteer']}:{w.shift.pk}"},
        ),
    ]
)
route("volunteers:activity_action")(
    lambda w: [
        POST(
            f"/volunteers/activities/{w.activity.pk}/shift/",
            {
                "title": "加班",
                "starts_at": (date.today() + timedelta(6)).isoformat() + "T09:00",
                "ends_at": (date.today() + timedelta(6)).isoformat() + "T10:00",
                "capacity": "2",
            },
        )
    ]
)
route("volunteers:activity_transition")(
    lambda w: [
        GET(f"/volunteers/activities/{w.activity.pk}/actions/shift/"),
        POST(
            f"/volunteers/activities/{w.activity.pk}/actions/shift/",
            {
                "title": "加班二",
                "starts_at": (date.today() + timedelta(7)).isoformat() + "T09:00",
                "ends_at": (date.today() + timedelta(7)).isoformat() + "T10:00",
                "capacity": "2",
            },
        ),
    ]
)
route("volunteers:suggest")(
    lambda w: [
        GET(f"/volunteers/shifts/{w.shift.pk}/suggest/"),
        POST(
            f"/volunteers/shifts/{w.shift.pk}/suggest/",
            {"volunteer": w.foreign.ids["volunteer"]},
        ),
    ]
)
route("volunteers:signup_action")(
    lambda w: [POST(f"/volunteers/signups/{w.pending_signup.pk}/accept/")]
)
route("volunteers:signup_transition")(
    lambda w: [POST(f"/volunteers/signups/{w.pending_signup.pk}/actions/accept/")]
)
route("volunteers:records")(lambda w: searches("/volunteers/records/", w))
route("volunteers:record")(
    lambda w: [
        GET(f"/volunteers/records/{w.record.pk}/"),
        GET(f"/volunteers/records/{w.record.pk}/", resident_q=w.foreign.resident_name),
        GET(f"/volunteers/records/{w.record.pk}/", resident_q=w.foreign.resident_phone),
        POST(f"/volunteers/records/{w.record.pk}/", {"quality_rating": "5"}),
    ]
)
route("volunteers:record_beneficiary_add")(
    lambda w: [
        POST(
            f"/volunteers/records/{w.record.pk}/beneficiaries/",
            {"resident": w.foreign.ids["resident"]},
        )
    ]
)
route("volunteers:record_beneficiary_remove")(
    lambda w: [
        POST(f"/volunteers/records/{w.record.pk}/beneficiaries/{w.foreign.ids['resident']}/remove/")
    ]
)
route("volunteers:record_confirm")(lambda w: [POST(f"/volunteers/records/{w.record.pk}/confirm/")])
route("volunteers:record_transition")(
    lambda w: [
        GET(f"/volunteers/records/{w.record.pk}/actions/correct/"),
        POST(f"/volunteers/records/{w.record.pk}/actions/rate/", {"quality_rating": "4"}),
    ]
)
simple(
    "volunteers:certificate_staff_pdf",
    lambda w: f"/volunteers/certificates/{w.certificate.pk}.pdf",
)
route("volunteers:stats")(
    lambda w: [GET("/volunteers/stats/"), GET("/volunteers/stats/", region=FOREIGN_DEPT_CODE)]
)
route("volunteers:me")(
    lambda w: [
        GET("/volunteers/me/", as_="volunteer"),
        POST("/volunteers/me/", {"code": "000000"}, as_="volunteer"),
    ]
)
route("volunteers:my_withdraw")(
    lambda w: [POST(f"/volunteers/me/signups/{w.signup.pk}/withdraw/", as_="volunteer")]
)
route("volunteers:my_certificate")(
    lambda w: [
        POST(
            f"/volunteers/me/certificates/issue/{w.foreign.ids['organisation']}/", as_="volunteer"
        ),
        POST(f"/volunteers/me/certificates/issue/{w.dept.pk}/", as_="volunteer"),
    ]
)
simple(
    "volunteers:certificate_pdf",
    lambda w: f"/volunteers/me/certificates/{w.certificate.pk}.pdf",
    as_="volunteer",
)

# portal (public)
for _name, _path in [
    ("portal:home", "/portal/"),
    ("portal:activities", "/portal/activities/"),
    ("portal:stats", "/portal/stats/"),
    ("portal:stats_json", "/portal/stats.json"),
    ("hsds:root", "/hsds/"),
    ("hsds:openapi", "/hsds/openapi.json"),
    ("hsds:services", "/hsds/services"),
    ("hsds:organizations", "/hsds/organizations"),
    ("hsds:locations", "/hsds/locations"),
    ("hsds:taxonomies", "/hsds/taxonomies"),
    ("hsds:taxonomy_terms", "/hsds/taxonomy_terms"),
]:
    route(_name)(lambda w, p=_path: searches(p, w, as_="anonymous"))
route("portal:sites")(
    lambda w: (
        searches("/portal/sites/", w, as_="anonymous")
        + [GET("/portal/sites/", as_="anonymous", q=w.foreign.organisation_name)]
    )
)
simple("portal:site", lambda w: f"/portal/sites/{w.station.pk}/", as_="anonymous")
simple("portal:activity", lambda w: f"/portal/activities/{w.activity.pk}/", as_="anonymous")
route("portal:shift_signup")(
    lambda w: [
        POST(
            f"/portal/shifts/{w.shift.pk}/signup/",
            {"number": w.foreign.volunteer_number, "phone": "13000000000"},
            as_="anonymous",
        ),
        POST(
            f"/portal/shifts/{w.shift.pk}/signup/",
            {"number": "V44188100000099", "phone": w.foreign.volunteer_phone},
            as_="anonymous",
        ),
    ]
)
route("portal:verify")(
    lambda w: [
        GET("/portal/verify/", as_="anonymous", number=w.foreign.volunteer_number),
        GET("/portal/verify/", as_="anonymous", number=w.foreign.receipt_number),
    ]
)
route("portal:register")(
    lambda w: [
        GET("/portal/register/", as_="anonymous", region="441881"),
        POST(
            "/portal/register/?region=441881",
            {
                **_volunteer_form(w),
                "county": "441881",
                "username": w.foreign.worker_username,
                "password": "Zhiyuan@2026!y",
                "consent": "on",
            },
            as_="anonymous",
        ),
    ]
)
for _name, _path, _kind in [
    ("hsds:service", "/hsds/services/{}", "service"),
    ("hsds:organization", "/hsds/organizations/{}", "organization"),
    ("hsds:location", "/hsds/locations/{}", "location"),
    ("hsds:taxonomy", "/hsds/taxonomies/{}", "taxonomy"),
    ("hsds:taxonomy_term", "/hsds/taxonomy_terms/{}", "term"),
]:
    route(_name)(
        lambda w, p=_path, kind=_kind: [
            GET(p.format(hsds_id(kind, w.station.pk)), as_="anonymous"),
            GET(p.format(hsds_id(kind, w.foreign.ids["organisation"])), as_="anonymous"),
        ]
    )

# funds
route("funds:index")(lambda w: searches("/funds/", w))
simple("funds:account", lambda w: f"/funds/accounts/{w.account.pk}/")
route("funds:entry_create")(
    lambda w: [
        GET("/funds/entries/new/"),
        POST(
            "/funds/entries/new/",
            {
                "from_account": w.account.pk,
                "to_account": w.foreign.ids["account"],
                "amount": "10",
                "memo": "探针",
                "idempotency_key": "probe-1",
            },
        ),
    ]
)
simple("funds:entry", lambda w: f"/funds/entries/{w.entry.pk}/")
route("funds:entry_reverse")(
    lambda w: [POST(f"/funds/entries/{w.entry.pk}/reverse/", {"reason": "探针"})]
)
simple("funds:plans", lambda w: "/funds/plans/")
route("funds:plan_create")(
    lambda w: [
        GET("/funds/plans/new/"),
        POST(
            "/funds/plans/new/",
            {"title": "探针方案", "period": "2027", "resource": "money", "pot": "100"},
        ),
    ]
)
simple("funds:plan", lambda w: f"/funds/plans/{w.plan.pk}/")
route("funds:plan_transition")(
    lambda w: [
        GET(f"/funds/plans/{w.plan.pk}/actions/submit/"),
        POST(f"/funds/plans/{w.plan.pk}/actions/submit/", {"note": "x"}),
    ]
)
route("funds:plan_copy")(lambda w: [POST(f"/funds/plans/{w.plan.pk}/copy/")])
simple("funds:receipts", lambda w: "/funds/receipts/")
route("funds:receipt_confirm")(lambda w: [POST(f"/funds/receipts/{w.recipient.pk}/confirm/")])
route("funds:receipt_transition")(
    lambda w: [
        GET(f"/funds/receipts/{w.recipient.pk}/actions/confirm/"),
        POST(f"/funds/receipts/{w.recipient.pk}/actions/confirm/"),
    ]
)
route("funds:population")(
    lambda w: [
        GET("/funds/population/"),
        POST(
            "/funds/population/",
            {"year": "2025", "figures": f"{FOREIGN_DEPT_CODE} 1000\n{HOME_TOWNSHIP} 2000"},
        ),
    ]
)
simple("funds:pairings", lambda w: "/funds/pairings/")
route("funds:pairing_create")(
    lambda w: [
        POST(
            "/funds/pairings/new/",
            {
                "receiver_region": FOREIGN_DEPT_CODE[:6],
                "year": "2027",
                "agreed_amount": "100",
                "title": "探针协作",
            },
        )
    ]
)
route("funds:pairing")(
    lambda w: [
        GET(f"/funds/pairings/{w.pairing.pk}/"),
        POST(
            f"/funds/pairings/{w.pairing.pk}/",
            {"amount": "1", "source": "local", "memo": "探针", "idempotency_key": "probe-2"},
        ),
    ]
)
route("funds:donations")(lambda w: searches("/funds/donations/", w))
route("funds:donation_create")(
    lambda w: [
        GET("/funds/donations/new/"),
        POST(
            "/funds/donations/new/",
            {
                "donor_kind": "person",
                "donor_name": "王大喜",
                "donor_phone": w.foreign.donor_phone,
                "kind": "money",
                "amount": "100",
                "received_on": date.today().isoformat(),
                "idempotency_key": "probe-3",
            },
        ),
    ]
)
route("funds:donation")(
    lambda w: [
        GET(f"/funds/donations/{w.donation.pk}/"),
        POST(
            f"/funds/donations/{w.donation.pk}/",
            {
                "target": "person",
                "beneficiary_region": FOREIGN_VILLAGE,
                "beneficiary_name": w.foreign.similar_name,
                "description": "探针",
                "amount": "1",
                "used_on": date.today().isoformat(),
            },
        ),
    ]
)
route("funds:report")(
    lambda w: [GET("/funds/reports/"), GET("/funds/reports/", region=FOREIGN_DEPT_CODE[:6])]
)
route("funds:report_export")(
    lambda w: [
        GET("/funds/reports/export/"),
        GET("/funds/reports/export/", region=FOREIGN_DEPT_CODE[:6]),
    ]
)
simple("funds:transparency", lambda w: f"/funds/public/{w.dept.pk}/", as_="anonymous")


# sign-in security, the second factor, the audit export (issue #10)
simple("accounts:profile", lambda w: "/accounts/profile/")
simple("accounts:two_factor", lambda w: "/accounts/two-factor/")
route("accounts:login_verify")(
    lambda w: [
        GET("/accounts/login/verify/", as_="anonymous"),
        POST("/accounts/login/verify/", {"code": "123456"}, as_="anonymous"),
    ]
)
route("accounts:password_change")(
    lambda w: [
        GET("/accounts/password/"),
        POST(
            "/accounts/password/",
            {
                "old_password": "wrong-password",
                "new_password1": w.foreign.worker_username,
                "new_password2": w.foreign.worker_username,
            },
        ),
    ]
)
route("accounts:otp_enrol")(
    lambda w: [
        GET("/accounts/two-factor/enrol/", replace="1"),
        POST("/accounts/two-factor/enrol/", {"device": w.foreign.ids["worker"], "code": "1"}),
    ]
)
route("accounts:otp_policy")(
    lambda w: [
        GET("/accounts/two-factor/policy/"),
        POST(
            "/accounts/two-factor/policy/",
            {"province_code": "44", "role": "station_worker", "required": "0"},
        ),
        POST("/accounts/two-factor/policy/", {"delete": "1"}),
    ]
)
route("accounts:user_reset_otp")(
    lambda w: [
        POST(f"/accounts/users/{w.foreign.ids['worker']}/reset-two-factor/"),
        POST(f"/accounts/users/{w.user.pk}/reset-two-factor/", follow=False),
    ]
)
route("accounts:locks")(lambda w: [GET("/accounts/locks/")])
route("accounts:lock_unlock")(
    lambda w: [POST("/accounts/locks/1/unlock/"), POST("/accounts/locks/999999/unlock/")]
)
route("accounts:audit_export")(
    lambda w: [
        GET("/accounts/audit/export/"),
        # (not the foreign names: the export's own audit row records its filter, which the
        # audit log probe would then read as typed by somebody else)
        GET("/accounts/audit/export/", action="consent"),
    ]
)
route("regions:suggest_public")(
    lambda w: [
        GET("/regions/suggest/public/", as_="anonymous", q="五山"),
        GET("/regions/suggest/public/", as_="anonymous", q=FOREIGN_VILLAGE),
    ]
)
simple("portal:register_submitted", lambda w: "/portal/register/submitted/", as_="anonymous")

# consent and the processing log (privacy)
route("privacy:consent_create")(
    lambda w: [
        GET(f"/privacy/residents/{w.resident.pk}/consents/new/"),
        POST(f"/privacy/residents/{w.resident.pk}/consents/new/", _api_consent()),
        GET(f"/privacy/residents/{w.foreign.ids['resident']}/consents/new/"),
        POST(f"/privacy/residents/{w.foreign.ids['resident']}/consents/new/", _api_consent()),
    ]
)
route("privacy:consent_withdraw")(
    lambda w: [
        GET(f"/privacy/consents/{w.foreign.ids['consent']}/withdraw/"),
        POST(f"/privacy/consents/{w.foreign.ids['consent']}/withdraw/", _api_withdrawal()),
        GET(f"/privacy/consents/{w.consent.pk}/withdraw/"),
    ]
)
route("privacy:processing_log")(
    lambda w: [
        GET(f"/privacy/residents/{w.resident.pk}/log/"),
        GET(f"/privacy/residents/{w.foreign.ids['resident']}/log/"),
    ]
)
route("privacy:processing_log_export")(
    lambda w: [
        GET(f"/privacy/residents/{w.resident.pk}/log/export/"),
        GET(f"/privacy/residents/{w.foreign.ids['resident']}/log/export/"),
    ]
)
simple("privacy:retention", lambda w: "/privacy/retention/")

# volunteer registrations from the portal, reviewed by staff
route("volunteers:applications")(
    lambda w: [
        GET("/volunteers/applications/"),
        GET("/volunteers/applications/", q=w.foreign.applicant_name),
    ]
)
route("volunteers:application_decide")(
    lambda w: [
        POST(f"/volunteers/applications/{w.foreign.ids['application']}/approve/"),
        POST(f"/volunteers/applications/{w.foreign.ids['application']}/reject/", {"note": "x"}),
    ]
)
route("volunteers:application_transition")(
    lambda w: [
        POST(f"/volunteers/applications/{w.foreign.ids['application']}/actions/approve/"),
        POST(
            f"/volunteers/applications/{w.foreign.ids['application']}/actions/reject/",
            {"reason": "x"},
        ),
    ]
)


# directives (issue #17): another county's directive copies, reports, inspections


def _period(w) -> str:
    return last_month().strftime("%Y-%m")


def _issue_form(w, **extra):
    return {
        "title": "英德探针督办",
        "category": "task",
        "priority": "normal",
        "level": "4",
        "region": "",
        "more_regions": "",
        "due_days": "20",
        "due_rule": "working",
        "ack_days": "3",
        "cadence": "",
        **extra,
    }


route("directives:list")(
    lambda w: [
        *searches("/directives/", w),
        GET("/directives/", q=w.foreign.directive_title),
        GET("/directives/", box="issued", region=FOREIGN_DEPT_CODE[:6]),
        GET("/directives/", box="received", q=w.foreign.rectification_text),
    ]
)
route("directives:tasks")(
    lambda w: [
        GET("/directives/tasks/"),
        GET("/directives/tasks/", q=w.foreign.directive_title, region=FOREIGN_DEPT_CODE[:6]),
    ]
)
route("directives:issue")(
    lambda w: [
        GET("/directives/new/"),
        POST("/directives/new/", _issue_form(w, region=FOREIGN_DEPT_CODE)),
        POST("/directives/new/", _issue_form(w, more_regions="天河区, 五山街道")),
        POST("/directives/new/", _issue_form(w, region=FOREIGN_DEPT_CODE, level="3")),
    ]
)
route("directives:detail")(
    lambda w: [
        GET(f"/directives/{w.foreign.ids['directive']}/"),
        GET(f"/directives/{w.foreign.ids['rectification']}/"),
        GET(f"/directives/{w.directive.pk}/"),
        GET(f"/directives/{w.province_directive.pk}/"),
        GET(f"/directives/{w.directive.pk}/", region=FOREIGN_DEPT_CODE[:6]),
        GET(f"/directives/{w.province_directive.pk}/", region="4401"),
    ]
)
route("directives:rollup")(
    lambda w: [
        GET(f"/directives/{w.foreign.ids['directive']}/rollup/"),
        GET(f"/directives/{w.directive.pk}/rollup/"),
        GET(f"/directives/{w.directive.pk}/rollup/", region=FOREIGN_DEPT_CODE[:6]),
        GET(f"/directives/{w.province_directive.pk}/rollup/", region="44"),
    ]
)
route("directives:remind")(
    lambda w: [
        POST(f"/directives/{w.foreign.ids['directive']}/remind/"),
        POST(f"/directives/{w.directive.pk}/remind/", {"region": FOREIGN_DEPT_CODE[:6]}),
        POST(f"/directives/{w.directive.pk}/remind/"),
        POST(f"/directives/{w.province_directive.pk}/remind/", {"region": "44"}),
    ]
)
route("directives:close")(
    lambda w: [
        POST(f"/directives/{w.foreign.ids['directive']}/close/"),
        POST(f"/directives/{w.foreign.ids['rectification']}/close/"),
        POST(f"/directives/{w.province_directive.pk}/close/"),
    ]
)
route("directives:attachment")(
    lambda w: [GET(f"/directives/attachments/{w.foreign.ids['directive_attachment']}/")]
)
route("directives:target")(
    lambda w: [
        GET(f"/directives/targets/{w.foreign.ids['target']}/"),
        GET(f"/directives/targets/{w.foreign.ids['rectification_target']}/"),
        GET(f"/directives/targets/{w.dept_target.pk}/"),
    ]
)
route("directives:target_transition")(
    lambda w: [
        GET(f"/directives/targets/{w.foreign.ids['target']}/actions/report/"),
        POST(f"/directives/targets/{w.foreign.ids['target']}/actions/acknowledge/"),
        POST(
            f"/directives/targets/{w.foreign.ids['target']}/actions/report/",
            {"text": "探针进展"},
        ),
        POST(
            f"/directives/targets/{w.foreign.ids['target']}/actions/return/",
            {"reason": "探针退回"},
        ),
        POST(f"/directives/targets/{w.foreign.ids['rectification_target']}/actions/accept/"),
        # 英德's own copy, cascaded to another county's units.
        GET(f"/directives/targets/{w.dept_target.pk}/actions/cascade/"),
        POST(
            f"/directives/targets/{w.dept_target.pk}/actions/cascade/",
            {"level": "4", "region": FOREIGN_TOWNSHIP, "more_regions": "", "instructions": "x"},
        ),
        POST(
            f"/directives/targets/{w.dept_target.pk}/actions/cascade/",
            {"level": "4", "region": "", "more_regions": "五山街道, 天河区", "instructions": "x"},
        ),
        POST(
            f"/directives/targets/{w.dept_target.pk}/actions/cascade/",
            {"level": "4", "region": "", "more_regions": "", "instructions": "x"},
        ),
    ]
)
route("directives:inspections")(
    lambda w: [
        *searches("/directives/inspections/", w),
        GET("/directives/inspections/", q=w.foreign.findings),
        GET("/directives/inspections/", q=w.foreign.inspectors),
    ]
)


def _inspection_form(w, **extra):
    return {
        "kind": "inspection",
        "region": HOME_TOWNSHIP,
        "organisation": "",
        "inspectors": "英德探针检查员",
        "visited_on": date.today().isoformat(),
        "findings": "英德探针发现",
        **extra,
    }


route("directives:inspection_create")(
    lambda w: [
        GET("/directives/inspections/new/"),
        POST("/directives/inspections/new/", _inspection_form(w, region=FOREIGN_TOWNSHIP)),
        POST(
            "/directives/inspections/new/",
            _inspection_form(w, organisation=str(w.foreign_station.pk)),
        ),
    ]
)
route("directives:inspection")(
    lambda w: [
        GET(f"/directives/inspections/{w.foreign.ids['inspection']}/"),
        GET(f"/directives/inspections/{w.inspection.pk}/"),
    ]
)
route("directives:rectification_add")(
    lambda w: [
        POST(
            f"/directives/inspections/{w.foreign.ids['inspection']}/items/",
            {"text": "探针整改", "unit": str(w.station.pk), "due_date": "2031-01-01"},
        ),
        POST(
            f"/directives/inspections/{w.inspection.pk}/items/",
            {"text": "探针整改", "unit": str(w.foreign_station.pk), "due_date": "2031-01-01"},
        ),
        POST(
            f"/directives/inspections/{w.inspection.pk}/items/",
            {
                "text": "探针整改",
                "unit": str(w.foreign.ids["organisation"]),
                "due_date": "2031-01-01",
            },
        ),
    ]
)


# reporting (issue #18): another county's report forms, submissions and values

route("reporting:index")(lambda w: [GET("/reporting/"), GET("/reporting/", q=w.foreign.form_name)])
route("reporting:form")(
    lambda w: [
        GET(f"/reporting/forms/{w.foreign.ids['form']}/"),
        GET(f"/reporting/forms/{w.form.pk}/", period=_period(w)),
    ]
)
route("reporting:fill_open")(
    lambda w: [
        POST(f"/reporting/forms/{w.foreign.ids['form']}/fill/", {"period": _period(w)}),
        POST(f"/reporting/forms/{w.form.pk}/fill/", {"period": _period(w)}),
    ]
)


def _rollups(name: str):
    def build(w):
        return [
            GET(f"/reporting/forms/{w.foreign.ids['form']}/{name}/", period=_period(w)),
            GET(
                f"/reporting/forms/{w.form.pk}/{name}/",
                period=_period(w),
                prefix=FOREIGN_DEPT_CODE[:6],
            ),
            GET(f"/reporting/forms/{w.form.pk}/{name}/", period=_period(w), prefix="44"),
            GET(f"/reporting/forms/{w.form.pk}/{name}/", period=_period(w)),
        ]

    return build


route("reporting:aggregate")(_rollups("aggregate"))
route("reporting:completeness")(_rollups("completeness"))
route("reporting:export")(
    lambda w: [
        GET(f"/reporting/forms/{w.foreign.ids['form']}/export/"),
        GET(f"/reporting/forms/{w.form.pk}/export/", submission=w.foreign.ids["submission"]),
        GET(f"/reporting/forms/{w.form.pk}/export/", submission=w.submission.pk),
    ]
)
route("reporting:submission")(
    lambda w: [
        GET(f"/reporting/submissions/{w.foreign.ids['submission']}/"),
        POST(
            f"/reporting/submissions/{w.foreign.ids['submission']}/",
            {"served": "1", "highlight": "探针", "do": "save"},
        ),
        GET(f"/reporting/submissions/{w.submission.pk}/"),
        POST(
            f"/reporting/submissions/{w.submission.pk}/",
            {"served": "2", "highlight": "探针", "do": "save"},
        ),
    ]
)
route("reporting:import")(
    lambda w: [
        GET(f"/reporting/submissions/{w.foreign.ids['submission']}/import/"),
        POST(
            f"/reporting/submissions/{w.foreign.ids['submission']}/import/",
            {"all_or_nothing": "on"},
            upload=("file", "values.csv", csv_file(["code", "value"], ["served", "3"])),
        ),
        POST(
            f"/reporting/submissions/{w.submission.pk}/import/",
            {"all_or_nothing": "on"},
            upload=("file", "values.csv", csv_file(["code", "value"], ["served", "3"])),
        ),
    ]
)
route("reporting:submission_transition")(
    lambda w: [
        GET(f"/reporting/submissions/{w.foreign.ids['submission']}/actions/return/"),
        POST(
            f"/reporting/submissions/{w.foreign.ids['submission']}/actions/return/",
            {"note": "探针退回"},
        ),
        POST(
            f"/reporting/submissions/{w.foreign.ids['submission']}/actions/forward/",
            {"note": ""},
        ),
        POST(
            f"/reporting/submissions/{w.foreign.ids['submission']}/actions/approve/",
            {"note": ""},
        ),
        POST(f"/reporting/submissions/{w.submission.pk}/actions/submit/"),
    ]
)


# defining a form: the foreign form's elements and rule by id, a rule naming foreign codes
def _foreign_form(w, tail: str = "") -> str:
    return f"/reporting/forms/{w.foreign.ids['form']}/{tail}"


def _draft_form(w, tail: str = "") -> str:
    return f"/reporting/forms/{w.draft_form.pk}/{tail}"


route("reporting:form_create")(
    lambda w: [
        GET("/reporting/forms/new/"),
        # the foreign form's name typed into a form that is refused (nothing saved), then a
        # form of 英德's own
        POST(
            "/reporting/forms/new/",
            {
                "name": w.foreign.form_name,
                "period_type": "monthly",
                "filling_level": "4",
                "due_days": "0",
                "due_rule": "calendar",
            },
        ),
        POST(
            "/reporting/forms/new/",
            {
                "name": "英德探针报表",
                "period_type": "monthly",
                "filling_level": "4",
                "due_days": "10",
                "due_rule": "calendar",
            },
        ),
    ]
)
route("reporting:form_settings")(
    lambda w: [
        GET(_foreign_form(w, "settings/")),
        POST(_foreign_form(w, "settings/"), {"name": "探针改名", "due_days": "5"}),
        GET(_draft_form(w, "settings/")),
        POST(
            _draft_form(w, "settings/"),
            {"name": "英德季度报表（改）", "due_days": "12", "due_rule": "calendar"},
        ),
    ]
)
route("reporting:form_activate")(
    lambda w: [
        POST(_foreign_form(w, "activate/"), {"active": "0"}),
        POST(_draft_form(w, "activate/"), {"active": "1"}),
    ]
)
route("reporting:element_add")(
    lambda w: [
        POST(_foreign_form(w, "elements/"), {"code": "probe", "label": "探针", "kind": "integer"}),
        POST(
            _draft_form(w, "elements/"),
            {"code": "probe", "label": "探针", "kind": "integer", "prefill": "visits_done"},
        ),
    ]
)
route("reporting:element_remove")(
    lambda w: [
        POST(_foreign_form(w, f"elements/{w.foreign.ids['form_element']}/remove/")),
        POST(_draft_form(w, f"elements/{w.foreign.ids['form_element']}/remove/")),
        POST(_draft_form(w, f"elements/{w.draft_element.pk}/remove/")),
    ]
)
route("reporting:rule_add")(
    lambda w: [
        POST(
            _foreign_form(w, "rules/"),
            {"name": "探针", "left": "women", "operator": "le", "right_codes": "served"},
        ),
        POST(
            _draft_form(w, "rules/"),
            {"name": "探针", "left": "women", "operator": "le", "right_codes": "served"},
        ),
        POST(
            _draft_form(w, "rules/"),
            {"name": "探针", "left": "total", "operator": "ge", "right_codes": "part"},
        ),
    ]
)
route("reporting:rule_remove")(
    lambda w: [
        POST(_foreign_form(w, f"rules/{w.foreign.ids['form_rule']}/remove/")),
        POST(_draft_form(w, f"rules/{w.foreign.ids['form_rule']}/remove/")),
        POST(_draft_form(w, f"rules/{w.draft_rule.pk}/remove/")),
    ]
)


# careers (issue #19): another county's workers, title applications, appraisals, records

route("careers:rounds")(lambda w: [GET("/careers/rounds/"), GET("/careers/rounds/", q="天河")])
route("careers:round_create")(
    lambda w: [
        GET("/careers/rounds/new/"),
        POST(
            "/careers/rounds/new/",
            {
                "title": "英德探针评审",
                "level": "social_worker",
                "year": "2031",
                "closes_on": "2031-01-01",
                "min_education": "college",
                "min_years": "3",
                "exam_valid_years": "3",
                "pass_score": "60",
            },
        ),
    ]
)
route("careers:round")(
    lambda w: [
        GET(f"/careers/rounds/{w.round.pk}/"),
        GET(f"/careers/rounds/{w.round.pk}/", q=w.foreign.profile_name),
    ]
)
route("careers:apply")(
    lambda w: [
        GET(f"/careers/rounds/{w.round.pk}/apply/"),
        POST(
            f"/careers/rounds/{w.round.pk}/apply/",
            {
                "worker": str(w.foreign.ids["profile"]),
                "years_in_social_work": "7",
                "exam_passed_on": (date.today() - timedelta(days=30)).isoformat(),
                "achievements": "探针业绩",
            },
        ),
        POST(
            f"/careers/rounds/{w.round.pk}/apply/",
            {
                "worker": str(w.profile.pk),
                "years_in_social_work": "7",
                "exam_passed_on": (date.today() - timedelta(days=30)).isoformat(),
                "achievements": "探针业绩",
            },
        ),
    ]
)
route("careers:application")(
    lambda w: [
        GET(f"/careers/applications/{w.foreign.ids['title_application']}/"),
        GET(f"/careers/applications/{w.application.pk}/"),
    ]
)
route("careers:application_action")(
    lambda w: [
        GET(f"/careers/applications/{w.foreign.ids['title_application']}/actions/confirm/"),
        POST(f"/careers/applications/{w.foreign.ids['title_application']}/actions/confirm/"),
        POST(
            f"/careers/applications/{w.foreign.ids['title_application']}/actions/return/",
            {"note": "探针退回"},
        ),
        POST(
            f"/careers/applications/{w.foreign.ids['title_application']}/actions/score/",
            {"score": "90", "comment": "x"},
        ),
        POST(f"/careers/applications/{w.application.pk}/actions/confirm/"),
    ]
)
route("careers:appraisals")(
    lambda w: [
        GET("/careers/appraisals/"),
        GET("/careers/appraisals/", scheme=w.foreign.ids["scheme"]),
        GET("/careers/appraisals/", scheme=w.scheme.pk, period=str(date.today().year - 1)),
        GET("/careers/appraisals/", q=w.foreign.profile_name, region=FOREIGN_DEPT_CODE[:6]),
    ]
)
route("careers:appraisal")(
    lambda w: [
        GET(f"/careers/appraisals/{w.foreign.ids['appraisal']}/"),
        POST(
            f"/careers/appraisals/{w.foreign.ids['appraisal']}/",
            {"do": "review", "supervisor_score": "10", "training_hours": "1", "comment": "x"},
        ),
        POST(
            f"/careers/appraisals/{w.foreign.ids['appraisal']}/",
            {"do": "grade", "grade": "incompetent"},
        ),
        GET(f"/careers/appraisals/{w.appraisal.pk}/"),
        POST(f"/careers/appraisals/{w.appraisal.pk}/", {"do": "grade", "grade": "excellent"}),
    ]
)


def _run_form(w):
    year = date.today().year - 1
    return {"period": str(year), "start": f"{year}-01-01", "end": f"{year}-12-31"}


route("careers:scheme_run")(
    lambda w: [
        GET(f"/careers/schemes/{w.foreign.ids['scheme']}/run/"),
        POST(f"/careers/schemes/{w.foreign.ids['scheme']}/run/", _run_form(w)),
        POST(f"/careers/schemes/{w.scheme.pk}/run/", _run_form(w)),
    ]
)
route("careers:conduct")(
    lambda w: [
        GET("/careers/conduct/"),
        GET("/careers/conduct/", kind="reward", q=w.foreign.profile_name),
    ]
)


def _conduct_form(**extra):
    return {
        "kind": "reward",
        "title": "探针表彰",
        "basis": "探针依据",
        "decided_on": date.today().isoformat(),
        "issuer": "英德市委社会工作部",
        **extra,
    }


route("careers:worker")(
    lambda w: [
        GET(f"/careers/workers/{w.foreign.ids['profile']}/"),
        POST(f"/careers/workers/{w.foreign.ids['profile']}/", _conduct_form()),
        GET(f"/careers/workers/{w.profile.pk}/"),
        POST(f"/careers/workers/{w.profile.pk}/", _conduct_form()),
    ]
)


def _staffing(path: str):
    return lambda w: [
        GET(path),
        GET(path, region=FOREIGN_DEPT_CODE[:6]),
        GET(path, region=FOREIGN_DEPT_CODE),
        GET(path, region=FOREIGN_TOWNSHIP),
        GET(path, region="44"),
    ]


route("careers:staffing")(_staffing("/careers/staffing/"))
route("careers:staffing_export")(_staffing("/careers/staffing/export/"))
route("careers:pay")(
    lambda w: [
        GET("/careers/pay/"),
        GET("/careers/pay/", year=str(date.today().year)),
        POST("/careers/pay/", {"year": str(date.today().year), "monthly_yuan": "6100"}),
    ]
)


# workforce (issue 16): another county's workers, certificates, registrations, training, mentors


def _worker_form(w, **extra):
    return {
        "name": "英德探针社工",
        "id_number": make_id_number("441881", date(1993, 3, 3), 67, "F"),
        "employer": str(w.station.pk),
        "education": "bachelor",
        "social_work_start_date": "2018-09-01",
        **extra,
    }


WORKER_HEADER = ["姓名", "身份证号", "学历", "工作单位", "从事社会工作起始时间"]

route("workforce:list")(
    lambda w: [
        *searches("/workforce/", w),
        GET("/workforce/", q=w.foreign.profile_name),
        GET("/workforce/", q=w.foreign.profile_id),
        GET("/workforce/", q=w.foreign.certificate_no, level="social_worker"),
        GET("/workforce/", region=FOREIGN_TOWNSHIP, status="left"),
    ]
)
route("workforce:export")(
    lambda w: [
        GET("/workforce/export.xlsx", q=w.foreign.profile_name),
        GET("/workforce/export.xlsx", q=w.foreign.profile_id),
        GET("/workforce/export.xlsx", region=FOREIGN_DEPT_CODE[:6]),
        GET("/workforce/export.xlsx"),
    ]
)
route("workforce:create")(
    lambda w: [
        GET("/workforce/new/"),
        POST("/workforce/new/", _worker_form(w, id_number=w.foreign.profile_id)),
        POST("/workforce/new/", _worker_form(w, id_number=w.foreign.mentor_id)),
        POST("/workforce/new/", _worker_form(w, employer=str(w.foreign_station.pk))),
        POST("/workforce/new/", _worker_form(w, employer=str(w.foreign.ids["organisation"]))),
    ]
)
route("workforce:import")(
    lambda w: [
        GET("/workforce/import/"),
        POST(
            "/workforce/import/",
            {"all_or_nothing": "0"},
            upload=(
                "file",
                "workers.csv",
                csv_file(
                    WORKER_HEADER,
                    ["英德探针社工", w.foreign.profile_id, "本科", w.station.name, "2018-09-01"],
                    ["英德探针社工二", w.foreign.mentor_id, "本科", w.station.name, "2018-09-01"],
                    [
                        "英德探针社工三",
                        make_id_number("441881", date(1994, 4, 4), 69, "M"),
                        "本科",
                        w.foreign.organisation_name,
                        "2018-09-01",
                    ],
                    [
                        "英德探针社工四",
                        make_id_number("441881", date(1994, 5, 5), 73, "M"),
                        "本科",
                        w.foreign.credit_code,
                        "2018-09-01",
                    ],
                ),
            ),
        ),
    ]
)
route("workforce:detail")(
    lambda w: [
        GET(f"/workforce/{w.foreign.ids['profile']}/"),
        GET(f"/workforce/{w.foreign.ids['mentor']}/"),
        GET(f"/workforce/{w.profile.pk}/"),
    ]
)
route("workforce:reveal")(
    lambda w: [
        POST(f"/workforce/{w.foreign.ids['profile']}/reveal/"),
        POST(f"/workforce/{w.profile.pk}/reveal/"),
    ]
)


def _certificate_form(**extra):
    return {"level": "social_worker", "number": "YD2025PROBE1", "issued_on": "2025-06-01", **extra}


route("workforce:certificate_add")(
    lambda w: [
        POST(f"/workforce/{w.foreign.ids['profile']}/certificates/", _certificate_form()),
        # The foreign certificate's number on a home worker: a uniqueness check must not say whose.
        POST(
            f"/workforce/{w.profile.pk}/certificates/",
            _certificate_form(number=w.foreign.certificate_no),
        ),
    ]
)
route("workforce:registration_add")(
    lambda w: [
        POST(
            f"/workforce/{w.foreign.ids['profile']}/registrations/",
            {
                "certificate": w.foreign.ids["certificate"],
                "registered_on": date.today().isoformat(),
            },
        ),
        POST(
            f"/workforce/{w.profile.pk}/registrations/",
            {
                "certificate": w.foreign.ids["certificate"],
                "registered_on": date.today().isoformat(),
            },
        ),
    ]
)
route("workforce:registration_renew")(
    lambda w: [POST(f"/workforce/registrations/{w.foreign.ids['registration']}/renew/")]
)


def _external_form(**extra):
    return {
        "title": "探针外部培训",
        "provider": "探针机构",
        "kind": "theory",
        "completed_on": date.today().isoformat(),
        "hours": "3",
        "evidence": "证书",
        **extra,
    }


route("workforce:external_add")(
    lambda w: [
        POST(f"/workforce/{w.foreign.ids['profile']}/external/", _external_form()),
        POST(f"/workforce/{w.profile.pk}/external/", _external_form()),
    ]
)
route("workforce:external_transition")(
    lambda w: [
        GET(f"/workforce/external/{w.foreign.ids['external']}/actions/approve/"),
        POST(f"/workforce/external/{w.foreign.ids['external']}/actions/approve/", {"note": "x"}),
        POST(f"/workforce/external/{w.foreign.ids['external']}/actions/reject/", {"note": "x"}),
    ]
)
route("workforce:at_risk")(
    lambda w: [
        GET("/workforce/registrations/at-risk/"),
        GET("/workforce/registrations/at-risk/", region=FOREIGN_DEPT_CODE[:6]),
    ]
)
route("workforce:courses")(
    lambda w: [GET("/workforce/courses/"), GET("/workforce/courses/", q=w.foreign.course_title)]
)


def _course_form(w, **extra):
    return {
        "title": "英德探针课程",
        "organiser": str(w.dept.pk),
        "kind": "theory",
        "starts_on": (date.today() + timedelta(days=3)).isoformat(),
        "ends_on": (date.today() + timedelta(days=4)).isoformat(),
        "hours": "4",
        "capacity": "20",
        **extra,
    }


route("workforce:course_create")(
    lambda w: [
        GET("/workforce/courses/new/"),
        POST("/workforce/courses/new/", _course_form(w, organiser=str(w.foreign_dept.pk))),
        POST(
            "/workforce/courses/new/",
            _course_form(w, organiser=str(w.foreign.ids["organisation"])),
        ),
    ]
)
route("workforce:course")(
    lambda w: [
        GET(f"/workforce/courses/{w.foreign.ids['course']}/"),
        GET(f"/workforce/courses/{w.course.pk}/"),
    ]
)
route("workforce:course_enrol")(
    lambda w: [
        POST(f"/workforce/courses/{w.foreign.ids['course']}/enrol/", {"worker": w.profile.pk}),
        POST(f"/workforce/courses/{w.course.pk}/enrol/", {"worker": w.foreign.ids["profile"]}),
    ]
)
route("workforce:attend")(
    lambda w: [
        POST(
            f"/workforce/enrolments/{w.foreign.ids['enrolment']}/attend/",
            {"attended": "1", "hours": "8"},
        ),
    ]
)
route("workforce:mentoring")(
    lambda w: [GET("/workforce/mentoring/"), GET("/workforce/mentoring/", q=w.foreign.mentor_name)]
)
route("workforce:pair_create")(
    lambda w: [
        POST(
            "/workforce/mentoring/new/",
            {"mentor": w.foreign.ids["mentor"], "mentee": w.profile.pk, "goals": "探针"},
        ),
        POST(
            "/workforce/mentoring/new/",
            {"mentor": w.mentor.pk, "mentee": w.foreign.ids["profile"], "goals": "探针"},
        ),
    ]
)
route("workforce:pair")(
    lambda w: [
        GET(f"/workforce/mentoring/{w.foreign.ids['pair']}/"),
        GET(f"/workforce/mentoring/{w.pair.pk}/"),
    ]
)


def _session_form(**extra):
    return {
        "held_on": date.today().isoformat(),
        "kind": "practice",
        "hours": "1",
        "topic": "探针主题",
        **extra,
    }


route("workforce:session_add")(
    lambda w: [
        POST(f"/workforce/mentoring/{w.foreign.ids['pair']}/sessions/", _session_form()),
        POST(
            f"/workforce/mentoring/{w.pair.pk}/sessions/",
            _session_form(visit=w.foreign.ids["visit"]),
        ),
    ]
)
route("workforce:pair_close")(
    lambda w: [
        POST(f"/workforce/mentoring/{w.foreign.ids['pair']}/close/", {"evaluation": "探针"}),
    ]
)


# ---- the API ---------------------------------------------------------------------------------


def _api_resident(w, **extra):
    return {**_resident_form(w), "categories": ["living_alone"], **extra}


def _api_matter(w, **extra):
    f = w.foreign
    return {
        "kind": "complaint",
        "channel": "hotline",
        "region_code": HOME_TOWNSHIP,
        "category_code": "labour.wages",
        "title": f.matter_title,
        "request": f.similar_request,
        "petitioners": [{"name": "张建军", "phone": f.petitioner_phone}],
        **extra,
    }


def api_searches(path: str, w) -> list[Probe]:
    f = w.foreign
    return [
        API("GET", path, q=f.resident_name),
        API("GET", path, q=f.resident_phone),
        API("GET", path, q=f.matter_number),
        API("GET", path, q=f.volunteer_number),
        API("GET", path, region=FOREIGN_VILLAGE),
    ]


def _api_consent(**extra):
    return {
        "purpose": "photos",
        "basis": "consent",
        "method": "written",
        "given_by": "self",
        "given_on": date.today().isoformat(),
        **extra,
    }


def _api_withdrawal(**extra):
    return {"withdrawn_on": date.today().isoformat(), "withdrawn_by_name": "本人", **extra}


API_ROUTES: dict[str, Callable[[Any], list[Probe]]] = {
    "GET /api/v1/regions/{code}": lambda w: [
        API("GET", f"/regions/{HOME_DEPT_CODE}"),
        API("GET", f"/regions/{FOREIGN_DEPT_CODE}"),
    ],
    "GET /api/v1/regions/": lambda w: [API("GET", "/regions/", q="五山")],
    "GET /api/v1/orgs/": lambda w: api_searches("/orgs/", w),
    "POST /api/v1/orgs/": lambda w: [
        API(
            "POST",
            "/orgs/",
            {
                "name": "英德启航社会工作服务中心",
                "kind": "sw_organisation",
                "region": HOME_DEPT_CODE,
                "credit_code": w.foreign.credit_code,
            },
        )
    ],
    "GET /api/v1/orgs/{org_id}": lambda w: [
        API("GET", f"/orgs/{w.station.pk}"),
        API("GET", f"/orgs/{w.foreign.ids['organisation']}"),
    ],
    "PATCH /api/v1/orgs/{org_id}": lambda w: [
        API("PATCH", f"/orgs/{w.station.pk}", {"credit_code": w.foreign.credit_code}),
        API("PATCH", f"/orgs/{w.foreign.ids['organisation']}", {"name": "改名"}),
    ],
    "GET /api/v1/orgs/{org_id}/history": lambda w: [API("GET", f"/orgs/{w.station.pk}/history")],
    "GET /api/v1/orgs/duty-holders": lambda w: [
        API("GET", "/orgs/duty-holders", text=w.foreign.duty_keyword),
        API("GET", "/orgs/duty-holders", text="探针", within=FOREIGN_DEPT_CODE[:6]),
    ],
    "GET /api/v1/orgs/{org_id}/duties": lambda w: [
        API("GET", f"/orgs/{w.foreign_station.pk}/duties"),
        API("GET", f"/orgs/{w.station.pk}/duties"),
    ],
    "GET /api/v1/orgs/{org_id}/duties/versions": lambda w: [
        API("GET", f"/orgs/{w.foreign_station.pk}/duties/versions"),
    ],
    "GET /api/v1/orgs/{org_id}/duties/{list_id}": lambda w: [
        API("GET", f"/orgs/{w.foreign_station.pk}/duties/{w.foreign.ids['duty_list']}"),
        API("GET", f"/orgs/{w.station.pk}/duties/{w.foreign.ids['duty_list']}"),
    ],
    "POST /api/v1/orgs/{org_id}/duties/publish": lambda w: [
        API("POST", f"/orgs/{w.foreign_station.pk}/duties/publish", {"items": [{"title": "改写"}]}),
        API("POST", f"/orgs/{w.station.pk}/duties/publish", {"items": [{"title": "改写"}]}),
    ],
    "GET /api/v1/orgs/standards": lambda w: [API("GET", "/orgs/standards")],
    "GET /api/v1/orgs/standards/applies": lambda w: [
        API("GET", "/orgs/standards/applies"),
        API("GET", "/orgs/standards/applies", region=FOREIGN_DEPT_CODE[:6]),
    ],
    "PUT /api/v1/orgs/standards": lambda w: [
        API(
            "PUT",
            "/orgs/standards",
            {"region": FOREIGN_DEPT_CODE[:4], "workers_per_station": 9, "document_title": "探针"},
        ),
        API("PUT", "/orgs/standards", {"workers_per_station": 1, "document_title": "探针"}),
    ],
    "GET /api/v1/orgs/standards/{standard_id}/history": lambda w: [
        API("GET", f"/orgs/standards/{_guangdong_standard()}/history")
    ],
    "GET /api/v1/accounts/me": lambda w: [API("GET", "/accounts/me")],
    "GET /api/v1/accounts/users": lambda w: [
        API("GET", "/accounts/users", q=w.foreign.worker_username),
        API("GET", "/accounts/users", q=w.foreign.worker_name),
    ],
    "GET /api/v1/accounts/users/{user_id}": lambda w: [
        API("GET", f"/accounts/users/{w.user.pk}"),
        API("GET", f"/accounts/users/{w.foreign.ids['worker']}"),
    ],
    "GET /api/v1/people/residents": lambda w: api_searches("/people/residents", w),
    "POST /api/v1/people/residents": lambda w: [
        API("POST", "/people/residents", _api_resident(w)),
        API(
            "POST",
            "/people/residents",
            _api_resident(w, id_number=w.foreign.resident_id, birth_date=None, sex=""),
        ),
        API(
            "POST",
            "/people/residents",
            _api_resident(w, name="英德新对象二", confirm_duplicates=True),
        ),
    ],
    # A bulk request: a new resident, the foreign resident's number, a foreign village, and
    # the same number twice — each item's answer may say only what the single route says.
    "POST /api/v1/people/residents/bulk": lambda w: [
        API(
            "POST",
            "/people/residents/bulk",
            {
                "mode": mode,
                "items": [
                    _api_resident(w, birth_date="1955-05-05"),
                    _api_resident(w, id_number=w.foreign.resident_id, birth_date="", sex=""),
                    _api_resident(
                        w,
                        name="英德新对象三",
                        id_number=make_id_number("441881", date(1956, 6, 6), 42, "F"),
                        region=FOREIGN_VILLAGE,
                        birth_date="",
                        sex="",
                    ),
                ],
            },
        )
        for mode in ("all_or_nothing", "valid_only")
    ],
    "GET /api/v1/people/residents/lookup": lambda w: [
        API("GET", "/people/residents/lookup", id_number=w.foreign.resident_id)
    ],
    "GET /api/v1/people/residents/{resident_id}": lambda w: [
        API("GET", f"/people/residents/{w.resident.pk}")
    ],
    "POST /api/v1/people/residents/{resident_id}/reveal": lambda w: [
        API("POST", f"/people/residents/{w.resident.pk}/reveal")
    ],
    "GET /api/v1/people/visit-plans/mine": lambda w: [API("GET", "/people/visit-plans/mine")],
    "GET /api/v1/people/visit-plans": lambda w: [
        API("GET", "/people/visit-plans"),
        API("GET", "/people/visit-plans", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/people/visit-plans", overdue="true", region=FOREIGN_DEPT_CODE[:6]),
    ],
    "GET /api/v1/people/residents/{resident_id}/visits": lambda w: [
        API("GET", f"/people/residents/{w.resident.pk}/visits")
    ],
    "POST /api/v1/people/residents/{resident_id}/visits": lambda w: [
        API(
            "POST",
            f"/people/residents/{w.resident.pk}/visits",
            {"visited_on": date.today().isoformat(), "mode": "phone"},
        )
    ],
    "GET /api/v1/people/residents/{resident_id}/assistance": lambda w: [
        API("GET", f"/people/residents/{w.resident.pk}/assistance")
    ],
    "POST /api/v1/people/residents/{resident_id}/assistance": lambda w: [
        API(
            "POST",
            f"/people/residents/{w.resident.pk}/assistance",
            {"kind": "material", "description": "米", "given_on": date.today().isoformat()},
        )
    ],
    "GET /api/v1/people/assistance": lambda w: [
        API("GET", "/people/assistance"),
        API("GET", "/people/assistance", region=FOREIGN_DEPT_CODE[:6]),
    ],
    "POST /api/v1/people/assistance/{pk}/actions/{action}": lambda w: [
        API("POST", f"/people/assistance/{w.assistance.pk}/actions/design", {}),
        API("POST", f"/people/assistance/{w.assistance.pk}/actions/accept", {}),
    ],
    "GET /api/v1/cases/": lambda w: api_searches("/cases/", w),
    "POST /api/v1/cases/": lambda w: [
        API(
            "POST",
            "/cases/",
            {"resident_id": w.foreign.ids["resident"], "title": "探针", "source": "self"},
        ),
        API("POST", "/cases/", {"resident_id": w.resident.pk, "title": "探针", "source": "self"}),
    ],
    "GET /api/v1/cases/{case_id}": lambda w: [API("GET", f"/cases/{w.case.pk}")],
    "POST /api/v1/cases/{case_id}/transitions": lambda w: [
        API("POST", f"/cases/{w.case.pk}/transitions", {"to_status": "closed", "note": "x"})
    ],
    "POST /api/v1/cases/{pk}/actions/{action}": lambda w: [
        API("POST", f"/cases/{w.case.pk}/actions/intervene", {"note": "x"}),
        API("POST", f"/cases/{w.case.pk}/actions/reopen", {}),
    ],
    "POST /api/v1/cases/reviews/{pk}/actions/{action}": lambda w: [
        API("POST", f"/cases/reviews/{w.review.pk}/actions/approve", {"comment": "ok"}),
        API("POST", f"/cases/reviews/{w.review.pk}/actions/return", {"comment": "x"}),
    ],
    "POST /api/v1/cases/referrals/{pk}/actions/{action}": lambda w: [
        API("POST", f"/cases/referrals/{w.referral.pk}/actions/accept", {"reason": ""}),
        API("POST", f"/cases/referrals/{w.referral.pk}/actions/decline", {"reason": "x"}),
    ],
    "POST /api/v1/cases/{case_id}/records": lambda w: [
        API(
            "POST",
            f"/cases/{w.case.pk}/records",
            {"served_on": date.today().isoformat(), "kind": "home", "content": "x"},
        )
    ],
    "GET /api/v1/petitions/matters": lambda w: api_searches("/petitions/matters", w),
    "POST /api/v1/petitions/matters": lambda w: [
        API("POST", "/petitions/matters", _api_matter(w)),
        API(
            "POST",
            "/petitions/matters",
            _api_matter(w, petitioners=[{"name": "另一人", "id_number": w.foreign.petitioner_id}]),
        ),
    ],
    "GET /api/v1/petitions/matters/{pk}": lambda w: [
        API("GET", f"/petitions/matters/{w.matter.pk}")
    ],
    "GET /api/v1/petitions/matters/{pk}/events": lambda w: [
        API("GET", f"/petitions/matters/{w.matter.pk}/events")
    ],
    "POST /api/v1/petitions/matters/{pk}/route": lambda w: [
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/route",
            {"organisation_id": w.foreign.ids["organisation"]},
        )
    ],
    "POST /api/v1/petitions/matters/{pk}/accept": lambda w: [
        API("POST", f"/petitions/matters/{w.matter.pk}/accept")
    ],
    "POST /api/v1/petitions/matters/{pk}/object": lambda w: [
        API("POST", f"/petitions/matters/{w.matter.pk}/object", {"reason": "x"})
    ],
    "POST /api/v1/petitions/matters/{pk}/reply": lambda w: [
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/reply",
            {"reply_kind": "explain", "text": "探针答复"},
        )
    ],
    "POST /api/v1/petitions/matters/{pk}/extend": lambda w: [
        API("POST", f"/petitions/matters/{w.matter.pk}/extend", {"days": 10, "reason": "x"})
    ],
    "POST /api/v1/petitions/matters/{pk}/close": lambda w: [
        API("POST", f"/petitions/matters/{w.matter.pk}/close")
    ],
    "GET /api/v1/petitions/matters/{pk}/followups": lambda w: [
        API("GET", f"/petitions/matters/{w.matter.pk}/followups")
    ],
    "POST /api/v1/petitions/matters/{pk}/followups": lambda w: [
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/followups",
            {"method": "phone", "notes": "x", "rating": "satisfied"},
        )
    ],
    "GET /api/v1/petitions/mediations/{pk}": lambda w: [
        API("GET", f"/petitions/mediations/{w.mediation.pk}")
    ],
    "GET /api/v1/petitions/mediations": lambda w: [API("GET", "/petitions/mediations")],
    "POST /api/v1/petitions/mediations/{pk}/confirmation": lambda w: [
        API("POST", f"/petitions/mediations/{w.mediation.pk}/confirmation", {"choice": "apply"})
    ],
    "GET /api/v1/petitions/rating-reviews": lambda w: [
        API("GET", "/petitions/rating-reviews", open_only="false")
    ],
    "POST /api/v1/petitions/rating-reviews/{pk}/close": lambda w: [
        API(
            "POST",
            f"/petitions/rating-reviews/{w.rating_review.pk}/close",
            {"outcome": "no_fault", "note": w.foreign.matter_number},
        )
    ],
    "POST /api/v1/petitions/mediations/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/petitions/mediations/{w.mediation.pk}/actions/session",
            {
                "held_on": date.today().isoformat(),
                "participants": "张建军",
                "record": "记录",
            },
        ),
        API("POST", f"/petitions/mediations/{w.mediation.pk}/actions/withdraw", {"note": "x"}),
    ],
    "POST /api/v1/petitions/matters/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/actions/merge",
            {"target": w.foreign.matter_number},
        ),
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/actions/route",
            {"organisation": w.foreign.ids["organisation"], "note": "x"},
        ),
        API(
            "POST",
            f"/petitions/matters/{w.matter.pk}/actions/assign_leader",
            {"leader": w.foreign.ids["worker"]},
        ),
        API("POST", f"/petitions/matters/{w.matter.pk}/actions/note", {"text": "探针备注"}),
    ],
    "GET /api/v1/volunteers/volunteers": lambda w: api_searches("/volunteers/volunteers", w),
    "POST /api/v1/volunteers/volunteers": lambda w: [
        API(
            "POST",
            "/volunteers/volunteers",
            {**_volunteer_form(w), "region": HOME_VILLAGE, "consent": True},
        )
    ],
    "GET /api/v1/volunteers/volunteers/{volunteer_id}": lambda w: [
        API("GET", f"/volunteers/volunteers/{w.volunteer.pk}")
    ],
    "GET /api/v1/volunteers/teams": lambda w: [API("GET", "/volunteers/teams")],
    "GET /api/v1/volunteers/teams/{team_id}": lambda w: [
        API("GET", f"/volunteers/teams/{w.team.pk}")
    ],
    "GET /api/v1/volunteers/activities": lambda w: api_searches("/volunteers/activities", w),
    "POST /api/v1/volunteers/activities": lambda w: [
        API(
            "POST",
            "/volunteers/activities",
            {
                "title": "英德长者陪伴活动",
                "service_type": "elderly",
                "region": HOME_TOWNSHIP,
                "address": "英城",
                "starts_at": (date.today() + timedelta(5)).isoformat() + "T09:00:00+08:00",
                "ends_at": (date.today() + timedelta(5)).isoformat() + "T11:00:00+08:00",
            },
        )
    ],
    "GET /api/v1/volunteers/activities/{activity_id}": lambda w: [
        API("GET", f"/volunteers/activities/{w.activity.pk}")
    ],
    "GET /api/v1/volunteers/activities/{activity_id}/signups": lambda w: [
        API("GET", f"/volunteers/activities/{w.activity.pk}/signups")
    ],
    "POST /api/v1/volunteers/shifts/{shift_id}/signups": lambda w: [
        API(
            "POST",
            f"/volunteers/shifts/{w.shift.pk}/signups",
            {"volunteer_id": w.foreign.ids["volunteer"]},
        ),
    ],
    "POST /api/v1/volunteers/signups/{signup_id}/{action}": lambda w: [
        API("POST", f"/volunteers/signups/{w.pending_signup.pk}/accept")
    ],
    "POST /api/v1/volunteers/signups/{pk}/actions/{action}": lambda w: [
        API("POST", f"/volunteers/signups/{w.pending_signup.pk}/actions/accept", {})
    ],
    "POST /api/v1/volunteers/activities/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/volunteers/activities/{w.activity.pk}/actions/shift",
            {
                "starts_at": (date.today() + timedelta(8)).isoformat() + "T09:00",
                "ends_at": (date.today() + timedelta(8)).isoformat() + "T10:00",
                "capacity": 2,
            },
        )
    ],
    "POST /api/v1/volunteers/records/{pk}/actions/{action}": lambda w: [
        API("POST", f"/volunteers/records/{w.record.pk}/actions/rate", {"quality_rating": 4})
    ],
    "POST /api/v1/volunteers/applications/{pk}/actions/{action}": lambda w: [
        API("POST", f"/volunteers/applications/{w.foreign.ids['application']}/actions/approve", {})
    ],
    "GET /api/v1/volunteers/records": lambda w: api_searches("/volunteers/records", w),
    "GET /api/v1/volunteers/records/{record_id}": lambda w: [
        API("GET", f"/volunteers/records/{w.record.pk}")
    ],
    "POST /api/v1/volunteers/records/{record_id}/confirm": lambda w: [
        API("POST", f"/volunteers/records/{w.record.pk}/confirm")
    ],
    "POST /api/v1/volunteers/records/{record_id}/correct": lambda w: [
        API("POST", f"/volunteers/records/{w.record.pk}/correct", {"hours": "1", "reason": "x"})
    ],
    "GET /api/v1/volunteers/records/{record_id}/beneficiaries": lambda w: [
        API("GET", f"/volunteers/records/{w.record.pk}/beneficiaries")
    ],
    "GET /api/v1/volunteers/records/{record_id}/resident-choices": lambda w: [
        API(
            "GET", f"/volunteers/records/{w.record.pk}/resident-choices", q=w.foreign.resident_name
        ),
        API(
            "GET", f"/volunteers/records/{w.record.pk}/resident-choices", q=w.foreign.resident_phone
        ),
    ],
    "POST /api/v1/volunteers/records/{record_id}/beneficiaries": lambda w: [
        API(
            "POST",
            f"/volunteers/records/{w.record.pk}/beneficiaries",
            {"resident_id": w.foreign.ids["resident"]},
        )
    ],
    "DELETE /api/v1/volunteers/records/{record_id}/beneficiaries/{resident_id}": lambda w: [
        API(
            "DELETE", f"/volunteers/records/{w.record.pk}/beneficiaries/{w.foreign.ids['resident']}"
        )
    ],
    "GET /api/v1/volunteers/residents/{resident_id}/services": lambda w: [
        API("GET", f"/volunteers/residents/{w.foreign.ids['resident']}/services"),
        API("GET", f"/volunteers/residents/{w.resident.pk}/services"),
    ],
    "GET /api/v1/people/categories": lambda w: [API("GET", "/people/categories")],
    "POST /api/v1/people/categories": lambda w: [
        API("POST", "/people/categories", {"code": "harness", "name": w.foreign.resident_name})
    ],
    "PATCH /api/v1/people/categories/{category_id}": lambda w: [
        API("PATCH", f"/people/categories/{w.category.pk}", {"name": "改名"})
    ],
    "GET /api/v1/volunteers/stats": lambda w: [
        API("GET", "/volunteers/stats"),
        API("GET", "/volunteers/stats", region=FOREIGN_DEPT_CODE[:6]),
    ],
    "GET /api/v1/funds/accounts": lambda w: api_searches("/funds/accounts", w),
    "GET /api/v1/funds/accounts/{account_id}": lambda w: [
        API("GET", f"/funds/accounts/{w.account.pk}")
    ],
    "GET /api/v1/funds/accounts/{account_id}/verify": lambda w: [
        API("GET", f"/funds/accounts/{w.account.pk}/verify")
    ],
    "GET /api/v1/funds/entries": lambda w: [API("GET", "/funds/entries")],
    "POST /api/v1/funds/entries": lambda w: [
        API(
            "POST",
            "/funds/entries",
            {
                "memo": "探针",
                "lines": [
                    {"account_id": w.foreign.ids["account"], "debit": 100},
                    {"account_id": w.account.pk, "credit": 100},
                ],
            },
        )
    ],
    "GET /api/v1/funds/entries/{entry_id}": lambda w: [API("GET", f"/funds/entries/{w.entry.pk}")],
    "POST /api/v1/funds/entries/{entry_id}/reverse": lambda w: [
        API("POST", f"/funds/entries/{w.entry.pk}/reverse", {"reason": "探针"})
    ],
    "GET /api/v1/funds/plans": lambda w: [API("GET", "/funds/plans")],
    "POST /api/v1/funds/plans": lambda w: [
        API("POST", "/funds/plans", {"title": "探针", "period": 2028, "pot": 10000})
    ],
    "GET /api/v1/funds/plans/{plan_id}": lambda w: [API("GET", f"/funds/plans/{w.plan.pk}")],
    "PATCH /api/v1/funds/plans/{plan_id}": lambda w: [
        API("PATCH", f"/funds/plans/{w.plan.pk}", {"title": "探针"})
    ],
    "POST /api/v1/funds/plans/{plan_id}/actions": lambda w: [
        API("POST", f"/funds/plans/{w.plan.pk}/actions", {"action": "submit"})
    ],
    "POST /api/v1/funds/receipts/{recipient_id}/confirm": lambda w: [
        API("POST", f"/funds/receipts/{w.recipient.pk}/confirm")
    ],
    "POST /api/v1/funds/receipts/{pk}/actions/{action}": lambda w: [
        API("POST", f"/funds/receipts/{w.recipient.pk}/actions/confirm", {})
    ],
    "GET /api/v1/funds/pairings": lambda w: [API("GET", "/funds/pairings")],
    "GET /api/v1/funds/pairings/{pairing_id}": lambda w: [
        API("GET", f"/funds/pairings/{w.pairing.pk}"),
        API("GET", f"/funds/pairings/{w.foreign.ids['pairing']}"),
    ],
    "POST /api/v1/funds/pairings": lambda w: [
        API(
            "POST",
            "/funds/pairings",
            {"receiver_region": FOREIGN_DEPT_CODE[:6], "year": 2028, "agreed_amount": 100},
        ),
    ],
    "POST /api/v1/funds/pairings/{pairing_id}/transfers": lambda w: [
        API("POST", f"/funds/pairings/{w.pairing.pk}/transfers", {"amount": 1, "memo": "探针"}),
        API("POST", f"/funds/pairings/{w.foreign.ids['pairing']}/transfers", {"amount": 1}),
    ],
    "GET /api/v1/funds/donations": lambda w: [API("GET", "/funds/donations")],
    "POST /api/v1/funds/donations": lambda w: [
        API(
            "POST",
            "/funds/donations",
            {
                "donor_kind": "person",
                "donor_name": "王大喜",
                "donor_phone": w.foreign.donor_phone,
                "kind": "money",
                "amount": 100,
                "received_on": date.today().isoformat(),
            },
        )
    ],
    "GET /api/v1/funds/donations/{donation_id}/trace": lambda w: [
        API("GET", f"/funds/donations/{w.donation.pk}/trace")
    ],
    "POST /api/v1/funds/donations/{donation_id}/uses": lambda w: [
        API(
            "POST",
            f"/funds/donations/{w.donation.pk}/uses",
            {
                "target": "person",
                "purpose": "",
                "beneficiary_region": FOREIGN_VILLAGE,
                "beneficiary_name": w.foreign.similar_name,
                "description": "探针",
                "amount": 1,
                "used_on": date.today().isoformat(),
            },
        )
    ],
    "POST /api/v1/funds/plans/{pk}/actions/{action}": lambda w: [
        API("POST", f"/funds/plans/{w.plan.pk}/actions/submit", {"note": "探针"}),
        API("POST", f"/funds/plans/{w.plan.pk}/actions/approve", {}),
    ],
    "GET /api/v1/privacy/purposes": lambda w: [API("GET", "/privacy/purposes")],
    "GET /api/v1/privacy/retention": lambda w: [API("GET", "/privacy/retention")],
    "GET /api/v1/privacy/residents/{resident_id}/consents": lambda w: [
        API("GET", f"/privacy/residents/{w.resident.pk}/consents"),
        API("GET", f"/privacy/residents/{w.foreign.ids['resident']}/consents"),
    ],
    "GET /api/v1/privacy/residents/{resident_id}/processing-log": lambda w: [
        API("GET", f"/privacy/residents/{w.resident.pk}/processing-log"),
        API("GET", f"/privacy/residents/{w.foreign.ids['resident']}/processing-log"),
    ],
    "POST /api/v1/privacy/residents/{resident_id}/consents": lambda w: [
        API("POST", f"/privacy/residents/{w.resident.pk}/consents", _api_consent()),
        API("POST", f"/privacy/residents/{w.foreign.ids['resident']}/consents", _api_consent()),
    ],
    "POST /api/v1/privacy/consents/{consent_id}/withdraw": lambda w: [
        API("POST", f"/privacy/consents/{w.foreign.ids['consent']}/withdraw", _api_withdrawal()),
        API("POST", f"/privacy/consents/{w.consent.pk}/withdraw", _api_withdrawal()),
    ],
    "GET /api/v1/inbox/": lambda w: [API("GET", "/inbox/")],
    "POST /api/v1/inbox/{pk}/read": lambda w: [API("POST", f"/inbox/{w.notification.pk}/read")],
}
ROUTES.update(API_ROUTES)

# directives, reporting and careers (issues #17-#19): the API side of the pages' probes
NEW_APP_API: dict[str, Callable[[Any], list[Probe]]] = {
    "GET /api/v1/directives/directives": lambda w: [
        API("GET", "/directives/directives"),
        API("GET", "/directives/directives", box="issued"),
        API("GET", "/directives/directives", box="received"),
    ],
    "POST /api/v1/directives/directives": lambda w: [
        API(
            "POST",
            "/directives/directives",
            {"title": "探针", "level": 4, "due_days": 20, "regions": [FOREIGN_DEPT_CODE]},
        ),
        API(
            "POST",
            "/directives/directives",
            {"title": "探针", "level": 4, "due_days": 20, "regions": [FOREIGN_TOWNSHIP]},
        ),
    ],
    "GET /api/v1/directives/directives/{directive_id}": lambda w: [
        API("GET", f"/directives/directives/{w.foreign.ids['directive']}"),
        API("GET", f"/directives/directives/{w.foreign.ids['rectification']}"),
        API("GET", f"/directives/directives/{w.province_directive.pk}"),
    ],
    "GET /api/v1/directives/directives/{directive_id}/rollup": lambda w: [
        API("GET", f"/directives/directives/{w.foreign.ids['directive']}/rollup"),
        API("GET", f"/directives/directives/{w.directive.pk}/rollup", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", f"/directives/directives/{w.directive.pk}/rollup"),
        API("GET", f"/directives/directives/{w.province_directive.pk}/rollup"),
        API("GET", f"/directives/directives/{w.province_directive.pk}/rollup", region="44"),
        API("GET", f"/directives/directives/{w.province_directive.pk}/rollup", region="4401"),
    ],
    "GET /api/v1/directives/directives/{directive_id}/targets": lambda w: [
        API("GET", f"/directives/directives/{w.foreign.ids['directive']}/targets"),
        API("GET", f"/directives/directives/{w.province_directive.pk}/targets"),
        API("GET", f"/directives/directives/{w.directive.pk}/targets", overdue="true"),
    ],
    "POST /api/v1/directives/directives/{directive_id}/remind": lambda w: [
        API("POST", f"/directives/directives/{w.foreign.ids['directive']}/remind"),
        API(
            "POST",
            f"/directives/directives/{w.directive.pk}/remind",
            region=FOREIGN_DEPT_CODE[:6],
        ),
        API("POST", f"/directives/directives/{w.directive.pk}/remind"),
    ],
    "POST /api/v1/directives/directives/{directive_id}/close": lambda w: [
        API("POST", f"/directives/directives/{w.foreign.ids['directive']}/close"),
        API("POST", f"/directives/directives/{w.foreign.ids['rectification']}/close"),
    ],
    "GET /api/v1/directives/targets": lambda w: [API("GET", "/directives/targets")],
    "GET /api/v1/directives/targets/{target_id}": lambda w: [
        API("GET", f"/directives/targets/{w.foreign.ids['target']}"),
        API("GET", f"/directives/targets/{w.foreign.ids['rectification_target']}"),
        API("GET", f"/directives/targets/{w.dept_target.pk}"),
    ],
    "GET /api/v1/directives/targets/{target_id}/reports": lambda w: [
        API("GET", f"/directives/targets/{w.foreign.ids['target']}/reports"),
        API("GET", f"/directives/targets/{w.dept_target.pk}/reports"),
    ],
    "POST /api/v1/directives/targets/{pk}/actions/{action}": lambda w: [
        API("POST", f"/directives/targets/{w.foreign.ids['target']}/actions/acknowledge"),
        API(
            "POST",
            f"/directives/targets/{w.foreign.ids['target']}/actions/report",
            {"text": "探针进展"},
        ),
        API(
            "POST",
            f"/directives/targets/{w.foreign.ids['rectification_target']}/actions/return",
            {"reason": "探针退回"},
        ),
        API(
            "POST",
            f"/directives/targets/{w.dept_target.pk}/actions/cascade",
            {"level": 4, "regions": [FOREIGN_TOWNSHIP], "instructions": "x"},
        ),
        API(
            "POST",
            f"/directives/targets/{w.dept_target.pk}/actions/cascade",
            {"level": 4, "regions": [FOREIGN_DEPT_CODE[:6]], "instructions": "x"},
        ),
        API(
            "POST",
            f"/directives/targets/{w.dept_target.pk}/actions/cascade",
            {"level": 4, "instructions": "x"},
        ),
    ],
    "GET /api/v1/directives/inspections": lambda w: [API("GET", "/directives/inspections")],
    "POST /api/v1/directives/inspections": lambda w: [
        API(
            "POST",
            "/directives/inspections",
            {
                "region": FOREIGN_TOWNSHIP,
                "inspectors": "探针",
                "visited_on": date.today().isoformat(),
                "findings": "探针",
            },
        ),
        API(
            "POST",
            "/directives/inspections",
            {
                "region": HOME_TOWNSHIP,
                "organisation_id": w.foreign_station.pk,
                "inspectors": "探针",
                "visited_on": date.today().isoformat(),
                "findings": "探针",
            },
        ),
    ],
    "GET /api/v1/directives/inspections/{inspection_id}": lambda w: [
        API("GET", f"/directives/inspections/{w.foreign.ids['inspection']}"),
        API("GET", f"/directives/inspections/{w.inspection.pk}"),
    ],
    "GET /api/v1/directives/inspections/{inspection_id}/items": lambda w: [
        API("GET", f"/directives/inspections/{w.foreign.ids['inspection']}/items"),
        API("GET", f"/directives/inspections/{w.inspection.pk}/items"),
    ],
    "POST /api/v1/directives/inspections/{inspection_id}/items": lambda w: [
        API(
            "POST",
            f"/directives/inspections/{w.foreign.ids['inspection']}/items",
            {"items": [{"text": "探针", "unit_id": w.station.pk, "due_date": "2031-01-01"}]},
        ),
        API(
            "POST",
            f"/directives/inspections/{w.inspection.pk}/items",
            {
                "items": [
                    {"text": "探针", "unit_id": w.foreign_station.pk, "due_date": "2031-01-01"}
                ]
            },
        ),
        API(
            "POST",
            f"/directives/inspections/{w.inspection.pk}/items",
            {
                "items": [
                    {
                        "text": "探针",
                        "unit_id": w.foreign.ids["organisation"],
                        "due_date": "2031-01-01",
                    }
                ]
            },
        ),
    ],
    "GET /api/v1/reporting/forms": lambda w: [API("GET", "/reporting/forms")],
    "GET /api/v1/reporting/forms/{form_id}": lambda w: [
        API("GET", f"/reporting/forms/{w.foreign.ids['form']}"),
        API("GET", f"/reporting/forms/{w.form.pk}"),
    ],
    "GET /api/v1/reporting/forms/{form_id}/aggregate": lambda w: [
        API("GET", f"/reporting/forms/{w.foreign.ids['form']}/aggregate", period=_period(w)),
        API(
            "GET",
            f"/reporting/forms/{w.form.pk}/aggregate",
            period=_period(w),
            prefix=FOREIGN_DEPT_CODE[:6],
        ),
        API("GET", f"/reporting/forms/{w.form.pk}/aggregate", period=_period(w), prefix="44"),
    ],
    "GET /api/v1/reporting/forms/{form_id}/completeness": lambda w: [
        API("GET", f"/reporting/forms/{w.foreign.ids['form']}/completeness", period=_period(w)),
        API(
            "GET",
            f"/reporting/forms/{w.form.pk}/completeness",
            period=_period(w),
            prefix=FOREIGN_DEPT_CODE[:6],
        ),
        API("GET", f"/reporting/forms/{w.form.pk}/completeness", period=_period(w), prefix="44"),
    ],
    "GET /api/v1/reporting/submissions": lambda w: [
        API("GET", "/reporting/submissions"),
        API("GET", "/reporting/submissions", form_id=w.foreign.ids["form"]),
        API("GET", "/reporting/submissions", form_id=w.form.pk, period=_period(w)),
    ],
    "POST /api/v1/reporting/submissions": lambda w: [
        API(
            "POST",
            "/reporting/submissions",
            {"form_id": w.foreign.ids["form"], "period": _period(w)},
        ),
        API("POST", "/reporting/submissions", {"form_id": w.form.pk, "period": _period(w)}),
    ],
    "GET /api/v1/reporting/submissions/{submission_id}": lambda w: [
        API("GET", f"/reporting/submissions/{w.foreign.ids['submission']}"),
        API("GET", f"/reporting/submissions/{w.submission.pk}"),
    ],
    "GET /api/v1/reporting/submissions/{submission_id}/values": lambda w: [
        API("GET", f"/reporting/submissions/{w.foreign.ids['submission']}/values"),
        API("GET", f"/reporting/submissions/{w.submission.pk}/values"),
    ],
    "POST /api/v1/reporting/forms": lambda w: [
        API("POST", "/reporting/forms", {"name": w.foreign.form_name, "filling_level": 9}),
        API("POST", "/reporting/forms", {"name": "英德探针报表", "filling_level": 4}),
    ],
    "PATCH /api/v1/reporting/forms/{form_id}": lambda w: [
        API("PATCH", f"/reporting/forms/{w.foreign.ids['form']}", {"name": "探针改名"}),
        API("PATCH", f"/reporting/forms/{w.draft_form.pk}", {"description": "探针说明"}),
    ],
    "POST /api/v1/reporting/forms/{form_id}/elements": lambda w: [
        API(
            "POST",
            f"/reporting/forms/{w.foreign.ids['form']}/elements",
            {"code": "p", "label": "探针"},
        ),
        API(
            "POST",
            f"/reporting/forms/{w.draft_form.pk}/elements",
            {"code": "women", "label": "探针"},
        ),
    ],
    "DELETE /api/v1/reporting/forms/{form_id}/elements/{element_id}": lambda w: [
        API(
            "DELETE",
            f"/reporting/forms/{w.foreign.ids['form']}/elements/{w.foreign.ids['form_element']}",
        ),
        API(
            "DELETE", f"/reporting/forms/{w.draft_form.pk}/elements/{w.foreign.ids['form_served']}"
        ),
    ],
    "POST /api/v1/reporting/forms/{form_id}/rules": lambda w: [
        API(
            "POST",
            f"/reporting/forms/{w.foreign.ids['form']}/rules",
            {"name": "探针", "left": "women", "operator": "le", "right_codes": "served"},
        ),
        API(
            "POST",
            f"/reporting/forms/{w.draft_form.pk}/rules",
            {"name": "探针", "left": "women", "operator": "le", "right_codes": "served"},
        ),
    ],
    "DELETE /api/v1/reporting/forms/{form_id}/rules/{rule_id}": lambda w: [
        API(
            "DELETE", f"/reporting/forms/{w.foreign.ids['form']}/rules/{w.foreign.ids['form_rule']}"
        ),
        API("DELETE", f"/reporting/forms/{w.draft_form.pk}/rules/{w.foreign.ids['form_rule']}"),
    ],
    "PUT /api/v1/reporting/submissions/{submission_id}/values": lambda w: [
        API(
            "PUT",
            f"/reporting/submissions/{w.foreign.ids['submission']}/values",
            {"values": {"served": 1, "highlight": "探针"}},
        ),
        API(
            "PUT",
            f"/reporting/submissions/{w.submission.pk}/values",
            {"values": {"served": 2, "highlight": "探针"}},
        ),
    ],
    "POST /api/v1/reporting/submissions/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/reporting/submissions/{w.foreign.ids['submission']}/actions/return",
            {"note": "探针退回"},
        ),
        API(
            "POST",
            f"/reporting/submissions/{w.foreign.ids['submission']}/actions/forward",
            {"note": ""},
        ),
        API("POST", f"/reporting/submissions/{w.submission.pk}/actions/submit"),
    ],
    "GET /api/v1/careers/rounds": lambda w: [API("GET", "/careers/rounds")],
    "POST /api/v1/careers/rounds": lambda w: [
        API(
            "POST",
            "/careers/rounds",
            {
                "title": "探针",
                "level": "social_worker",
                "year": 2031,
                "closes_on": "2031-01-01",
                "min_education": "college",
                "min_years": 3,
            },
        )
    ],
    "GET /api/v1/careers/rounds/{round_id}": lambda w: [
        API("GET", f"/careers/rounds/{w.round.pk}")
    ],
    "POST /api/v1/careers/rounds/{round_id}/applications": lambda w: [
        API(
            "POST",
            f"/careers/rounds/{w.round.pk}/applications",
            {
                "worker_id": w.foreign.ids["profile"],
                "years_in_social_work": 7,
                "exam_passed_on": (date.today() - timedelta(days=30)).isoformat(),
                "achievements": "探针",
            },
        ),
        API(
            "POST",
            f"/careers/rounds/{w.round.pk}/applications",
            {
                "worker_id": w.profile.pk,
                "years_in_social_work": 7,
                "exam_passed_on": (date.today() - timedelta(days=30)).isoformat(),
                "achievements": "探针",
            },
        ),
    ],
    "GET /api/v1/careers/applications": lambda w: [
        API("GET", "/careers/applications"),
        API("GET", "/careers/applications", round_id=w.round.pk),
    ],
    "GET /api/v1/careers/applications/{application_id}": lambda w: [
        API("GET", f"/careers/applications/{w.foreign.ids['title_application']}"),
        API("GET", f"/careers/applications/{w.application.pk}"),
    ],
    "POST /api/v1/careers/applications/{pk}/actions/{action}": lambda w: [
        API("POST", f"/careers/applications/{w.foreign.ids['title_application']}/actions/confirm"),
        API(
            "POST",
            f"/careers/applications/{w.foreign.ids['title_application']}/actions/return",
            {"note": "探针"},
        ),
        API("POST", f"/careers/applications/{w.application.pk}/actions/confirm"),
    ],
    "GET /api/v1/careers/appraisals": lambda w: [
        API("GET", "/careers/appraisals"),
        API("GET", "/careers/appraisals", scheme_id=w.foreign.ids["scheme"]),
        API("GET", "/careers/appraisals", worker_id=w.foreign.ids["profile"]),
    ],
    "GET /api/v1/careers/appraisals/{appraisal_id}": lambda w: [
        API("GET", f"/careers/appraisals/{w.foreign.ids['appraisal']}"),
        API("GET", f"/careers/appraisals/{w.appraisal.pk}"),
    ],
    "POST /api/v1/careers/appraisals/{appraisal_id}/review": lambda w: [
        API(
            "POST",
            f"/careers/appraisals/{w.foreign.ids['appraisal']}/review",
            {"supervisor_score": 10, "comment": "探针"},
        ),
        API(
            "POST",
            f"/careers/appraisals/{w.appraisal.pk}/review",
            {"supervisor_score": 80, "comment": "探针"},
        ),
    ],
    "POST /api/v1/careers/appraisals/{appraisal_id}/grade": lambda w: [
        API(
            "POST",
            f"/careers/appraisals/{w.foreign.ids['appraisal']}/grade",
            {"grade": "incompetent"},
        ),
        API("POST", f"/careers/appraisals/{w.appraisal.pk}/grade", {"grade": "excellent"}),
    ],
    "POST /api/v1/careers/schemes/{scheme_id}/run": lambda w: [
        API("POST", f"/careers/schemes/{w.foreign.ids['scheme']}/run", _run_form(w)),
        API("POST", f"/careers/schemes/{w.scheme.pk}/run", _run_form(w)),
    ],
    "GET /api/v1/careers/conduct": lambda w: [
        API("GET", "/careers/conduct"),
        API("GET", "/careers/conduct", worker_id=w.foreign.ids["profile"]),
        API("GET", "/careers/conduct", kind="reward"),
    ],
    "POST /api/v1/careers/conduct": lambda w: [
        API("POST", "/careers/conduct", _conduct_form(worker_id=w.foreign.ids["profile"])),
        API("POST", "/careers/conduct", _conduct_form(worker_id=w.profile.pk)),
    ],
    "GET /api/v1/careers/staffing": lambda w: [
        API("GET", "/careers/staffing"),
        API("GET", "/careers/staffing", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/careers/staffing", region=FOREIGN_TOWNSHIP),
        API("GET", "/careers/staffing", region="44"),
    ],
}
ROUTES.update(NEW_APP_API)

# party (issue 17): the register and the coverage roll-up, pages and API


def _party_form(w, **extra):
    return {
        "name": "探针党支部",
        "kind": "branch",
        "host": str(w.station.pk),
        "established_on": (date.today() - timedelta(days=30)).isoformat(),
        "secretary": "探针书记",
        "members_count": "5",
        **extra,
    }


def _party_body(w, **extra):
    return {
        "name": "探针党支部",
        "kind": "branch",
        "host_id": w.station.pk,
        "established_on": (date.today() - timedelta(days=30)).isoformat(),
        "secretary": "探针书记",
        "members_count": 5,
        "covered_ids": [],
        **extra,
    }


route("party:organisations")(
    lambda w: [
        GET("/party/organisations/"),
        GET("/party/organisations/", q=w.foreign.party_org_name, active="all"),
        GET("/party/organisations/", q=w.foreign.organisation_name, active="all"),
    ]
)
route("party:organisation_create")(
    lambda w: [
        GET("/party/organisations/new/"),
        POST("/party/organisations/new/", _party_form(w, host=str(w.foreign.ids["organisation"]))),
        POST(
            "/party/organisations/new/",
            _party_form(w, is_joint="on", covered=[str(w.foreign.ids["organisation"])]),
        ),
        POST("/party/organisations/new/", _party_form(w, members_count="2")),
    ]
)
route("party:organisation")(lambda w: [GET(f"/party/organisations/{w.foreign.ids['party_org']}/")])
route("party:organisation_edit")(
    lambda w: [
        GET(f"/party/organisations/{w.foreign.ids['party_org']}/edit/"),
        POST(f"/party/organisations/{w.foreign.ids['party_org']}/edit/", _party_form(w)),
    ]
)
route("party:dissolve")(
    lambda w: [
        POST(
            f"/party/organisations/{w.foreign.ids['party_org']}/dissolve/",
            {"dissolved_on": date.today().isoformat()},
        )
    ]
)
route("party:coverage")(_staffing("/party/coverage/"))
route("party:coverage_export")(_staffing("/party/coverage/export/"))
ROUTES.update(
    {
        "GET /api/v1/party/organisations": lambda w: [
            API("GET", "/party/organisations", active="all"),
            API("GET", "/party/organisations", q=w.foreign.party_org_name, active="all"),
        ],
        "POST /api/v1/party/organisations": lambda w: [
            API(
                "POST",
                "/party/organisations",
                _party_body(w, host_id=w.foreign.ids["organisation"]),
            ),
            API(
                "POST",
                "/party/organisations",
                _party_body(w, is_joint=True, covered_ids=[w.foreign.ids["organisation"]]),
            ),
        ],
        "GET /api/v1/party/organisations/{party_id}": lambda w: [
            API("GET", f"/party/organisations/{w.foreign.ids['party_org']}")
        ],
        "PUT /api/v1/party/organisations/{party_id}": lambda w: [
            API("PUT", f"/party/organisations/{w.foreign.ids['party_org']}", _party_body(w))
        ],
        "POST /api/v1/party/organisations/{party_id}/dissolve": lambda w: [
            API(
                "POST",
                f"/party/organisations/{w.foreign.ids['party_org']}/dissolve",
                {"dissolved_on": date.today().isoformat()},
            )
        ],
        "GET /api/v1/party/coverage": lambda w: [
            API("GET", "/party/coverage"),
            API("GET", "/party/coverage", region=FOREIGN_DEPT_CODE[:6]),
            API("GET", "/party/coverage", region=FOREIGN_TOWNSHIP),
            API("GET", "/party/coverage", region="44"),
        ],
    }
)

# workforce (issue 16): the API side
WORKFORCE_API_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "GET /api/v1/workforce/profiles": lambda w: [
        API("GET", "/workforce/profiles"),
        API("GET", "/workforce/profiles", q=w.foreign.profile_name),
        API("GET", "/workforce/profiles", q=w.foreign.profile_id),
        API("GET", "/workforce/profiles", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/workforce/profiles", level="social_worker"),
    ],
    "POST /api/v1/workforce/profiles": lambda w: [
        API(
            "POST",
            "/workforce/profiles",
            {
                "name": "英德探针社工",
                "id_number": w.foreign.profile_id,
                "employer_id": w.station.pk,
                "education": "bachelor",
            },
        ),
        API(
            "POST",
            "/workforce/profiles",
            {
                "name": "英德探针社工",
                "id_number": make_id_number("441881", date(1993, 3, 3), 67, "F"),
                "employer_id": w.foreign_station.pk,
                "education": "bachelor",
            },
        ),
    ],
    "GET /api/v1/workforce/profiles/{pk}": lambda w: [
        API("GET", f"/workforce/profiles/{w.foreign.ids['profile']}"),
        API("GET", f"/workforce/profiles/{w.profile.pk}"),
    ],
    "GET /api/v1/workforce/profiles/{pk}/eligibility": lambda w: [
        API("GET", f"/workforce/profiles/{w.foreign.ids['profile']}/eligibility"),
        API("GET", f"/workforce/profiles/{w.profile.pk}/eligibility"),
    ],
    "GET /api/v1/workforce/pipeline": lambda w: [
        API("GET", "/workforce/pipeline"),
        API("GET", "/workforce/pipeline", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/workforce/pipeline", region="44"),
    ],
    "GET /api/v1/workforce/profiles/{pk}/certificates": lambda w: [
        API("GET", f"/workforce/profiles/{w.foreign.ids['profile']}/certificates"),
        API("GET", f"/workforce/profiles/{w.profile.pk}/certificates"),
    ],
    "POST /api/v1/workforce/profiles/{pk}/certificates": lambda w: [
        API(
            "POST",
            f"/workforce/profiles/{w.foreign.ids['profile']}/certificates",
            {"level": "social_worker", "number": "YD2025PROBE1", "issued_on": "2025-06-01"},
        ),
        API(
            "POST",
            f"/workforce/profiles/{w.profile.pk}/certificates",
            {
                "level": "social_worker",
                "number": w.foreign.certificate_no,
                "issued_on": "2025-06-01",
            },
        ),
    ],
    "GET /api/v1/workforce/profiles/{pk}/registrations": lambda w: [
        API("GET", f"/workforce/profiles/{w.foreign.ids['profile']}/registrations"),
        API("GET", f"/workforce/profiles/{w.profile.pk}/registrations"),
    ],
    "POST /api/v1/workforce/profiles/{pk}/registrations": lambda w: [
        API(
            "POST",
            f"/workforce/profiles/{w.foreign.ids['profile']}/registrations",
            {
                "certificate_id": w.foreign.ids["certificate"],
                "registered_on": date.today().isoformat(),
            },
        ),
        API(
            "POST",
            f"/workforce/profiles/{w.profile.pk}/registrations",
            {
                "certificate_id": w.foreign.ids["certificate"],
                "registered_on": date.today().isoformat(),
            },
        ),
    ],
    "POST /api/v1/workforce/registrations/{pk}/renew": lambda w: [
        API("POST", f"/workforce/registrations/{w.foreign.ids['registration']}/renew")
    ],
    "GET /api/v1/workforce/registrations/at-risk": lambda w: [
        API("GET", "/workforce/registrations/at-risk")
    ],
    "GET /api/v1/workforce/courses": lambda w: [API("GET", "/workforce/courses")],
    "POST /api/v1/workforce/courses": lambda w: [
        API(
            "POST",
            "/workforce/courses",
            {
                "title": "探针课程",
                "organiser_id": w.foreign_dept.pk,
                "kind": "theory",
                "starts_on": (date.today() + timedelta(days=3)).isoformat(),
                "ends_on": (date.today() + timedelta(days=4)).isoformat(),
                "hours": "4",
                "capacity": 20,
            },
        )
    ],
    "GET /api/v1/workforce/courses/{pk}/enrolments": lambda w: [
        API("GET", f"/workforce/courses/{w.foreign.ids['course']}/enrolments"),
        API("GET", f"/workforce/courses/{w.course.pk}/enrolments"),
    ],
    "POST /api/v1/workforce/courses/{pk}/enrolments": lambda w: [
        API(
            "POST",
            f"/workforce/courses/{w.foreign.ids['course']}/enrolments",
            {"worker_id": w.profile.pk},
        ),
        API(
            "POST",
            f"/workforce/courses/{w.course.pk}/enrolments",
            {"worker_id": w.foreign.ids["profile"]},
        ),
    ],
    "POST /api/v1/workforce/enrolments/{pk}/attendance": lambda w: [
        API(
            "POST",
            f"/workforce/enrolments/{w.foreign.ids['enrolment']}/attendance",
            {"attended": True, "hours": "8"},
        )
    ],
    "POST /api/v1/workforce/profiles/{pk}/external": lambda w: [
        API(
            "POST",
            f"/workforce/profiles/{w.foreign.ids['profile']}/external",
            _external_form(),
        )
    ],
    "GET /api/v1/workforce/external/{pk}": lambda w: [
        API("GET", f"/workforce/external/{w.foreign.ids['external']}")
    ],
    "POST /api/v1/workforce/external/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/workforce/external/{w.foreign.ids['external']}/actions/approve",
            {"note": "x"},
        ),
        API(
            "POST", f"/workforce/external/{w.foreign.ids['external']}/actions/reject", {"note": "x"}
        ),
    ],
    "GET /api/v1/workforce/mentoring/pairs": lambda w: [API("GET", "/workforce/mentoring/pairs")],
    "POST /api/v1/workforce/mentoring/pairs": lambda w: [
        API(
            "POST",
            "/workforce/mentoring/pairs",
            {"mentor_id": w.foreign.ids["mentor"], "mentee_id": w.profile.pk, "goals": "探针"},
        ),
        API(
            "POST",
            "/workforce/mentoring/pairs",
            {"mentor_id": w.mentor.pk, "mentee_id": w.foreign.ids["profile"], "goals": "探针"},
        ),
    ],
    "GET /api/v1/workforce/mentoring/pairs/{pk}/sessions": lambda w: [
        API("GET", f"/workforce/mentoring/pairs/{w.foreign.ids['pair']}/sessions"),
        API("GET", f"/workforce/mentoring/pairs/{w.pair.pk}/sessions"),
    ],
    "POST /api/v1/workforce/mentoring/pairs/{pk}/sessions": lambda w: [
        API(
            "POST",
            f"/workforce/mentoring/pairs/{w.foreign.ids['pair']}/sessions",
            _session_form(kind="theory"),
        ),
        API(
            "POST",
            f"/workforce/mentoring/pairs/{w.pair.pk}/sessions",
            _session_form(visit_id=w.foreign.ids["visit"]),
        ),
    ],
    "GET /api/v1/workforce/mentoring/unpaired": lambda w: [
        API("GET", "/workforce/mentoring/unpaired")
    ],
}
ROUTES.update(WORKFORCE_API_PROBES)

# contact (issue 17): another county's meetings, invitations, items, answers and exports


def _meeting_form(**extra):
    return {
        "kind": "residents",
        "title": "英德探针会议",
        "held_on": "2026-12-01",
        "place": "英德会议室",
        **extra,
    }


EMERGENCY_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "emergency:list": lambda w: [GET("/emergency/"), GET("/emergency/", status="sweeping")],
    "emergency:declare": lambda w: [
        GET("/emergency/new/"),
        POST(
            "/emergency/new/",
            {
                "kind": "typhoon",
                "title": w.foreign.sweep_title,
                "area_0": FOREIGN_TOWNSHIP,
                "target_hours": "24",
            },
        ),
    ],
    "emergency:mine": lambda w: [
        GET("/emergency/mine/"),
        GET("/emergency/mine/", event=str(w.foreign.ids["sweep_event"])),
    ],
    "emergency:board": lambda w: [
        GET(f"/emergency/{w.foreign.ids['sweep_event']}/"),
        GET(f"/emergency/{w.foreign.ids['sweep_event']}/", township=FOREIGN_TOWNSHIP[:9]),
    ],
    "emergency:export": lambda w: [
        GET(f"/emergency/{w.foreign.ids['sweep_event']}/export/", outcome="all"),
    ],
    "emergency:task": lambda w: [GET(f"/emergency/tasks/{w.foreign.ids['sweep_task']}/")],
    "emergency:record": lambda w: [
        POST(
            f"/emergency/tasks/{w.foreign.ids['sweep_task']}/record/",
            {"outcome": "reached_safe"},
        ),
    ],
    "GET /api/v1/emergency/events": lambda w: [
        API("GET", "/emergency/events"),
        API("GET", "/emergency/events", status="sweeping"),
    ],
    "POST /api/v1/emergency/events": lambda w: [
        API(
            "POST",
            "/emergency/events",
            {
                "kind": "typhoon",
                "title": w.foreign.sweep_title,
                "areas": [FOREIGN_TOWNSHIP],
                "categories": ["living_alone"],
            },
        ),
    ],
    "GET /api/v1/emergency/events/{event_id}": lambda w: [
        API("GET", f"/emergency/events/{w.foreign.ids['sweep_event']}"),
    ],
    "GET /api/v1/emergency/events/{event_id}/board": lambda w: [
        API("GET", f"/emergency/events/{w.foreign.ids['sweep_event']}/board"),
        API(
            "GET",
            f"/emergency/events/{w.foreign.ids['sweep_event']}/board",
            township=FOREIGN_TOWNSHIP[:9],
        ),
    ],
    "GET /api/v1/emergency/events/{event_id}/tasks": lambda w: [
        API("GET", f"/emergency/events/{w.foreign.ids['sweep_event']}/tasks", outcome="all"),
    ],
    "POST /api/v1/emergency/events/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/emergency/events/{w.foreign.ids['sweep_event']}/actions/close",
            {"summary": "探针"},
        ),
        API("POST", f"/emergency/events/{w.foreign.ids['sweep_event']}/actions/start"),
    ],
    "GET /api/v1/emergency/tasks/mine": lambda w: [API("GET", "/emergency/tasks/mine")],
    "GET /api/v1/emergency/tasks/{task_id}": lambda w: [
        API("GET", f"/emergency/tasks/{w.foreign.ids['sweep_task']}"),
    ],
    "POST /api/v1/emergency/tasks/{task_id}/outcome": lambda w: [
        API(
            "POST",
            f"/emergency/tasks/{w.foreign.ids['sweep_task']}/outcome",
            {"outcome": "reached_safe", "client_id": "probe-1"},
        ),
    ],
    "emergency:transition": lambda w: [
        GET(f"/emergency/{w.foreign.ids['sweep_event']}/actions/close/"),
        POST(f"/emergency/{w.foreign.ids['sweep_event']}/actions/close/", {"summary": "探针"}),
        POST(f"/emergency/{w.foreign.ids['sweep_event']}/actions/start/"),
    ],
}


CONTACT_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "contact:list": lambda w: [
        GET("/contact/"),
        GET("/contact/", kind="residents", status="closed"),
        GET("/contact/", month=last_month().strftime("%Y-%m")),
        GET("/contact/", q=w.foreign.contact_title, region=FOREIGN_DEPT_CODE[:6]),
    ],
    "contact:calendar": lambda w: [
        GET("/contact/calendar/"),
        GET("/contact/calendar/", region=FOREIGN_DEPT_CODE[:6]),
        GET("/contact/calendar/", region=FOREIGN_TOWNSHIP),
        GET("/contact/calendar/", month=last_month().strftime("%Y-%m"), region="44"),
    ],
    "contact:plan": lambda w: [
        GET("/contact/meetings/new/"),
        POST("/contact/meetings/new/", _meeting_form(title=w.foreign.contact_title)),
        POST("/contact/meetings/new/", _meeting_form(region=FOREIGN_TOWNSHIP)),
    ],
    "contact:meeting": lambda w: [
        GET(f"/contact/meetings/{w.foreign.ids['contact_meeting']}/"),
        GET(f"/contact/meetings/{w.contact_meeting.pk}/"),
    ],
    "contact:invite": lambda w: [
        POST(
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/invite/",
            {"kind": "organisation", "organisation": str(w.station.pk)},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/invite/",
            {"kind": "resident", "resident": str(w.foreign.ids["resident"])},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/invite/",
            {"kind": "volunteer", "volunteer": str(w.foreign.ids["volunteer"])},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/invite/",
            {"kind": "account", "user": str(w.foreign.ids["worker"])},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/invite/",
            {"kind": "organisation", "organisation": str(w.foreign.ids["organisation"])},
        ),
    ],
    "contact:attendance": lambda w: [
        POST(
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/attendance/",
            {"present": [str(w.foreign.ids["contact_invitation"])]},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/attendance/",
            {"present": [str(w.foreign.ids["contact_invitation"])]},
        ),
    ],
    "contact:item_record": lambda w: [
        POST(
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/items/",
            {"raised_by": str(w.foreign.ids["contact_invitation"]), "text": "探针"},
        ),
        POST(
            f"/contact/meetings/{w.contact_meeting.pk}/items/",
            {"raised_by": str(w.foreign.ids["contact_invitation"]), "text": "探针"},
        ),
    ],
    "contact:meeting_transition": lambda w: [
        GET(f"/contact/meetings/{w.foreign.ids['contact_meeting']}/actions/minutes/"),
        POST(f"/contact/meetings/{w.foreign.ids['contact_meeting']}/actions/hold/"),
        POST(
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/actions/cancel/",
            {"reason": "探针"},
        ),
        GET(f"/contact/meetings/{w.contact_meeting.pk}/actions/minutes/"),
    ],
    "contact:attachment": lambda w: [
        GET(f"/contact/attachments/{w.foreign.ids['contact_attachment']}/"),
    ],
    "contact:items": lambda w: [
        GET("/contact/items/"),
        GET("/contact/items/", status="fed_back"),
        GET("/contact/items/", overdue="1"),
        GET("/contact/items/", region=FOREIGN_DEPT_CODE[:6]),
        GET("/contact/items/", region=FOREIGN_TOWNSHIP[:9]),
        GET("/contact/items/", region="44"),
    ],
    "contact:export": lambda w: [
        GET("/contact/items/export/"),
        GET("/contact/items/export/", status="fed_back", region=FOREIGN_DEPT_CODE[:6]),
    ],
    "contact:item": lambda w: [
        GET(f"/contact/items/{w.foreign.ids['contact_item']}/"),
        GET(f"/contact/items/{w.contact_item.pk}/"),
    ],
    "contact:answer": lambda w: [
        GET(f"/contact/items/{w.foreign.ids['contact_item']}/answer/"),
        GET(f"/contact/items/{w.foreign.ids['contact_item']}/answer/", as_="volunteer"),
    ],
    "contact:item_transition": lambda w: [
        GET(f"/contact/items/{w.foreign.ids['contact_open_item']}/actions/assign/"),
        POST(
            f"/contact/items/{w.foreign.ids['contact_open_item']}/actions/assign/",
            {"unit": str(w.dept.pk), "due_days": "5"},
        ),
        POST(f"/contact/items/{w.foreign.ids['contact_item']}/actions/feed_back/"),
        GET(f"/contact/items/{w.contact_item.pk}/actions/assign/"),
        POST(
            f"/contact/items/{w.contact_item.pk}/actions/assign/",
            {"unit": str(w.foreign_dept.pk), "due_days": "5"},
        ),
        POST(
            f"/contact/items/{w.contact_item.pk}/actions/assign/",
            {"unit": str(w.foreign_station.pk), "due_days": "5"},
        ),
    ],
    "GET /api/v1/contact/meetings": lambda w: [
        API("GET", "/contact/meetings"),
        API("GET", "/contact/meetings", kind="residents", status="closed"),
    ],
    "POST /api/v1/contact/meetings": lambda w: [
        API(
            "POST",
            "/contact/meetings",
            {
                "kind": "residents",
                "title": w.foreign.contact_title,
                "held_on": "2026-12-01",
                "place": "探针",
            },
        ),
    ],
    "GET /api/v1/contact/meetings/{meeting_id}": lambda w: [
        API("GET", f"/contact/meetings/{w.foreign.ids['contact_meeting']}"),
        API("GET", f"/contact/meetings/{w.contact_meeting.pk}"),
    ],
    "GET /api/v1/contact/meetings/{meeting_id}/invitations": lambda w: [
        API("GET", f"/contact/meetings/{w.foreign.ids['contact_meeting']}/invitations"),
        API("GET", f"/contact/meetings/{w.contact_meeting.pk}/invitations"),
    ],
    "POST /api/v1/contact/meetings/{meeting_id}/invitations": lambda w: [
        API(
            "POST",
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/invitations",
            {"kind": "organisation", "id": w.station.pk},
        ),
        API(
            "POST",
            f"/contact/meetings/{w.contact_meeting.pk}/invitations",
            {"kind": "resident", "id": w.foreign.ids["resident"]},
        ),
        API(
            "POST",
            f"/contact/meetings/{w.contact_meeting.pk}/invitations",
            {"kind": "volunteer", "id": w.foreign.ids["volunteer"]},
        ),
        API(
            "POST",
            f"/contact/meetings/{w.contact_meeting.pk}/invitations",
            {"kind": "account", "id": w.foreign.ids["worker"]},
        ),
    ],
    "POST /api/v1/contact/meetings/{meeting_id}/attendance": lambda w: [
        API(
            "POST",
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/attendance",
            {"present": [w.foreign.ids["contact_invitation"]]},
        ),
        API(
            "POST",
            f"/contact/meetings/{w.contact_meeting.pk}/attendance",
            {"present": [w.foreign.ids["contact_invitation"]]},
        ),
    ],
    "GET /api/v1/contact/meetings/{meeting_id}/items": lambda w: [
        API("GET", f"/contact/meetings/{w.foreign.ids['contact_meeting']}/items"),
        API("GET", f"/contact/meetings/{w.contact_meeting.pk}/items"),
    ],
    "POST /api/v1/contact/meetings/{meeting_id}/items": lambda w: [
        API(
            "POST",
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/items",
            {"raised_by": w.foreign.ids["contact_invitation"], "text": "探针"},
        ),
        API(
            "POST",
            f"/contact/meetings/{w.contact_meeting.pk}/items",
            {"raised_by": w.foreign.ids["contact_invitation"], "text": "探针"},
        ),
    ],
    "POST /api/v1/contact/meetings/{pk}/actions/{action}": lambda w: [
        API("POST", f"/contact/meetings/{w.foreign.ids['contact_meeting']}/actions/hold"),
        API(
            "POST",
            f"/contact/meetings/{w.foreign.ids['contact_meeting']}/actions/cancel",
            {"reason": "探针"},
        ),
    ],
    "GET /api/v1/contact/items": lambda w: [
        API("GET", "/contact/items"),
        API("GET", "/contact/items", status="fed_back", overdue="true"),
    ],
    "GET /api/v1/contact/items/{item_id}": lambda w: [
        API("GET", f"/contact/items/{w.foreign.ids['contact_item']}"),
        API("GET", f"/contact/items/{w.contact_item.pk}"),
    ],
    "POST /api/v1/contact/items/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/contact/items/{w.foreign.ids['contact_open_item']}/actions/assign",
            {"unit": w.dept.pk, "due_days": 5},
        ),
        API("POST", f"/contact/items/{w.foreign.ids['contact_item']}/actions/feed_back"),
        API(
            "POST",
            f"/contact/items/{w.contact_item.pk}/actions/assign",
            {"unit": w.foreign_dept.pk, "due_days": 5},
        ),
    ],
}
ROUTES.update(CONTACT_PROBES)
ROUTES.update(EMERGENCY_PROBES)

# suggestions (issue 17): another county's suggestions, groups, figures, answers and exports


def _suggestion_form(**extra):
    import time

    from shegong.core import challenge
    from shegong.suggestions.views import TOKEN_SALT

    return {
        "region": HOME_TOWNSHIP,
        "topic": "",
        "text": "五山街道探针意见建议：长者饭堂太远，希望就近开设",
        "name": "",
        "contact": "",
        "website": "",
        "token": challenge.form_token(salt=TOKEN_SALT, issued_at=time.time() - 30),
        **extra,
    }


SUGGESTION_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "suggestions:list": lambda w: [
        GET("/suggestions/"),
        GET("/suggestions/", topic="elderly", status="answered"),
        GET("/suggestions/", region=FOREIGN_DEPT_CODE[:6]),
        GET("/suggestions/", region=FOREIGN_TOWNSHIP[:9], month=last_month().strftime("%Y-%m")),
    ],
    "suggestions:analysis": lambda w: [
        GET("/suggestions/analysis/"),
        GET("/suggestions/analysis/", month=date.today().strftime("%Y-%m")),
    ],
    "suggestions:export": lambda w: [
        GET("/suggestions/export/"),
        GET("/suggestions/export/", region=FOREIGN_DEPT_CODE[:6], status="answered"),
    ],
    "suggestions:detail": lambda w: [
        GET(f"/suggestions/{w.foreign.ids['suggestion']}/"),
        GET(f"/suggestions/{w.foreign.ids['suggestion_published']}/"),
    ],
    "suggestions:transition": lambda w: [
        GET(f"/suggestions/{w.foreign.ids['suggestion_waiting']}/actions/answer/"),
        POST(
            f"/suggestions/{w.foreign.ids['suggestion_waiting']}/actions/answer/",
            {"answer": "探针", "whole_cluster": "on"},
        ),
        POST(f"/suggestions/{w.foreign.ids['suggestion']}/actions/publish/"),
    ],
    "suggestions:public_answers": lambda w: [
        GET("/suggestions/public/", as_="anonymous"),
        GET("/suggestions/public/", as_="anonymous", region=FOREIGN_DEPT_CODE[:6]),
        GET("/suggestions/public/", as_="anonymous", topic="elderly"),
    ],
    "suggestions:public_submit": lambda w: [
        GET("/suggestions/public/new/", as_="anonymous"),
        POST("/suggestions/public/new/", _suggestion_form(), as_="anonymous"),
    ],
    "GET /api/v1/suggestions/": lambda w: [
        API("GET", "/suggestions/"),
        API("GET", "/suggestions/", region=FOREIGN_DEPT_CODE[:6], status="answered"),
    ],
    "GET /api/v1/suggestions/groups": lambda w: [
        API("GET", "/suggestions/groups"),
        API("GET", "/suggestions/groups", topic="elderly"),
    ],
    "GET /api/v1/suggestions/{suggestion_id}": lambda w: [
        API("GET", f"/suggestions/{w.foreign.ids['suggestion']}"),
    ],
    "POST /api/v1/suggestions/{pk}/actions/{action}": lambda w: [
        API(
            "POST",
            f"/suggestions/{w.foreign.ids['suggestion_waiting']}/actions/answer",
            {"answer": "探针", "whole_cluster": True},
        ),
        API("POST", f"/suggestions/{w.foreign.ids['suggestion']}/actions/publish"),
    ],
}
ROUTES.update(SUGGESTION_PROBES)


# the field app (issue 19): another county's phone, what it sent and its conflict; a sync from
# the home phone naming the other county's resident, village and record id


def _field_sync(w):
    today = date.today().isoformat()
    foreign = w.foreign.ids["resident"]
    return {
        "device_id": w.home_device_id,
        "records": [
            {
                "client_id": "1a2b3c4d-0000-4000-8000-000000000001",
                "kind": "visit",
                "recorded_at": f"{today}T09:00:00+08:00",
                "payload": {"resident_id": foreign, "mode": "home", "needs": "探针"},
            },
            {
                "client_id": "1a2b3c4d-0000-4000-8000-000000000002",
                "kind": "not_reached",
                "recorded_at": f"{today}T09:00:00+08:00",
                "payload": {"resident_id": foreign, "reason": "away"},
            },
            {
                "client_id": "1a2b3c4d-0000-4000-8000-000000000003",
                "kind": "finding",
                "recorded_at": f"{today}T09:00:00+08:00",
                "payload": {
                    "region_code": FOREIGN_VILLAGE,
                    "category": "other.other",
                    "summary": "探针发现",
                    "parties": [{"name": "探针"}],
                },
            },
            {
                "client_id": "1a2b3c4d-0000-4000-8000-000000000004",
                "kind": "finding",
                "recorded_at": f"{today}T09:00:00+08:00",
                "payload": {"resident_id": foreign, "category": "other.other", "summary": "探针"},
            },
            {  # the id the other county's phone used: "taken", never what it holds
                "client_id": w.foreign_client_id,
                "kind": "visit",
                "recorded_at": f"{today}T09:00:00+08:00",
                "payload": {"resident_id": w.resident.pk, "mode": "phone"},
            },
        ],
    }


FIELD_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "field:status": lambda w: [GET("/field/")],
    "field:devices": lambda w: [GET("/field/devices/")],
    "field:device_revoke": lambda w: [POST(f"/field/devices/{w.foreign_device_id}/revoke/")],
    "field:conflicts": lambda w: [GET("/field/conflicts/"), GET("/field/conflicts/", all="1")],
    # The field app's session check: who is signed in (the caller) and a CSRF token.
    "field:app-session": lambda w: [GET("/field/app/session/")],
    "field:conflict_resolve": lambda w: [
        POST(f"/field/conflicts/{w.foreign.ids['field_conflict']}/resolve/", {"note": "探针"})
    ],
    "GET /api/v1/field/route": lambda w: [
        API("GET", "/field/route"),
        API("GET", "/field/route", horizon_days=14),
    ],
    "POST /api/v1/field/devices": lambda w: [API("POST", "/field/devices", {"name": "探针"})],
    "GET /api/v1/field/devices": lambda w: [API("GET", "/field/devices")],
    "POST /api/v1/field/devices/{device_id}/revoke": lambda w: [
        API("POST", f"/field/devices/{w.foreign_device_id}/revoke")
    ],
    "POST /api/v1/field/sync": lambda w: [
        API("POST", "/field/sync", _field_sync(w)),
        API("POST", "/field/sync", {**_field_sync(w), "device_id": w.foreign_device_id}),
    ],
    "GET /api/v1/field/submissions": lambda w: [
        API("GET", "/field/submissions"),
        API("GET", "/field/submissions", device_id=w.foreign_device_id),
    ],
}
ROUTES.update(FIELD_PROBES)


# brands and practices (issue 17): another county's brands, recognitions, draft practices and
# documents; the library's practice with another chain's review note and adoption notes; the
# portal's recognised brands, library and meeting answers


def _brand_form(w, **extra):
    return {
        "name": "英德探针品牌",
        "kind": "party",
        "owner": str(w.station.pk),
        "started_on": "2024-01-01",
        "description": "探针",
        **extra,
    }


def _practice_form(**extra):
    return {
        "title": "英德探针做法",
        "topic": "elderly",
        "problem": "p",
        "actions": "a",
        "results": "r",
        **extra,
    }


def _adoption(**extra):
    return {"kind": "adopted", "adopted_on": date.today().isoformat(), "results": "探针", **extra}


def _this_year():
    return str(date.today().year)


BRAND_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "brands:list": lambda w: [
        GET("/brands/"),
        GET("/brands/", q=w.foreign.brand_name, level="recognised"),
        GET("/brands/", kind="party", level="county"),
    ],
    "brands:export": lambda w: [
        GET("/brands/export/"),
        GET("/brands/export/", q="天河", year=_this_year()),
    ],
    "brands:create": lambda w: [
        GET("/brands/new/"),
        POST("/brands/new/", _brand_form(w, owner=str(w.foreign_station.pk))),
        POST("/brands/new/", _brand_form(w, name=w.brand.name)),
    ],
    "brands:detail": lambda w: [
        GET(f"/brands/{w.foreign.ids['brand']}/"),
        GET(f"/brands/{w.brand.pk}/", year=_this_year()),
    ],
    "brands:edit": lambda w: [
        GET(f"/brands/{w.foreign.ids['brand']}/edit/"),
        POST(f"/brands/{w.foreign.ids['brand']}/edit/", _brand_form(w)),
    ],
    "brands:link_activity": lambda w: [
        POST(f"/brands/{w.foreign.ids['brand']}/activities/", {"activity": str(w.activity.pk)}),
        POST(f"/brands/{w.brand.pk}/activities/", {"activity": str(w.foreign.ids["activity"])}),
    ],
    "brands:target": lambda w: [
        POST(
            f"/brands/{w.foreign.ids['brand']}/targets/",
            {"year": _this_year(), "reach": "1", "hours": "1", "satisfaction": "0.5"},
        ),
    ],
    "brands:evaluate": lambda w: [
        POST(f"/brands/{w.foreign.ids['brand']}/evaluate/", {"year": _this_year()}),
        POST(f"/brands/{w.brand.pk}/evaluate/", {"year": _this_year()}),
    ],
    "brands:apply": lambda w: [
        POST(
            f"/brands/{w.foreign.ids['brand']}/recognitions/",
            {"level": "city", "statement": "探针"},
        ),
    ],
    "brands:recognition_transition": lambda w: [
        GET(f"/brands/recognitions/{w.foreign.ids['recognition']}/actions/award/"),
        POST(f"/brands/recognitions/{w.foreign.ids['recognition']}/actions/award/", {}),
        POST(
            f"/brands/recognitions/{w.foreign.ids['recognition']}/actions/decline/",
            {"note": "探针"},
        ),
        GET(f"/brands/recognitions/{w.recognition.pk}/actions/award/"),
    ],
    "GET /api/v1/brands/brands": lambda w: [
        API("GET", "/brands/brands"),
        API("GET", "/brands/brands", q=w.foreign.brand_name),
    ],
    "POST /api/v1/brands/brands": lambda w: [
        API(
            "POST",
            "/brands/brands",
            {
                "name": "英德探针品牌",
                "kind": "party",
                "owner_id": w.foreign.ids["organisation"],
                "description": "探针",
                "started_on": "2024-01-01",
            },
        ),
    ],
    "GET /api/v1/brands/brands/{brand_id}": lambda w: [
        API("GET", f"/brands/brands/{w.foreign.ids['brand']}"),
        API("GET", f"/brands/brands/{w.brand.pk}"),
    ],
    "GET /api/v1/brands/brands/{brand_id}/activities": lambda w: [
        API("GET", f"/brands/brands/{w.foreign.ids['brand']}/activities"),
        API("GET", f"/brands/brands/{w.brand.pk}/activities"),
    ],
    "POST /api/v1/brands/brands/{brand_id}/activities": lambda w: [
        API(
            "POST",
            f"/brands/brands/{w.brand.pk}/activities",
            {"activity_id": w.foreign.ids["activity"]},
        ),
        API(
            "POST",
            f"/brands/brands/{w.foreign.ids['brand']}/activities",
            {"activity_id": w.activity.pk},
        ),
    ],
    "GET /api/v1/brands/brands/{brand_id}/figures": lambda w: [
        API("GET", f"/brands/brands/{w.foreign.ids['brand']}/figures"),
        API("GET", f"/brands/brands/{w.brand.pk}/figures", year=_this_year()),
    ],
    "POST /api/v1/brands/brands/{brand_id}/targets": lambda w: [
        API(
            "POST",
            f"/brands/brands/{w.foreign.ids['brand']}/targets",
            {"year": date.today().year, "reach": 1, "hours": 1, "satisfaction": 0.5},
        ),
    ],
    "GET /api/v1/brands/brands/{brand_id}/evaluations": lambda w: [
        API("GET", f"/brands/brands/{w.foreign.ids['brand']}/evaluations"),
    ],
    "POST /api/v1/brands/brands/{brand_id}/evaluations": lambda w: [
        API(
            "POST",
            f"/brands/brands/{w.foreign.ids['brand']}/evaluations",
            {"year": date.today().year},
        ),
    ],
    "GET /api/v1/brands/brands/{brand_id}/recognitions": lambda w: [
        API("GET", f"/brands/brands/{w.foreign.ids['brand']}/recognitions"),
        API("GET", f"/brands/brands/{w.brand.pk}/recognitions"),
    ],
    "POST /api/v1/brands/brands/{brand_id}/recognitions": lambda w: [
        API(
            "POST",
            f"/brands/brands/{w.foreign.ids['brand']}/recognitions",
            {"level": "city", "statement": "探针"},
        ),
    ],
    "POST /api/v1/brands/recognitions/{pk}/actions/{action}": lambda w: [
        API("POST", f"/brands/recognitions/{w.foreign.ids['recognition']}/actions/award", {}),
        API(
            "POST",
            f"/brands/recognitions/{w.foreign.ids['recognition']}/actions/decline",
            {"note": "探针"},
        ),
    ],
}
ROUTES.update(BRAND_PROBES)

PRACTICE_PROBES: dict[str, Callable[[Any], list[Probe]]] = {
    "practices:list": lambda w: [
        GET("/practices/"),
        GET("/practices/", q=w.foreign.practice_title, status="draft"),
        GET("/practices/", queue="1"),
    ],
    "practices:export": lambda w: [
        GET("/practices/export/"),
        GET("/practices/export/", topic="elderly"),
    ],
    "practices:library": lambda w: [
        GET("/practices/library/"),
        GET("/practices/library/", q=w.foreign.practice_problem, region=FOREIGN_DEPT_CODE[:6]),
        GET("/practices/library/", topic="elderly", region="天河区"),
    ],
    "practices:create": lambda w: [
        GET("/practices/new/"),
        POST("/practices/new/", _practice_form(figure1_label="x", figure1_value="1")),
    ],
    "practices:detail": lambda w: [
        GET(f"/practices/{w.foreign.ids['practice']}/"),
        GET(f"/practices/{w.public_practice.pk}/"),
        GET(f"/practices/{w.practice.pk}/"),
    ],
    "practices:edit": lambda w: [
        GET(f"/practices/{w.foreign.ids['practice']}/edit/"),
        POST(f"/practices/{w.foreign.ids['practice']}/edit/", _practice_form()),
        GET(f"/practices/{w.public_practice.pk}/edit/"),
        POST(f"/practices/{w.public_practice.pk}/edit/", _practice_form()),
    ],
    "practices:document_add": lambda w: [
        POST(
            f"/practices/{w.foreign.ids['practice']}/documents/",
            upload=("upload", "probe.txt", b"probe"),
        ),
        POST(
            f"/practices/{w.public_practice.pk}/documents/",
            upload=("upload", "probe.txt", b"probe"),
        ),
    ],
    "practices:adopt": lambda w: [
        POST(f"/practices/{w.foreign.ids['practice']}/adoptions/", _adoption()),
        POST(f"/practices/{w.public_practice.pk}/adoptions/", _adoption()),
        POST(f"/practices/{w.public_practice.pk}/adoptions/", _adoption(kind="bad")),
    ],
    "practices:document": lambda w: [
        GET(f"/practices/documents/{w.foreign.ids['practice_document']}/"),
    ],
    "practices:transition": lambda w: [
        GET(f"/practices/{w.foreign.ids['practice']}/actions/submit/"),
        POST(f"/practices/{w.foreign.ids['practice']}/actions/submit/", {}),
        GET(f"/practices/{w.public_practice.pk}/actions/escalate/"),
        POST(f"/practices/{w.public_practice.pk}/actions/escalate/", {}),
        POST(f"/practices/{w.practice.pk}/actions/submit/", {}),
    ],
    "GET /api/v1/practices/practices": lambda w: [
        API("GET", "/practices/practices"),
        API("GET", "/practices/practices", q=w.foreign.practice_title, queue="true"),
    ],
    "POST /api/v1/practices/practices": lambda w: [
        API("POST", "/practices/practices", _practice_form(figures=[{"label": "x", "value": 1}])),
    ],
    "GET /api/v1/practices/library": lambda w: [
        API("GET", "/practices/library"),
        API("GET", "/practices/library", region=FOREIGN_DEPT_CODE[:6], topic="elderly"),
    ],
    "GET /api/v1/practices/practices/{practice_id}": lambda w: [
        API("GET", f"/practices/practices/{w.foreign.ids['practice']}"),
        API("GET", f"/practices/practices/{w.public_practice.pk}"),
    ],
    "POST /api/v1/practices/practices/{practice_id}/adoptions": lambda w: [
        API("POST", f"/practices/practices/{w.foreign.ids['practice']}/adoptions", _adoption()),
        API("POST", f"/practices/practices/{w.public_practice.pk}/adoptions", _adoption()),
    ],
    "POST /api/v1/practices/practices/{pk}/actions/{action}": lambda w: [
        API("POST", f"/practices/practices/{w.foreign.ids['practice']}/actions/submit", {}),
        API("POST", f"/practices/practices/{w.public_practice.pk}/actions/escalate", {}),
    ],
    "portal:brands": lambda w: [
        GET("/portal/brands/", as_="anonymous"),
        GET("/portal/brands/", as_="anonymous", region=FOREIGN_DEPT_CODE[:6], q="天河"),
    ],
    "portal:brand": lambda w: [
        GET(f"/portal/brands/{w.foreign.ids['brand']}/", as_="anonymous"),
        GET(f"/portal/brands/{w.foreign.ids['brand']}/"),
    ],
    "portal:practices": lambda w: [
        GET("/portal/practices/", as_="anonymous"),
        GET("/portal/practices/", as_="anonymous", region=FOREIGN_DEPT_CODE[:6], q="天河"),
    ],
    "portal:practice": lambda w: [
        GET(f"/portal/practices/{w.foreign.ids['practice']}/", as_="anonymous"),
        GET(f"/portal/practices/{w.public_practice.pk}/", as_="anonymous"),
        GET(f"/portal/practices/{w.public_practice.pk}/"),
    ],
    "portal:answers": lambda w: [
        GET("/portal/answers/", as_="anonymous"),
        GET("/portal/answers/", as_="anonymous", region=FOREIGN_DEPT_CODE[:6]),
        GET("/portal/answers/", region=FOREIGN_TOWNSHIP),
    ],
}
ROUTES.update(PRACTICE_PROBES)


# Routes the harness does not send inputs to, and why. Everything else must be in ROUTES.
# indicators (issue 15): another county's values, by region and period; a department's own
# indicator (the 英德 administrator is a county: refused)


def _indicator_form(**extra):
    return {
        "code": "probe_rate",
        "name_zh": "探针指标",
        "definition": "探针",
        "numerator": "visits_done",
        "denominator": "visits_due",
        "factor": 100,
        "period_types": ["month"],
        "direction": "higher",
        **extra,
    }


def _indicator_values(path: str):
    period = f"{last_month():%Y-%m}"
    return [
        GET(path),
        GET(path, period=period),
        GET(path, region=FOREIGN_DEPT_CODE, period=period),
        GET(path, region=FOREIGN_TOWNSHIP, period=period),
        GET(path, region=FOREIGN_VILLAGE, period=period),
        GET(path, region="440000000000", period="2026"),
        GET(path, region=HOME_TOWNSHIP, period=f"R{period}"),
    ]


route("indicators:list")(lambda w: [GET("/indicators/")])
route("indicators:detail")(
    lambda w: [
        *_indicator_values("/indicators/visit_on_time_rate/"),
        *_indicator_values("/indicators/satisfaction_rate/"),
    ]
)
route("indicators:create")(
    lambda w: [
        GET("/indicators/new/"),
        POST("/indicators/new/", _indicator_form()),
        POST("/indicators/new/", _indicator_form(numerator="vist_done")),
    ]
)
route("indicators:refresh")(
    lambda w: [
        POST("/indicators/satisfaction_rate/refresh/", {"period": "2026-11"}),
        POST("/indicators/satisfaction_rate/refresh/", {"period": "bad"}),
    ]
)


def _pivot_probes(path: str):
    period = f"{last_month():%Y-%m}"
    both = {"indicator": ["satisfaction_rate", "repeat_petition_rate"]}
    return [
        GET(path),
        GET(path, **both, period=period),
        GET(path, **both, region=FOREIGN_DEPT_CODE, period=period),
        GET(path, **both, region=FOREIGN_TOWNSHIP, period=period),
        GET(path, **both, region="440000000000", period=period),
        GET(path, **both, region=FOREIGN_DEPT_CODE, by="periods", period=period, count="4"),
        GET(path, **both, region=HOME_TOWNSHIP, by="periods", period=period, count="4"),
        GET(path, region=FOREIGN_DEPT_CODE),
    ]


route("indicators:pivot")(lambda w: _pivot_probes("/indicators/pivot/"))
route("indicators:pivot_export")(lambda w: _pivot_probes("/indicators/pivot/export/"))
route("indicators:reports")(lambda w: [GET("/indicators/reports/")])


def _dashboard_probes():
    period = f"{last_month():%Y-%m}"
    path = "/indicators/dashboard/"
    return [
        GET(path),
        GET(path, period=period),
        GET(path, region=FOREIGN_DEPT_CODE, period=period),
        GET(path, region=FOREIGN_TOWNSHIP, period=period),
        GET(path, region=FOREIGN_VILLAGE, period=period),
        GET(path, region="440000000000", indicator="satisfaction_rate", period=period),
        GET(path, region=HOME_TOWNSHIP, indicator="repeat_petition_rate", period=period),
    ]


route("indicators:dashboard")(lambda w: _dashboard_probes())
route("indicators:dashboard_pin")(
    lambda w: [
        POST("/indicators/dashboard/pin/", {"indicator": "satisfaction_rate", "action": "pin",
             "region": FOREIGN_DEPT_CODE, "shown": "satisfaction_rate"}),
        POST("/indicators/dashboard/pin/", {"indicator": "satisfaction_rate", "action": "unpin",
             "region": FOREIGN_TOWNSHIP}),
        POST("/indicators/dashboard/pin/", {"indicator": "funds_disbursed_rate"}),
    ]
)  # fmt: skip
route("indicators:report_download")(
    lambda w: [
        GET(f"/indicators/reports/{w.foreign.ids['indicator_report']}/pdf/"),
        GET(f"/indicators/reports/{w.foreign.ids['indicator_report']}/xlsx/"),
    ]
)
route("indicators:subscriptions")(
    lambda w: [
        GET("/indicators/subscriptions/"),
        POST(
            "/indicators/subscriptions/",
            {"name": "探针订阅", "frequency": "weekly", "indicator_codes": ["satisfaction_rate"]},
        ),
        POST("/indicators/subscriptions/", {"name": "探针订阅", "frequency": "weekly"}),
    ]
)
route("indicators:subscription_cancel")(
    lambda w: [
        POST(f"/indicators/subscriptions/{w.foreign.ids['indicator_subscription']}/cancel/"),
    ]
)

INDICATOR_API: dict[str, Callable[[Any], list[Probe]]] = {
    "GET /api/v1/indicators": lambda w: [API("GET", "/indicators")],
    "POST /api/v1/indicators": lambda w: [
        API("POST", "/indicators", _indicator_form()),
        API("POST", "/indicators", _indicator_form(denominator="visits_due / 0")),
    ],
    "GET /api/v1/indicators/{code}/values": lambda w: [
        API("GET", "/indicators/satisfaction_rate/values"),
        API("GET", "/indicators/satisfaction_rate/values", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/indicators/satisfaction_rate/values", region=FOREIGN_TOWNSHIP),
        API("GET", "/indicators/visit_on_time_rate/values", region="44", period="2026-Q4"),
        API("GET", "/indicators/visit_on_time_rate/values", region=FOREIGN_VILLAGE),
    ],
    "GET /api/v1/indicators/subscriptions": lambda w: [API("GET", "/indicators/subscriptions")],
    "POST /api/v1/indicators/subscriptions": lambda w: [
        API(
            "POST",
            "/indicators/subscriptions",
            {"name": "探针订阅", "frequency": "monthly", "indicator_codes": ["satisfaction_rate"]},
        ),
        API("POST", "/indicators/subscriptions", {"name": "探针", "frequency": "weekly"}),
    ],
    "POST /api/v1/indicators/subscriptions/{subscription_id}/cancel": lambda w: [
        API(
            "POST",
            f"/indicators/subscriptions/{w.foreign.ids['indicator_subscription']}/cancel",
        ),
    ],
    "GET /api/v1/indicators/{code}/series": lambda w: [
        API("GET", "/indicators/elderly_visit_rate/series"),
        API("GET", "/indicators/elderly_visit_rate/series", region=FOREIGN_DEPT_CODE[:6]),
        API("GET", "/indicators/elderly_visit_rate/series", region=FOREIGN_TOWNSHIP, count="3"),
        API("GET", "/indicators/satisfaction_rate/series", region="44", period="2026-Q4"),
        API("GET", "/indicators/satisfaction_rate/series", region=HOME_TOWNSHIP),
    ],
}
ROUTES.update(INDICATOR_API)

NOT_PROBED = {
    "admin:*": "Django admin: for system administrators of the whole country only (access walk).",
    "set_language": "Sets the interface language; reads and returns no record.",
    "core:elder_mode": "Sets the elder-mode display cookie; reads and returns no record.",
    "javascript-catalog": "The translation catalogue for scripts; no record.",
    "accounts:logout": "Ends the session; reads and returns no record (it would end the walk).",
    "api:openapi-json": "The API's schema: operations and types, no record.",
    "api:openapi-view": "The API's documentation page: no record.",
    "api:api-root": "The API's root: links to the schema, no record.",
    "healthz": "Process liveness for load balancers: a constant answer, no record.",
    "readyz": "Readiness (database, migrations, worker heartbeat, disk): true or false, no record.",
    "field:app": "The field app's shell: the same static page for everyone, data come from the API.",
    "field:app-manifest": "The field app's web app manifest: name, icons, scope; no record.",
    "field:app-sw": "The field app's service worker script: the same for everyone, no record.",
    "metrics": "The operator's metrics (bearer token): counts and durations, no record "
    "(tests/ops/test_health.py).",
}


# ---- the walk ------------------------------------------------------------------------------------


def _walk(resolver, prefix="", namespaces=()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, namespaces


def page_routes(urlconf=None) -> set[str]:
    """Every named URL pattern as `namespace:name` (API operations are listed separately)."""
    names = set()
    for _route, pattern, namespaces in _walk(get_resolver(urlconf)):
        if "admin" in namespaces:
            names.add("admin:*")
            continue
        if "api" in namespaces and pattern.name not in ("openapi-json", "openapi-view", "api-root"):
            continue  # each API operation is a route of its own, below
        name = pattern.name or pattern.lookup_str
        names.add(":".join([*namespaces, name]) if namespaces else name)
    return names


def api_routes() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


def all_routes(urlconf=None) -> set[str]:
    return page_routes(urlconf) | api_routes()


def test_every_route_has_probes_or_a_reason():
    routes = all_routes()
    assert len(routes) > 200
    missing = sorted(routes - ROUTES.keys() - NOT_PROBED.keys())
    assert missing == [], "Routes the side-channel harness does not probe:\n" + "\n".join(missing)
    stale = sorted((ROUTES.keys() | NOT_PROBED.keys()) - routes)
    assert stale == [], f"Probes for routes that no longer exist: {stale}"
    assert all(len(reason) > 20 for reason in NOT_PROBED.values())


# ---- running probes ------------------------------------------------------------------------------


def response_text(response) -> str:
    """What a person (or a script) gets from a response: headers that carry data, the body as
    text — JSON without escapes, an Excel workbook's cells, a PDF's text."""
    from openpyxl import load_workbook

    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    parts = [response.get("Location", ""), response.get("Content-Disposition", "")]
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.append("\t".join("" if v is None else str(v) for v in row))
    elif "pdf" in kind:
        parts.append(pdf_text(content))
    elif "json" in kind:
        try:
            parts.append(json.dumps(json.loads(content), ensure_ascii=False))
        except ValueError:
            parts.append(content.decode("utf-8", "replace"))
    elif kind.startswith(("text/", "application/xml")) or not kind:
        parts.append(content.decode("utf-8", "replace"))
    return "\n".join(parts)


@dataclass
class Finding:
    route: str
    probe: str
    problem: str


@dataclass
class Walker:
    world: Any
    clients: dict[str, Client] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    statuses: list[tuple[str, str, int]] = field(default_factory=list)

    def __post_init__(self):
        self.clients = {"anonymous": Client(), "staff": Client(), "volunteer": Client()}
        for who, user in (("staff", self.world.user), ("volunteer", self.world.volunteer_user)):
            client = self.clients[who]
            client.force_login(user)
            if requires_second_factor(user):
                verify_session(client, user)
            session = client.session
            session["active_membership_id"] = user.active_membership.pk
            session.save()
        self.secrets = self.world.foreign.secrets()
        self.foreign_ids = {str(pk) for pk in self._foreign_pks()}

    def _foreign_pks(self) -> set[int]:
        ids = set()
        for rows in foreign_rows().values():
            ids |= {row[0] for row in rows if isinstance(row[0], int) and row[0] in FOREIGN_IDS}
        return ids

    def send(self, probe: Probe):
        from django.core.cache import cache

        cache.clear()  # rate limits: every probe is a first attempt
        client = self.clients[probe.as_]
        data = dict(probe.data or {})
        if probe.upload:
            field_name, filename, content = probe.upload
            data[field_name] = SimpleUploadedFile(filename, content)
        if probe.json:
            body = json.dumps(data) if probe.method != "GET" else None
            return client.generic(
                probe.method, probe.path, body or "", content_type="application/json"
            ), []
        if probe.method == "GET":
            response = client.get(probe.path, data or None, follow=probe.follow)
        else:
            response = client.post(probe.path, data, follow=probe.follow)
        chain = getattr(response, "redirect_chain", [])
        return response, [url for url, _status in chain]

    def leaks_in(self, text: str, typed: str) -> list[str]:
        found = [s for s in self.secrets if s in text and s not in typed]
        for match in PK_PATTERN.finditer(text):
            pk = match.group(1)
            if pk in self.foreign_ids and pk not in typed:
                found.append(f"id {pk}")
        return sorted(set(found))

    def walk(self, name: str, probes: list[Probe]) -> None:
        before = foreign_rows()
        for probe in probes:
            label = f"{probe.as_} {probe.method} {probe.path}"
            try:
                response, redirects = self.send(probe)
            except Exception as exc:  # noqa: BLE001 - a crash is reported with the route
                self.findings.append(Finding(name, label, f"raised {type(exc).__name__}: {exc}"))
                continue
            self.statuses.append((name, label, response.status_code))
            if response.status_code >= 500:
                self.findings.append(Finding(name, label, f"answered {response.status_code}"))
            text = response_text(response) + "\n" + "\n".join(redirects)
            leaked = self.leaks_in(text, probe.typed())
            if leaked:
                self.findings.append(Finding(name, label, f"shows {leaked}"))
        changed = changed_tables(before, foreign_rows())
        if changed:
            self.findings.append(Finding(name, "(all probes)", f"changed foreign rows: {changed}"))


@pytest.fixture
def world(db, settings):
    settings.PETITIONS_FORM_MIN_SECONDS = 0
    saved = save_sequences()
    try:
        w = build_world()
        from shegong.petitions.models import Category

        w.wages = Category.objects.get(code="labour.wages")
        yield w
    finally:
        restore_sequences(saved)


def _app_of(name: str) -> str:
    if name.startswith(("GET ", "POST ", "PATCH ", "PUT ", "DELETE ")):
        return "api-" + name.split(" ")[1].split("/")[3]
    return name.split(":")[0].split("-")[0]


GROUPS = sorted({_app_of(name) for name in ROUTES})


@pytest.mark.parametrize("group", GROUPS)
def test_no_route_shows_or_changes_another_countys_records(world, group):
    walker = Walker(world)
    for name in sorted(ROUTES):
        if _app_of(name) == group:
            walker.walk(name, ROUTES[name](world))
    assert walker.findings == [], "\n".join(
        f"{f.route} · {f.probe}: {f.problem}" for f in walker.findings
    )


def test_probes_reach_what_they_test(world):
    """The probes get past login, permissions and form validation to the checks they are meant
    to exercise: most answer with a page, a redirect to one, or a refusal that is not a crash."""
    walker = Walker(world)
    for name in ("people:create", "petitions:create", "POST /api/v1/petitions/matters"):
        walker.walk(name, ROUTES[name](world))
    assert walker.findings == []
    codes = {label: status for _name, label, status in walker.statuses}
    assert set(codes.values()) <= {200, 201, 400, 422}
    # The registrations that match the other county were told whom to contact.
    from shegong.petitions.models import Matter

    assert Matter.objects.filter(county_code="441881", title=world.foreign.matter_title).exists()


# ---- the harness itself fails where it should ----------------------------------------------------


def _leaky_id_check(request):
    """A deliberately leaky htmx fragment: "is this ID number registered?" answered with the
    resident's name and a link to the record, wherever it is."""
    from django.http import HttpResponse

    from shegong.core.crypto import blind_index
    from shegong.people.models import Resident

    number = request.GET.get("id_number", "")
    found = Resident.objects.filter(id_number_hash=blind_index(number)).first()
    if found is None:
        return HttpResponse("")
    return HttpResponse(f'<a href="/people/{found.pk}/">{found.name}</a> 已登记')


def _leaky_repeat_count(request):
    """A deliberately leaky write: counts a repeat on whichever matter has this number."""
    from django.db.models import F
    from django.http import HttpResponse

    from shegong.petitions.models import Matter

    Matter.objects.filter(number=request.POST.get("number", "")).update(
        repeat_count=F("repeat_count") + 1
    )
    return HttpResponse("ok")


def _leaky_urlpatterns():
    from django.urls import include, path

    from shegong.core.access import scoped

    return [
        path("leaky/id-check/", scoped("people.view")(_leaky_id_check), name="leaky-id-check"),
        path("leaky/repeat/", scoped("petitions.view")(_leaky_repeat_count), name="leaky-repeat"),
        path("", include("shegong.urls")),
    ]


urlpatterns = _leaky_urlpatterns()  # the URL conf of the test below (ROOT_URLCONF = this module)


def test_the_harness_catches_a_leaky_fragment(world, settings):
    settings.ROOT_URLCONF = __name__
    # A new route that nobody gave probes to is found by the coverage check...
    assert sorted(all_routes(__name__) - ROUTES.keys() - NOT_PROBED.keys()) == [
        "leaky-id-check",
        "leaky-repeat",
    ]
    # ...and probing it shows what it leaks and what it writes.
    walker = Walker(world)
    walker.walk("leaky-id-check", [GET("/leaky/id-check/", id_number=world.foreign.resident_id)])
    walker.walk("leaky-repeat", [POST("/leaky/repeat/", {"number": world.foreign.matter_number})])
    problems = {f.route: f.problem for f in walker.findings}
    resident = world.foreign.ids["resident"]
    assert problems["leaky-id-check"] == f"shows ['id {resident}', '{world.foreign.resident_name}']"
    assert problems["leaky-repeat"] == "changed foreign rows: ['petitions.Matter']"
