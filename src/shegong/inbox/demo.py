from shegong.accounts.models import User
from shegong.inbox.models import Channel, Notification
from shegong.inbox.outbound.services import preferences_save
from shegong.inbox.services import notify_due

UNSCOPED_READS = "Demo seeding runs as the system: it finds the demo account by its username."


def load(*, stdout, **options) -> None:
    """The morning's notifications for the demo data (what `db_worker` makes at 07:30). The 天河
    account also takes every kind by WeCom, so that the delivery log has rows and the console
    channel (the demo's) writes them to the log once `db_worker` runs."""
    tianhe = User.objects.unscoped(reason=UNSCOPED_READS).filter(username="tianhe").first()
    if tianhe is not None:
        preferences_save(
            acting_user=tianhe,
            chosen={(kind, Channel.WECOM) for kind in Notification.Kind.values}
            | {(kind, Channel.EMAIL) for kind in Notification.Kind.values},
        )
    created = notify_due()
    stdout.write(f"  消息提醒：{created} 条")
