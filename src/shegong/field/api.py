"""The field app's API (外勤): devices, the route download and the offline sync, at /api/v1/field/.

CONTRACT (for the PWA; every route needs the session (with CSRF header) or a token, and the
role grant shown; errors are the API's usual `{"errors": [{"field": ..., "reason": ...}]}`).

Devices (现场设备) — a phone/browser registered by the signed-in user (`field.sync`):
  POST /api/v1/field/devices            body {"name": "我的手机", "user_agent": "..."}
        201 {"id": "<uuid>", "name", "user_agent", "registered_at", "last_sync_at": null,
             "revoked_at": null, "active": true}
  GET  /api/v1/field/devices            200 [device, ...]   (the caller's own devices)
  POST /api/v1/field/devices/{id}/revoke 200 device (own device; a supervisor may revoke a worker's
        device inside their jurisdiction); 404 for a device that is not yours / not visible.

Route (今日路线) — GET /api/v1/field/route?horizon_days=0   (`field.sync`; 0..14, default 0 =
  due today or overdue).  Audited ("field.route_download").
  200 {
    "downloaded_at": "<iso datetime>",     # send it back as payload.route_version
    "wipe_after_days": 3,                   # settings.SHEGONG_FIELD_WIPE_DAYS
    "worker": {"id": 7, "name": "..."},
    "visits": [{
      "plan_id": 12, "due_date": "2026-12-07", "overdue": false, "last_visit_date": null,
      "event_note": "",
      "resident": {"id": 55, "name": "...", "id_number_masked": "4418**********1234",
                   "sex": "F", "age": 81, "address": "...", "phone": "138..." | null (role),
                   "categories": [{"code": "elderly_alone", "name": "独居老人"}],
                   "risk_level": "high", "risk_label": "高风险",
                   "region_code": "441881101001", "region_name": "...",
                   "updated_at": "<iso>"},
      "checklist": [{"field": "finding_health", "label": "身体健康", "sensitive": true}, ...],
      "recent_notes": [{"visited_on": "...", "mode": "home", "by": "...",
                        "notes": [{"label": "生活照料", "text": "..."}]}]   # last 3 visits
    }],
    "sweeps": [{"task_id": 9, "outcome": "pending" | "not_reached", "attempts": 0, "reason": "",
                "event": {"id": 3, "title": "台风“海葵”", "due_at": "<iso>"},
                "resident": {"id", "name", "id_number_masked", "sex", "age", "address",
                             "phone" | null, "region_code", "region_name"}}],  # open tasks only
    "choices": {"visit_modes": [{"value": "home", "label": "入户"}, ...],
                "visit_outcomes": [...], "needs_categories": [...],
                "not_reached_reasons": [...], "finding_categories": [...],
                "finding_urgency": [...], "sweep_outcomes": [...],
                "sweep_need_categories": [...]}
  }

Sync (同步) — POST /api/v1/field/sync   (`field.sync`; at most 100 records a request; keep the
  body under 2 MB, i.e. send records with photos a few at a time)
  body {"device_id": "<uuid>", "records": [{"client_id": "<uuid>", "kind": "visit" |
        "finding" | "not_reached" | "sweep_outcome", "recorded_at": "<iso datetime>", "payload": {...}}]}
  payload of "visit": {"resident_id": 55, "plan_id": 12?, "route_version": "<downloaded_at>"?,
        "visited_on": "YYYY-MM-DD"? (default: recorded_at's date), "mode": "home",
        "visitors": "", "checklist": {"finding_health": "...", "finding_living": "...",
        "finding_safety": "...", "finding_mood": "..."}, "needs": "free text",
        "needs_categories": ["service", ...] (choices.needs_categories; put before the needs
        text as 【…】),
        "photo": "<base64 JPEG, ≤ 1 MB decoded>"?, "position": {"latitude": 23.1,
        "longitude": 113.2, "accuracy": 20}?}
  payload of "finding": {"region_code": "<12-digit village>"? or "resident_id": 55?,
        "category": "<petitions category code>", "summary": "...", "facts": ""?,
        "address": ""?, "urgency": "normal"?, "parties": [{"name": "...", "phone": ""}]?,
        "photo": "<base64 JPEG>"?, "position": {...}?}   → a matter, channel "field" (排查发现)
  payload of "not_reached": {"resident_id": 55, "plan_id": 12?, "route_version": "..."?,
        "attempted_on": "YYYY-MM-DD"?, "reason": "<not_reached_reasons value>", "note": ""?,
        "position": {...}?}
  payload of "sweep_outcome": {"task_id": 9, "outcome": "reached_safe" | "reached_needs_help" |
        "not_reached", "need_category": "<sweep_need_categories value>" (needs help),
        "need_text": "what is needed" (needs help), "reason": "..." (not reached),
        "position": {...}?}   → emergency.outcome_record (idempotent by client_id; needs help
        also creates the resident's assistance record); server_id "sweep:<outcome id>"
  200 {"results": [{"client_id", "status": "stored" | "duplicate" | "conflict" | "rejected",
        "server_id": "visit:123" | "matter:45" | "attempt:6" | null,
        "url": "/people/visits/123/" | null, "message": "...",
        "errors": {"field": "reason"}}]}    # one result per record, in order
     stored    — kept now; duplicate — this client_id was kept before (same server_id, nothing new);
     conflict  — KEPT but flagged (plan reassigned / resident changed since route_version); the
                 worker's supervisor sees it; do not resend; rejected — not kept, see errors
                 (fix or drop it; resending the same client_id later is allowed).
  403 {"errors": [{"field": "device_id", "reason": "该设备已被停用…"}]} — revoked or unknown
      device, or an account no longer active: the whole request is refused, nothing stored
      (a deactivated account is already refused by authentication: 401 with a reason).
  A new kind is one handler: `shegong.field.services.HANDLERS["<kind>"] = fn` (see sync.py).

Submissions — GET /api/v1/field/submissions?status=&device_id=  (`field.sync`; the caller's own,
  newest first, paginated {"items": [...], "count": n})
  item {"client_id", "kind", "status", "recorded_at", "received_at", "device_id", "server_id",
        "url", "message", "conflict": {"reason", "resolved", "resolution_note"} | null}

Pages (server-rendered, namespace "field"): /field/ (field:status, the worker's sync status:
devices, sent records, conflicts), /field/devices/ (field:devices), /field/conflicts/
(field:conflicts, supervisors). The PWA's own pages go under /field/app/ (field-app).
"""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Count, Pagination, Text
from shegong.core.audit import audit_record
from shegong.field import selectors, services
from shegong.field.models import FieldDevice, SubmissionStatus

