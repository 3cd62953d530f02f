from ninja.pagination import paginate

from shegong.core.api_access import Router, login_only
from shegong.core.api_schema import Pagination
from shegong.inbox import selectors, services
from shegong.inbox.schemas import NotificationOut

router = Router(tags=["inbox 消息提醒"])


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@login_only
@paginate(Pagination, page_size=25)
def notification_list(request, unread: bool = False):
    return selectors.notification_list(fetched_by=request.user, unread=unread)


@router.post("/{pk}/read", response=NotificationOut, summary="Mark a notification read")
@login_only
def notification_read(request, pk: int):
    return services.notification_open(acting_user=request.user, pk=pk)
