from shegong.inbox.services import notify_due


def load(*, stdout, rng) -> None:
    created = notify_due()
    stdout.write(f"inbox: {created} notifications")
