"""The one scoping layer: jurisdiction is a region-code prefix, a subtree is a range of codes.

Every regional model's queryset inherits `ScopedQuerySet` and names the field that holds the
12-digit region code (`region_field`). `visible_to(user)` keeps the rows inside the user's active
jurisdiction. A subtree is filtered as a range (`code BETWEEN '4401000000000' AND '440199999999'`),
which uses a plain B-tree index on SQLite and PostgreSQL alike and needs no LIKE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from shegong.accounts.models import User

from shegong.core.regioncode import CODE_LENGTH, PREFIX_LENGTH, code_range  # noqa: F401


def prefix_of(code: str, level: int) -> str:
    return code[: PREFIX_LENGTH[level]]


@dataclass(frozen=True)
class Jurisdiction:
    """The region subtree that a membership works in."""

    prefix: str  # "" = the whole country
    region_code: str
    level: int

    def contains(self, code: str | None) -> bool:
        return bool(code) and code.startswith(self.prefix)

    def range(self) -> tuple[str, str]:
        return code_range(self.prefix)

    @property
    def is_national(self) -> bool:
        return self.prefix == ""


NOWHERE = Jurisdiction(prefix="-", region_code="", level=-1)


def jurisdiction_of(user: User | Any) -> Jurisdiction:
    """The active jurisdiction of a user (NOWHERE for anonymous users or users without one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOWHERE
    membership = getattr(user, "active_membership", None)
    if membership is None:
        return NOWHERE
    return membership.jurisdiction


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that sit in a region, found by `region_field`.

    A model that needs nothing more says `objects = scoped_manager("region_code")`; a model with
    methods of its own subclasses this and sets `region_field`.

    Reads go through `visible_to(user)` (or `in_subtree(prefix)`). A read that must see past
    the reader's jurisdiction says so, with its reason: `Model.objects.unscoped(reason="…")`.
    A model whose every row is public reference data (the region tree) sets `public_reason`
    instead. `tests/core/test_unscoped_reads.py` lists every such declaration and fails on an
    undeclared read (docs/decisions/0005-side-channels.md).
    """

    region_field = "region"
    # Non-empty: every row is public reference data, so reads need no per-query declaration.
    public_reason = ""

    def in_subtree(self, prefix: str) -> ScopedQuerySet:
        if prefix == "":
            return self
        low, high = code_range(prefix)
        field = f"{self.region_field}_id" if self._is_fk() else self.region_field
        return self.filter(**{f"{field}__gte": low, f"{field}__lte": high})

    def visible_to(self, user: User | Any) -> ScopedQuerySet:
        jurisdiction = jurisdiction_of(user)
        if jurisdiction is NOWHERE:
            return self.none()
        return self.in_subtree(jurisdiction.prefix)

    def unscoped(self, *, reason: str) -> ScopedQuerySet:
        """Declare a read that is not limited to a jurisdiction, and why (a sweep over every
        row, a national uniqueness check, public data...). Nothing read here may be shown to a
        user outside the row's jurisdiction."""
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError("unscoped() needs the reason the read may see every jurisdiction")
        return self._chain()

    def _is_fk(self) -> bool:
        field = self.model._meta.get_field(self.region_field.split("__")[0])
        return field.is_relation and "__" not in self.region_field

    @classmethod
    def for_region_field(cls, region_field: str) -> type[ScopedQuerySet]:
        """The plain scoped queryset of rows whose region is `region_field` (one class per
        field, named after it, so that it pickles like a hand-written one)."""
        name = f"ScopedQuerySet_{region_field}"
        found = globals().get(name)
        if found is None:
            found = type(name, (ScopedQuerySet,), {"region_field": region_field})
            found.__module__ = __name__
            globals()[name] = found
        return found


def scoped_manager(region_field: str = "region") -> models.Manager:
    """`objects = scoped_manager("region_code")`: the manager of a model whose rows sit in the
    region named by `region_field`, with `visible_to`, `in_subtree` and `unscoped`."""
    return ScopedQuerySet.for_region_field(region_field).as_manager()


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset: ScopedQuerySet, user: User | Any, **lookup: Any) -> Any:
    """Fetch and authorise in one step: the same 404 for "missing" and "not yours"."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None


def ensure_in_jurisdiction(
    user: User | Any, region_code: str | None, *, field: str = "region"
) -> None:
    """Refuse a write that would place a record outside the user's jurisdiction."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not jurisdiction_of(user).contains(region_code or ""):
        raise ValidationError({field: _("该区划不在您的辖区范围内。")}, code="out_of_jurisdiction")
