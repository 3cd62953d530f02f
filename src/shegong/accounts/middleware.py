"""Puts the user's active membership (and so their jurisdiction) on every request."""

from shegong.accounts.models import Membership
from shegong.accounts.selectors import active_memberships

OWN_MEMBERSHIPS = (
    "The signed-in user's own memberships: who they may act as, read before any "
    "jurisdiction is chosen."
)

SESSION_KEY = "active_membership_id"


def memberships_of(user):
    return (
        Membership.objects.unscoped(reason=OWN_MEMBERSHIPS)
        .active()
        .filter(user=user)
        .select_related("organisation", "organisation__region")
        .order_by("id")
    )


class ActiveMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            wanted = request.session.get(SESSION_KEY)
            memberships = active_memberships(user.pk)
            chosen = next((m for m in memberships if m.pk == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            user.active_membership = chosen
            user.memberships_cached = memberships
        return self.get_response(request)
