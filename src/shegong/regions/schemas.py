"""The one API type for a region typed by a client: a code or a name, resolved by the service
side with `regions.selectors.region_resolve` (the same rules and messages as the pages)."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field

from shegong.core.api_schema import Text

RegionText = Annotated[
    Text(100, min_length=1),
    Field(
        description="区划代码（2、4、6、9 或 12 位）或名称 / a region code (2, 4, 6, 9 or 12 "
        "digits) or its name, resolved inside the caller's jurisdiction",
        examples=["440106", "天河区", "440106001001"],
    ),
]


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent_id: str | None


class ChildOut(RegionOut):
    counts: dict[str, int]


class RegionDetailOut(RegionOut):
    full_name: str
    children: list[ChildOut]
