"""The region code as a value: 12 digits whose prefix is the path (GB/T 2260 + NBS statistical codes).

    44 01 06 001 002
    │  │  │  │   └── village (村/社区)          level 5: 12 digits
    │  │  │  └────── township (乡镇/街道)       level 4:  9 digits
    │  │  └───────── county (县/区)             level 3:  6 digits
    │  └──────────── city (地级市)              level 2:  4 digits
    └─────────────── province (省)              level 1:  2 digits

A prefix (the significant digits of a region, "" for the whole country) is how jurisdictions are
compared and how subtrees become ranges. This module is the one place that pads a prefix to a
full code; everything that turns typed text, a prefix or a code into another of these goes
through `RegionCode`. It knows nothing of the database: whether a code names a real region is
for `regions.selectors.region_resolve`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_LENGTH = 12
# Level → how many leading digits identify a region of that level.
PREFIX_LENGTH = {0: 0, 1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LEVEL_OF_LENGTH = {length: level for level, length in PREFIX_LENGTH.items()}


class RegionCode(str):
    """A full 12-digit region code. `RegionCode.parse("4401")` → "440100000000"."""

    __slots__ = ()

    def __new__(cls, value: str) -> RegionCode:
        if len(value) != CODE_LENGTH or not value.isdigit():
            raise ValueError(f"not a 12-digit region code: {value!r}")
        return super().__new__(cls, value)

    # ---- making one ---------------------------------------------------------------------------

    @classmethod
    def from_prefix(cls, prefix: str) -> RegionCode:
        """The code of the region whose significant digits are `prefix` ("" → the nation)."""
        return cls(prefix.ljust(CODE_LENGTH, "0"))

    @classmethod
    def parse(cls, text: str | None, *, field: str = "region") -> RegionCode:
        """Typed text → a code: 2, 4, 6, 9 or 12 digits (spaces ignored). A clear error otherwise."""
        value = "".join((text or "").split())
        if not value:
            raise ValidationError(
                {field: ValidationError(_("请填写区划代码或名称。"), code="required")}
            )
        if not value.isdigit() or len(value) not in LEVEL_OF_LENGTH:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("区划代码应为 2、4、6、9 或 12 位数字：%(v)s") % {"v": value},
                        code="format",
                    )
                }
            )
        return cls.from_prefix(value)

    @classmethod
    def looks_like(cls, text: str | None) -> bool:
        """Whether typed text is meant as a code (digits) rather than a name."""
        value = "".join((text or "").split())
        return bool(value) and value.isdigit()

    # ---- what it says -------------------------------------------------------------------------

    @property
    def level(self) -> int:
        """The level the code's own digits name: the deepest level with a non-zero part."""
        if self == NATION:
            return 0
        for level in (5, 4, 3, 2, 1):
            start = PREFIX_LENGTH[level - 1]
            if self[start : PREFIX_LENGTH[level]].strip("0"):
                return level
        return 0

    @property
    def prefix(self) -> str:
        """The significant digits: "440106" for 天河区, "" for the nation."""
        return self[: PREFIX_LENGTH[self.level]]

    def ancestor(self, level: int) -> RegionCode:
        """The code of the region of `level` that contains this one."""
        return RegionCode.from_prefix(self[: PREFIX_LENGTH[level]])

    def ancestors(self) -> list[RegionCode]:
        """From the nation down to this region's parent."""
        return [self.ancestor(level) for level in range(0, self.level)]

    def within(self, prefix: str) -> bool:
        return self.startswith(prefix)


NATION = RegionCode("0" * CODE_LENGTH)


def code_range(prefix: str) -> tuple[str, str]:
    """The inclusive range of 12-digit codes that start with `prefix` (a B-tree range scan)."""
    return prefix.ljust(CODE_LENGTH, "0"), prefix.ljust(CODE_LENGTH, "9")
