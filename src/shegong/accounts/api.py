from ninja import Field, Router, Schema
from ninja.pagination import paginate

from shegong.accounts import selectors
from shegong.core.api_schema import Pagination, Search
from shegong.core.api_utils import require_perm
from shegong.core.scoping import jurisdiction_of

router = Router(tags=["accounts 账号"])


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(alias="organisation.name")
    role: str
    role_label: str = Field(alias="get_role_display")


class MeOut(Schema):
    username: str
    full_name: str
    active_membership: MembershipOut
    jurisdiction_prefix: str
    jurisdiction_region: str


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj):
        return obj.visible_memberships


@router.get("/me", response=MeOut, summary="Who am I, and where is my jurisdiction")
def me(request):
    j = jurisdiction_of(request.user)
    return {
        "username": request.user.username,
        "full_name": request.user.full_name,
        "active_membership": request.user.active_membership,
        "jurisdiction_prefix": j.prefix,
        "jurisdiction_region": j.region_code,
    }


@router.get("/users", response=list[UserOut], summary="Users with a membership in the jurisdiction")
@paginate(Pagination, page_size=25)
def user_list(request, q: Search = ""):
    require_perm(request, "accounts.view_users")
    return selectors.user_list(fetched_by=request.user, q=q).order_by("username")


@router.get("/users/{int:user_id}", response=UserOut)
def user_detail(request, user_id: int):
    require_perm(request, "accounts.view_users")
    return selectors.get_user_for(request.user, user_id)
