"""Views and API routes read through selectors (which start from `visible_to`), never through a
model manager directly: a query written in a view is where a jurisdiction check gets forgotten."""

import re
from pathlib import Path

import shegong

RAW_QUERY = re.compile(r"\.objects\.(filter|get|all|exclude|raw|extra)\(")


def view_modules():
    root = Path(shegong.__file__).parent
    return sorted(
        [
            *root.glob("*/views.py"),
            *root.glob("*/views/*.py"),
            *root.glob("*/api.py"),
            root / "api.py",
        ]
    )


def test_no_view_or_api_module_queries_a_model_manager():
    offenders = []
    for path in view_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAW_QUERY.search(line):
                offenders.append(
                    f"{path.relative_to(Path(shegong.__file__).parent)}:{number}: {line.strip()}"
                )
    assert view_modules(), "no view modules found"
    assert offenders == []
