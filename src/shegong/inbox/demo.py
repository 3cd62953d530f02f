from shegong.inbox.services import notify_due


def load(*, stdout, **options) -> None:
    """The morning's notifications for the demo data (what `db_worker` makes at 07:30)."""
    created = notify_due()
    stdout.write(f"  消息提醒：{created} 条")
