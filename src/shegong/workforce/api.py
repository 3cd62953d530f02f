"""/api/v1/workforce/: profiles, certificates, registrations (with the hours still needed),
training (courses, enrolments, external hours) and mentoring, all scoped. Every route declares
its access (core.api_access); external hours take their lifecycle's actions at
`POST /external/{pk}/actions/{action}`."""

from ninja import Query, Schema
from ninja.pagination import paginate

from shegong.core.api_access import Router, scoped
from shegong.core.api_schema import Choice, Digits, Pagination, Search, Year
from shegong.core.workflow.api import action_route
from shegong.workforce import selectors, services
from shegong.workforce.models import QualificationLevel
from shegong.workforce.schemas import (
    AttendanceIn,
    CertificateIn,
    CertificateOut,
    CourseIn,
    CourseOut,
    EligibilityOut,
    EnrolmentIn,
    EnrolmentOut,
    ExternalIn,
    ExternalOut,
    PairIn,
    PairOut,
    PipelineOut,
    PracticeSessionOut,
    ProfileIn,
    ProfileOut,
    RegistrationIn,
    RegistrationOut,
    SessionIn,
)
from shegong.workforce.workflow import EXTERNAL

router = Router(tags=["workforce 社会工作人才"])


class ProfileFilters(Schema):
    q: Search = ""
    region: Digits = ""
    level: Choice(QualificationLevel, blank=True) = ""


# ---- profiles -----------------------------------------------------------------------------------


@router.get("/profiles", response=list[ProfileOut], summary="Worker profiles in the jurisdiction")
@scoped("workforce.view")
@paginate(Pagination, page_size=25)
def profile_list(request, filters: Query[ProfileFilters]):
    return selectors.worker_list(
        fetched_by=request.user, q=filters.q, region=filters.region, level=filters.level
    )


@router.get("/profiles/{int:pk}", response=ProfileOut)
@scoped("workforce.view")
def profile_detail(request, pk: int):
    return selectors.get_worker_for(fetched_by=request.user, pk=pk)


@router.post("/profiles", response={201: ProfileOut}, summary="Register a worker")
@scoped("workforce.edit")
def profile_create(request, payload: ProfileIn):
    data = payload.dict()
    employer = selectors.get_organisation_for(fetched_by=request.user, pk=data.pop("employer_id"))
    return 201, services.worker_create(acting_user=request.user, employer=employer, **data)


@router.get("/profiles/{int:pk}/eligibility", response=EligibilityOut)
@scoped("workforce.view")
def profile_eligibility(request, pk: int, year: Year | None = None):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    found = selectors.worker_eligibility(fetched_by=request.user, worker=worker, year=year)
    return {
        "year": found.year,
        "level": found.level,
        "lacking": found.lacking,
        "answers": [
            {
                "level": a.level,
                "eligible": a.eligible,
                "rule": str(a.rule.label) if a.rule else "",
                "source": a.rule.source if a.rule else "",
                "lacking": a.lacking,
            }
            for a in found.answers
        ],
    }


@router.get("/pipeline", response=PipelineOut, summary="How many could sit each exam this year")
@scoped("workforce.view")
def pipeline(request, year: Year | None = None, region: Digits = ""):
    counts = selectors.exam_pipeline(fetched_by=request.user, year=year, region=region)
    return {"year": year or selectors.this_year(), **counts}


# ---- certificates and registrations -------------------------------------------------------------


