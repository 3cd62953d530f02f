def load(*, stdout) -> None:
    return None
