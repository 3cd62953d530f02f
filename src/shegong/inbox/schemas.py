from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    url: str
    region_code: str
    created_at: datetime
    read_at: datetime | None
