# ruff: noqa: S608 - SQL written from model and column names; values always as parameters
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from shegong.accounts.models import Membership, PersonalAccessToken, User
from shegong.core.models import AuditLog, AuditVerification
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


def get_user_for(*, fetched_by: User, pk: int) -> User:
    return get_visible_or_404(user_list(fetched_by=fetched_by), fetched_by, pk=pk)


def token_list(*, fetched_by: User) -> QuerySet[PersonalAccessToken]:
    """The user's own tokens."""
    return PersonalAccessToken.objects.filter(membership__user=fetched_by).select_related(
        "membership__organisation"
    )


def audit_list(
    *,
    fetched_by: User,
    actions: Sequence[str] = (),
    actor_name: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    ip: str = "",
    object_type: str = "",
    object_id: str = "",
    region_prefix: str = "",
    q: str = "",
) -> QuerySet[AuditLog]:
    """The audit rows of the user's jurisdiction that match every filter given. Each filter but
    the free text is an equality or range on an indexed column (see `AuditLog.Meta.indexes`)."""
    logs = AuditLog.objects.visible_to(fetched_by)
    if region_prefix:
        logs = logs.in_subtree(region_prefix)
    if actions:
        logs = logs.filter(action__in=list(actions))
    if actor_name:
        logs = logs.filter(actor_name=actor_name)
    if date_from:
        logs = logs.filter(at__gte=_local_midnight(date_from))
    if date_to:
        logs = logs.filter(at__lt=_local_midnight(date_to + timedelta(days=1)))
    if ip:
        logs = logs.filter(ip=ip)
    if object_type:
        logs = logs.filter(object_type=object_type)
    if object_id:
        logs = logs.filter(object_id=object_id)
    if q:
        # The detail is JSON text: PostgreSQL prints it with the characters themselves, SQLite
        # keeps what json.dumps wrote (non-ASCII as \uXXXX escapes); look for either.
        escaped = json.dumps(q)[1:-1]
        logs = logs.annotate(detail_text=Cast("detail", TextField())).filter(
            Q(detail_text__icontains=q) | Q(detail_text__icontains=escaped)
        )
    return logs


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_verification_latest(*, fetched_by: User) -> AuditVerification | None:
    """The last verification of the whole chain (it holds no row content, only positions)."""
    return AuditVerification.objects.order_by("-started_at", "-id").first()


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


def home_figures(*, fetched_by: User) -> list:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from shegong.core.permissions import has_perm
    from shegong.core.registry import Figure

    count = (
        User.objects.visible_to(fetched_by).filter(is_active=True).values("pk").distinct().count()
    )
    url = reverse("accounts:user_list") if has_perm(fetched_by, "accounts.view_users") else ""
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
