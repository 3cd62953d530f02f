"""Model practices API: the jurisdiction's practices, the library, a practice with what the
caller may see of it (review notes for the submitting chain, an adoption's private notes for
the adopting chain), writing, adoptions and the review chain's actions."""

from types import SimpleNamespace

from ninja import Query, Schema, Status
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Digits, Pagination, Text
from shegong.core.workflow.api import action_route
from shegong.practices import schemas, selectors, services
from shegong.practices.workflow import PRACTICE

router = Router(tags=["practices 经验做法"])


class PracticeFilters(Schema):
    status: Text(16) = ""
    topic: Text(16) = ""
    q: Text(100) = ""
    queue: bool = False


class PracticeLibraryFilters(Schema):
    topic: Text(16) = ""
    region: Digits = ""
    q: Text(100) = ""


@router.get(
    "/practices",
    response=list[schemas.PracticeOut],
    summary="Practices of the caller's jurisdiction, every status",
)
@scoped("practices.view")
@paginate(Pagination, page_size=50)
def practice_list(request, filters: Query[PracticeFilters]):
    return selectors.practice_list(fetched_by=request.user, **filters.dict()).order_by("-id")


@router.get("/library", response=list[schemas.PracticeOut], summary="The practice library")
@scoped("practices.view")
@paginate(Pagination, page_size=50)
def library(request, filters: Query[PracticeLibraryFilters]):
    return selectors.library(**filters.dict())


def _detail(request, practice) -> SimpleNamespace:
    """The practice with what the caller may see of it."""
    own = selectors.is_own(fetched_by=request.user, practice=practice)
    reviews = selectors.reviews_of(fetched_by=request.user, practice=practice) if own else []
    adoptions = selectors.adoptions_of(fetched_by=request.user, practice=practice)
    names = set(schemas.PracticeOut.model_fields) - {"department_name"}
    return SimpleNamespace(
        **{name: getattr(practice, name) for name in names},
        department=practice.department,
        figures=selectors.figures_of(practice),
        reviews=list(reviews),
        adoptions=[a.__dict__ for a in adoptions],
    )


@router.get("/practices/{int:practice_id}", response=schemas.PracticeDetailOut)
@scoped("practices.view")
def practice_detail(request, practice_id: int):
    practice = selectors.get_practice_for(fetched_by=request.user, pk=practice_id)
    return _detail(request, practice)


@router.post("/practices", response={201: schemas.PracticeDetailOut}, summary="Write a practice")
@scoped("practices.submit")
def practice_create(request, payload: schemas.PracticeIn):
    data = payload.dict()
    practice = services.practice_create(acting_user=request.user, **data)
    return Status(201, _detail(request, practice))


@router.post(
    "/practices/{int:practice_id}/adoptions",
    response={201: schemas.PracticeAdoptionOut},
    summary="Record that the caller's department adopted or adapted a published practice",
)
@scoped("practices.adopt")
def adoption_create(request, practice_id: int, payload: schemas.PracticeAdoptionIn):
    practice = selectors.get_practice_for(fetched_by=request.user, pk=practice_id)
    adoption = services.adoption_record(
        acting_user=request.user, practice=practice, **payload.dict()
    )
    found = [
        a
        for a in selectors.adoptions_of(fetched_by=request.user, practice=practice)
        if a.id == adoption.pk
    ]
    return Status(201, found[0].__dict__)


action_route(router, PRACTICE, path="/practices", response=schemas.PracticeOut)
