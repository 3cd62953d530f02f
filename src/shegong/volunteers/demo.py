"""Demo data for volunteers (filled in below)."""


def load(*, stdout) -> None:
    from shegong.volunteers.demo_data import load_demo

    load_demo(stdout=stdout)