router = Router(tags=["field 外勤"])


# ---- devices ----------------------------------------------------------------------------------


class FieldDeviceIn(Schema):
    name: Text(60, min_length=1)
    user_agent: Text(300) = ""


class FieldDeviceOut(Schema):
    id: UUID
    name: str
    user_agent: str
    registered_at: datetime
    last_sync_at: datetime | None
    revoked_at: datetime | None
    active: bool

    @staticmethod
    def resolve_active(obj: FieldDevice) -> bool:
        return obj.is_active


@router.post(
    "/devices", response={201: FieldDeviceOut}, summary="Register this phone for offline work"
)
@scoped("field.sync")
def device_register(request, payload: FieldDeviceIn):
    device = services.device_register(
        acting_user=request.user, name=payload.name, user_agent=payload.user_agent, request=request
    )
    return 201, device


@router.get("/devices", response=list[FieldDeviceOut], summary="My registered devices")
@scoped("field.sync")
def device_list(request):
    return list(selectors.devices_of(fetched_by=request.user)[:50])


@router.post(
    "/devices/{uuid:device_id}/revoke",
    response=FieldDeviceOut,
    summary="Revoke a device (mine, or a worker's in my jurisdiction as a supervisor)",
)
@scoped("field.sync")
def device_revoke(request, device_id: UUID):
    device = selectors.get_device_for(fetched_by=request.user, pk=device_id)
    return services.device_revoke(device=device, acting_user=request.user, request=request)


# ---- the route ----------------------------------------------------------------------------------


class RouteOption(Schema):
    value: str
    label: str


class RouteCategory(Schema):
    code: str
    name: str


class RouteResident(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="never the full ID number")
    sex: str
    age: int
    address: str
    phone: str | None = Field(description="null when the role may not see it")
    categories: list[RouteCategory]
    risk_level: str
    risk_label: str
    region_code: str
    region_name: str
    updated_at: datetime


class RouteChecklistItem(Schema):
    field: str
    label: str
    sensitive: bool


class RouteNote(Schema):
    label: str
    text: str


class RouteRecentVisit(Schema):
    visited_on: date
    mode: str
    by: str
    notes: list[RouteNote]


