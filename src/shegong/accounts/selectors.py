# ruff: noqa: S608 - SQL written from model and column names; values always as parameters
from __future__ import annotations

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet

from shegong.accounts.models import Membership, PersonalAccessToken, User
from shegong.core.models import AuditLog
from shegong.core.prepared import ModelColumns, column, table
from shegong.core.scoping import get_visible_or_404

CHILD_COUNTS = (
    "Counts per child region of a subtree the caller checked against the user's "
    "jurisdiction; only figures leave."
)


def user_list(
    *, fetched_by: User, q: str = "", organisation_id: int | None = None
) -> QuerySet[User]:
    users = User.objects.visible_to(fetched_by)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(phone=q))
    if organisation_id:
        users = users.filter(memberships__organisation_id=organisation_id)
    return users.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.visible_to(fetched_by).select_related("organisation"),
            to_attr="visible_memberships",
        )
    )


def get_user_for(fetched_by: User, pk: int) -> User:
    return get_visible_or_404(user_list(fetched_by=fetched_by), fetched_by, pk=pk)


def token_list(*, owner: User) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(membership__user=owner).select_related(
        "membership__organisation"
    )


def audit_list(*, fetched_by: User, action: str = "") -> QuerySet[AuditLog]:
    logs = AuditLog.objects.visible_to(fetched_by).select_related("actor")
    if action:
        logs = logs.filter(action=action)
    return logs


def staff_count_by_child_region(low: str, high: str, child_len: int) -> dict[str, int]:
    """Distinct people with an active membership, per child region (one GROUP BY)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    rows = (
        Membership.objects.unscoped(reason=CHILD_COUNTS)
        .filter(is_active=True, organisation__region_id__gte=low, organisation__region_id__lte=high)
        .annotate(child=Substr("organisation__region_id", 1, child_len))
        .values("child")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


def home_figures(user: User) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.permissions import has_perm
    from shegong.core.registry import Figure

    count = User.objects.visible_to(user).filter(is_active=True).values("pk").distinct().count()
    url = reverse("accounts:user_list") if has_perm(user, "accounts.view_users") else ""
    return [Figure(_("工作人员账号"), count, url, order=20)]


# ---- the identity read on every request --------------------------------------------------------


def _membership_statement(connection) -> tuple[str, list[ModelColumns]]:
    from shegong.orgs.models import Organisation
    from shegong.regions.models import Region

    cached = _membership_statements.get(connection.alias)
    if cached is not None:
        return cached
    m = ModelColumns(Membership, "m", connection)
    o = ModelColumns(Organisation, "o", connection, m.end)
    r = ModelColumns(Region, "r", connection, o.end)
    sql = (
        f"SELECT {m.sql}, {o.sql}, {r.sql} FROM {table(Membership, connection)} m"
        f" INNER JOIN {table(Organisation, connection)} o"
        f" ON o.{column(Organisation, 'id', connection)}"
        f" = m.{column(Membership, 'organisation', connection)}"
        f" INNER JOIN {table(Region, connection)} r"
        f" ON r.{column(Region, 'code', connection)}"
        f" = o.{column(Organisation, 'region', connection)}"
        f" WHERE m.{column(Membership, 'user', connection)} = %s"
        f" AND m.{column(Membership, 'is_active', connection)} = %s"
        f" ORDER BY m.{column(Membership, 'id', connection)}"
    )
    _membership_statements[connection.alias] = (sql, [m, o, r])
    return sql, [m, o, r]


_membership_statements: dict[str, tuple[str, list[ModelColumns]]] = {}


def active_memberships(user_id: int) -> list[Membership]:
    """The user's active memberships in id order, each with `organisation` and
    `organisation.region` loaded: what `memberships_of(user)` gives (a test holds them equal),
    read with one statement written once (see `shegong.core.prepared`)."""
    connection = connections[router.db_for_read(Membership)]
    sql, parts = _membership_statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, True])
        rows = cursor.fetchall()
    organisation_field = Membership._meta.get_field("organisation")
    region_field = organisation_field.related_model._meta.get_field("region")
    found = []
    for row in rows:
        row = list(row)
        membership, organisation, region = (part.instance(row) for part in parts)
        region_field.set_cached_value(organisation, region)
        organisation_field.set_cached_value(membership, organisation)
        found.append(membership)
    return found
