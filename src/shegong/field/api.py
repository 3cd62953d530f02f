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
    "choices": {"visit_modes": [{"value": "home", "label": "入户"}, ...],
                "visit_outcomes": [...], "needs_categories": [...],
                "not_reached_reasons": [...], "finding_categories": [...],
                "finding_urgency": [...]}
  }

Sync (同步) — POST /api/v1/field/sync   (`field.sync`; at most 100 records a request; keep the
  body under 2 MB, i.e. send records with photos a few at a time)
  body {"device_id": "<uuid>", "records": [{"client_id": "<uuid>", "kind": "visit" |
        "finding" | "not_reached", "recorded_at": "<iso datetime>", "payload": {...}}]}
  payload of "visit": {"resident_id": 55, "plan_id": 12?, "route_version": "<downloaded_at>"?,
        "visited_on": "YYYY-MM-DD"? (default: recorded_at's date), "mode": "home",
        "visitors": "", "checklist": {"finding_health": "...", "finding_living": "...",
        "finding_safety": "...", "finding_mood": "..."}, "needs": "free text",
        "needs_categories": ["medical", ...], "notes": "free text",
        "photo": "<base64 JPEG, ≤ 1 MB decoded>"?, "position": {"latitude": 23.1,
        "longitude": 113.2, "accuracy": 20}?}
  payload of "finding": {"region_code": "<12-digit village>"? or "resident_id": 55?,
        "category": "<petitions category code>", "summary": "...", "facts": ""?,
        "address": ""?, "urgency": "normal"?, "parties": [{"name": "...", "phone": ""}]?,
        "photo": "<base64 JPEG>"?, "position": {...}?}   → a matter, channel "field" (排查发现)
  payload of "not_reached": {"resident_id": 55, "plan_id": 12?, "route_version": "..."?,
        "attempted_on": "YYYY-MM-DD"?, "reason": "<not_reached_reasons value>", "note": ""?,
        "position": {...}?}
  200 {"results": [{"client_id", "status": "stored" | "duplicate" | "conflict" | "rejected",
        "server_id": "visit:123" | "matter:45" | "attempt:6" | null,
        "url": "/people/visits/123/" | null, "message": "...",
        "errors": {"field": "reason"}}]}    # one result per record, in order
     stored    — kept now; duplicate — this client_id was kept before (same server_id, nothing new);
     conflict  — KEPT but flagged (plan reassigned / resident changed since route_version); the
                 worker's supervisor sees it; do not resend; rejected — not kept, see errors
                 (fix or drop it; resending the same client_id later is allowed).
  403 {"errors": [{"field": "device_id", "reason": "该设备已被停用…"}]} — revoked or unknown
      device, or an account no longer active: the whole request is refused, nothing stored.

Submissions — GET /api/v1/field/submissions?status=&device_id=  (`field.sync`; the caller's own,
  newest first, paginated {"items": [...], "count": n})
  item {"client_id", "kind", "status", "recorded_at", "received_at", "device_id", "server_id",
        "url", "message", "conflict": {"reason", "resolved", "resolution_note"} | null}

Pages (server-rendered, namespace "field"): /field/ (field:status, the worker's sync status:
devices, sent records, conflicts), /field/devices/ (field:devices), /field/conflicts/
(field:conflicts, supervisors). The PWA's own pages go under /field/app/ (field-app).
"""

from shegong.core.api_access import Router

router = Router(tags=["field 外勤"])