@router.get("/profiles/{int:pk}/certificates", response=list[CertificateOut])
@scoped("workforce.view")
def certificate_list(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return selectors.worker_certificates(fetched_by=request.user, worker=worker)


@router.post("/profiles/{int:pk}/certificates", response={201: CertificateOut})
@scoped("workforce.edit")
def certificate_create(request, pk: int, payload: CertificateIn):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return 201, services.certificate_record(
        worker=worker, acting_user=request.user, **payload.dict()
    )


@router.get("/profiles/{int:pk}/registrations", response=list[RegistrationOut])
@scoped("workforce.view")
def registration_list(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return selectors.worker_registrations(fetched_by=request.user, worker=worker)


@router.post("/profiles/{int:pk}/registrations", response={201: RegistrationOut})
@scoped("workforce.edit")
def registration_create(request, pk: int, payload: RegistrationIn):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    certificate = selectors.get_worker_certificate(
        fetched_by=request.user, worker=worker, pk=payload.certificate_id
    )
    found = services.registration_record(
        certificate=certificate, acting_user=request.user, registered_on=payload.registered_on
    )
    return 201, selectors.get_registration_for(fetched_by=request.user, pk=found.pk, progress=True)


@router.post("/registrations/{int:pk}/renew", response={201: RegistrationOut})
@scoped("workforce.edit")
def registration_renew(request, pk: int):
    registration = selectors.get_registration_for(fetched_by=request.user, pk=pk)
    found = services.registration_renew(registration=registration, acting_user=request.user)
    return 201, selectors.get_registration_for(fetched_by=request.user, pk=found.pk, progress=True)


@router.get("/registrations/at-risk", response=list[RegistrationOut])
@scoped("workforce.view")
@paginate(Pagination, page_size=25)
def registrations_at_risk(request):
    return selectors.registrations_at_risk(fetched_by=request.user)


# ---- training -----------------------------------------------------------------------------------


@router.get("/courses", response=list[CourseOut])
@scoped("workforce.view")
@paginate(Pagination, page_size=25)
def course_list(request):
    return selectors.course_list(fetched_by=request.user).order_by("-starts_on", "-id")


@router.post("/courses", response={201: CourseOut})
@scoped("workforce.train")
def course_create(request, payload: CourseIn):
    data = payload.dict()
    organiser = selectors.get_organisation_for(fetched_by=request.user, pk=data.pop("organiser_id"))
    return 201, services.course_create(acting_user=request.user, organiser=organiser, **data)


@router.get("/courses/{int:pk}/enrolments", response=list[EnrolmentOut])
@scoped("workforce.view")
def enrolment_list(request, pk: int):
    course = selectors.get_course_for(fetched_by=request.user, pk=pk)
    return selectors.course_enrolments(fetched_by=request.user, course=course)


@router.post("/courses/{int:pk}/enrolments", response={201: EnrolmentOut})
@scoped("workforce.train")
def enrolment_create(request, pk: int, payload: EnrolmentIn):
    course = selectors.get_course_for(fetched_by=request.user, pk=pk)
    worker = selectors.get_worker_for(fetched_by=request.user, pk=payload.worker_id)
    return 201, services.enrolment_create(course=course, worker=worker, acting_user=request.user)


@router.post("/enrolments/{int:pk}/attendance", response=EnrolmentOut)
@scoped("workforce.train")
def enrolment_attend(request, pk: int, payload: AttendanceIn):
    enrolment = selectors.get_enrolment_for(fetched_by=request.user, pk=pk)
    return services.enrolment_attend(
        enrolment=enrolment,
        acting_user=request.user,
        attended=payload.attended,
        hours=payload.hours,
    )


@router.post("/profiles/{int:pk}/external", response={201: ExternalOut})
@scoped("workforce.train")
def external_create(request, pk: int, payload: ExternalIn):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return 201, services.external_submit(worker=worker, acting_user=request.user, **payload.dict())


@router.get("/external/{int:pk}", response=ExternalOut)
@scoped("workforce.view")
def external_detail(request, pk: int):
    return selectors.get_external_for(fetched_by=request.user, pk=pk)


action_route(router, EXTERNAL, path="/external", response=ExternalOut)


# ---- mentoring ----------------------------------------------------------------------------------


@router.get("/mentoring/pairs", response=list[PairOut])
@scoped("workforce.view")
@paginate(Pagination, page_size=25)
def pair_list(request):
    return selectors.pair_list(fetched_by=request.user).order_by("-started_on", "-id")


@router.post("/mentoring/pairs", response={201: PairOut})
@scoped("workforce.mentor")
def pair_create(request, payload: PairIn):
    mentor = selectors.get_worker_for(fetched_by=request.user, pk=payload.mentor_id)
    mentee = selectors.get_worker_for(fetched_by=request.user, pk=payload.mentee_id)
    return 201, services.pair_create(
        mentor=mentor, mentee=mentee, acting_user=request.user, goals=payload.goals
    )


@router.get("/mentoring/pairs/{int:pk}/sessions", response=list[PracticeSessionOut])
@scoped("workforce.view")
def session_list(request, pk: int):
    pair = selectors.get_pair_for(fetched_by=request.user, pk=pk)
    return selectors.pair_sessions(fetched_by=request.user, pair=pair)


@router.post("/mentoring/pairs/{int:pk}/sessions", response={201: PracticeSessionOut})
@scoped("workforce.mentor")
def session_create(request, pk: int, payload: SessionIn):
    pair = selectors.get_pair_for(fetched_by=request.user, pk=pk)
    data = payload.dict()
    visit_id = data.pop("visit_id")
    visit = selectors.get_visit_for(fetched_by=request.user, pk=visit_id) if visit_id else None
    return 201, services.session_record(pair=pair, acting_user=request.user, visit=visit, **data)


@router.get(
    "/mentoring/unpaired", response=list[ProfileOut], summary="New workers without a mentor"
)
@scoped("workforce.view")
@paginate(Pagination, page_size=25)
def unpaired(request):
    return selectors.unpaired_new_workers(fetched_by=request.user)
