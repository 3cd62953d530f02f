from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from shegong.core.api_schema import Pagination
from shegong.inbox import selectors, services

router = Router(tags=["inbox 消息提醒"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    region_code: str
    created_at: datetime
    read_at: datetime | None


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pagination, page_size=25)
def notification_list(request, unread: bool = False):
    return selectors.notification_list(user=request.user, unread=unread)


@router.post("/{pk}/read", response=NotificationOut, summary="Mark a notification read")
def notification_read(request, pk: int):
    return services.notification_open(user=request.user, pk=pk)
