from ninja.pagination import paginate

from shegong.accounts import selectors
from shegong.accounts.schemas import MeOut, UserOut
from shegong.core.api_access import Router, login_only, scoped
from shegong.core.api_schema import Pagination, Search
from shegong.core.scoping import jurisdiction_of

router = Router(tags=["accounts 账号"])


@router.get("/me", response=MeOut, summary="Who am I, and where is my jurisdiction")
@login_only
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
@scoped("accounts.view_users")
@paginate(Pagination, page_size=25)
def user_list(request, q: Search = ""):
    return selectors.user_list(fetched_by=request.user, q=q).order_by("username")


@router.get("/users/{int:user_id}", response=UserOut)
@scoped("accounts.view_users")
def user_detail(request, user_id: int):
    return selectors.get_user_for(fetched_by=request.user, pk=user_id)
