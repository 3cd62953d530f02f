def load(*, stdout) -> None:
    """Filled in below."""
