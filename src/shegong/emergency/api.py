"""Emergency sweep API: events (declare, board, tasks, actions), the caller's own tasks and
recording an outcome (idempotent by `client_id`). Scoped like the pages: outside the caller's
jurisdiction an event or a task is 404."""

from ninja import Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Pagination, Text
from shegong.core.workflow.api import action_route
from shegong.emergency import selectors, services
from shegong.emergency.schemas import (
    EmergencyEventIn,
    EmergencyEventOut,
    SweepBoardOut,
    SweepOutcomeIn,
    SweepOutcomeOut,
    SweepTaskOut,
)
from shegong.emergency.workflow import EVENT

router = Router(tags=["emergency 应急排查"])


@router.get("/events", response=list[EmergencyEventOut], summary="Emergency events the caller sees")
@scoped("emergency.view")
@paginate(Pagination, page_size=50)
def event_list(request, status: Text(16) = ""):
    return selectors.event_list(fetched_by=request.user, status=status).prefetch_related(
        "areas", "categories"
    )


@router.post("/events", response={201: EmergencyEventOut}, summary="Declare an event and its sweep")
@scoped("emergency.declare")
def event_declare(request, payload: EmergencyEventIn):
    data = payload.dict()
    data["areas"] = selectors.areas_resolve(fetched_by=request.user, texts=data["areas"])
    data["categories"] = selectors.categories_by_code(codes=data["categories"])
    return Status(201, services.event_declare(acting_user=request.user, **data))


@router.get("/events/{int:event_id}", response=EmergencyEventOut)
@scoped("emergency.view")
def event_detail(request, event_id: int):
    return selectors.get_event_for(fetched_by=request.user, pk=event_id)


@router.get("/events/{int:event_id}/board", response=SweepBoardOut, summary="The live board")
@scoped("emergency.view")
def event_board(request, event_id: int, township: Text(9, pattern="^[0-9]*$") = ""):
    event = selectors.get_event_for(fetched_by=request.user, pk=event_id)
    level, rows = selectors.board_rows(fetched_by=request.user, event=event, township=township)
    return {
        "event_id": event.pk,
        "level": level,
        "seconds_left": int(selectors.time_left(event).total_seconds()),
        "totals": selectors.board_totals(fetched_by=request.user, event=event),
        "rows": rows,
    }


@router.get("/events/{int:event_id}/tasks", response=list[SweepTaskOut])
@scoped("emergency.view")
@paginate(Pagination, page_size=50)
def event_tasks(
    request, event_id: int, outcome: Text(20) = "open", region: Text(12, pattern="^[0-9]*$") = ""
):
    event = selectors.get_event_for(fetched_by=request.user, pk=event_id)
    return selectors.task_list(fetched_by=request.user, event=event, outcome=outcome, prefix=region)


action_route(router, EVENT, path="/events", response=EmergencyEventOut)


@router.get("/tasks/mine", response=list[SweepTaskOut], summary="The caller's own sweep tasks")
@scoped("emergency.view")
@paginate(Pagination, page_size=50)
def my_tasks(request):
    return selectors.my_tasks(fetched_by=request.user)


@router.get("/tasks/{int:task_id}", response=SweepTaskOut)
@scoped("emergency.view")
def task_detail(request, task_id: int):
    return selectors.get_task_for(fetched_by=request.user, pk=task_id)


@router.post(
    "/tasks/{int:task_id}/outcome",
    response={201: SweepOutcomeOut},
    summary="Record an outcome (idempotent by client_id)",
)
@scoped("emergency.record")
def task_record(request, task_id: int, payload: SweepOutcomeIn):
    task = selectors.get_task_for(fetched_by=request.user, pk=task_id)
    return Status(
        201, services.outcome_record(task=task, acting_user=request.user, **payload.dict())
    )