class RouteVisit(Schema):
    plan_id: int
    due_date: date
    overdue: bool
    last_visit_date: date | None
    event_note: str
    resident: RouteResident
    checklist: list[RouteChecklistItem]
    recent_notes: list[RouteRecentVisit]


class RouteSweepEvent(Schema):
    id: int
    title: str
    due_at: datetime = Field(description="by when every resident should be reached")


class RouteSweepResident(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="never the full ID number")
    sex: str
    age: int
    address: str
    phone: str | None = Field(description="null when the role may not see it")
    region_code: str
    region_name: str


class RouteSweep(Schema):
    task_id: int
    outcome: str = Field(description="pending | not_reached (only tasks not yet reached)")
    attempts: int
    reason: str
    event: RouteSweepEvent
    resident: RouteSweepResident


class RouteFormChoices(Schema):
    visit_modes: list[RouteOption]
    visit_outcomes: list[RouteOption]
    needs_categories: list[RouteOption]
    not_reached_reasons: list[RouteOption]
    finding_categories: list[RouteOption]
    finding_urgency: list[RouteOption]
    sweep_outcomes: list[RouteOption] = []
    sweep_need_categories: list[RouteOption] = []


class RouteWorker(Schema):
    id: int
    name: str


class RouteOut(Schema):
    downloaded_at: datetime = Field(description="send back as payload.route_version")
    wipe_after_days: int = Field(description="days the phone may keep the route and its queue")
    worker: RouteWorker
    visits: list[RouteVisit]
    sweeps: list[RouteSweep] = Field(
        [], description="the worker's open emergency sweep tasks (应急排查), not yet reached"
    )
    choices: RouteFormChoices


@router.get("/route", response=RouteOut, summary="Download my route (due visits) for offline work")
@scoped("field.sync")
def route(request, horizon_days: Count(0, 14) = 0):
    data = selectors.route_for(fetched_by=request.user, horizon_days=horizon_days)
    audit_record(
        action="field.route_download",
        actor=request.user,
        region_code=selectors.jurisdiction_code(fetched_by=request.user),
        detail={"visits": len(data["visits"]), "horizon_days": horizon_days},
        request=request,
    )
    return data


# ---- the sync -----------------------------------------------------------------------------------


class SyncRecordIn(Schema):
    client_id: UUID = Field(description="made on the phone; a second send is a duplicate")
    kind: Text(20, min_length=1) = Field(description="visit | finding | not_reached")
    recorded_at: datetime
    payload: dict = Field(description="by kind: see the module's contract")


class SyncIn(Schema):
    device_id: UUID
    records: list[SyncRecordIn] = Field(max_length=services.MAX_RECORDS)


class SyncRecordResult(Schema):
    client_id: str
    status: Choice(SubmissionStatus)
    server_id: str | None
    url: str | None
    message: str
    errors: dict[str, str]


class SyncOut(Schema):
    results: list[SyncRecordResult]


@router.post("/sync", response=SyncOut, summary="Send the phone's queued records (idempotent)")
@scoped("field.sync")
def sync(request, payload: SyncIn):
    results = services.sync_records(
        acting_user=request.user,
        device_id=str(payload.device_id),
        records=[r.dict() for r in payload.records],
        request=request,
    )
    return {"results": results}


# ---- what was sent ------------------------------------------------------------------------------


class FieldConflictOut(Schema):
    reason: str
    reason_label: str
    detail: str
    resolved: bool
    resolution_note: str

    @staticmethod
    def resolve_reason_label(obj) -> str:
        return str(obj.get_reason_display())

    @staticmethod
    def resolve_resolved(obj) -> bool:
        return obj.is_resolved


class FieldSubmissionOut(Schema):
    client_id: UUID
    kind: str
    status: str
    recorded_at: datetime
    received_at: datetime
    device_id: UUID
    server_id: str
    url: str
    message: str
    errors: dict[str, str]
    conflict: FieldConflictOut | None

    @staticmethod
    def resolve_conflict(obj):
        return getattr(obj, "conflict", None) if obj.status == SubmissionStatus.CONFLICT else None


@router.get("/submissions", response=list[FieldSubmissionOut], summary="What my phones sent")
@scoped("field.sync")
@paginate(Pagination, page_size=50)
def submissions(
    request, status: Choice(SubmissionStatus, blank=True) = "", device_id: Text(36) = ""
):
    return selectors.submissions_of(fetched_by=request.user, status=status, device_id=device_id)
