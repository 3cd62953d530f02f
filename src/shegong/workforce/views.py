"""The workforce pages: the county register, a worker's page, courses, mentoring, the import.
Thin: forms parse, selectors read, services write through `attempt`."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.crypto import reveal
from shegong.core.exports import excel_response
from shegong.core.history import history_of
from shegong.core.listing import paginate
from shegong.workforce import rules, selectors, services
from shegong.workforce.forms import (
    AttendForm,
    CertificateForm,
    CloseForm,
    CourseForm,
    EnrolForm,
    ExternalForm,
    ImportForm,
    PairForm,
    RegistrationForm,
    SessionForm,
    WorkerForm,
)
from shegong.workforce.models import QualificationLevel, WorkerStatus
from shegong.workforce.services.imports import COLUMNS

# ---- the register -------------------------------------------------------------------------------


@scoped("workforce.view")
def worker_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "level": request.GET.get("level", ""),
        "status": request.GET.get("status", WorkerStatus.IN_POST),
        "region": "".join(c for c in request.GET.get("region", "") if c.isdigit())[:12],
    }
    qs = selectors.worker_list(fetched_by=request.user, **filters)
    listing = paginate(
        request,
        qs,
        sorts={"name": ("name", "id"), "-start": ("-social_work_start_date", "id")},
        default="name",
    )
    year = timezone.localdate().year
    pipeline = selectors.exam_pipeline(fetched_by=request.user, year=year, region=filters["region"])
    return render(
        request,
        "workforce/worker_list.html",
        {
            "listing": listing,
            "filters": filters,
            "levels": QualificationLevel.choices,
            "statuses": WorkerStatus.choices,
            "pipeline": [(QualificationLevel(lv).label, pipeline[lv]) for lv in rules.LEVEL_ORDER],
            "year": year,
        },
    )


EXPORT_LIMIT = 50_000


@scoped("workforce.view")
def worker_export(request):
    """The register as filtered on the list page, in Excel (ID numbers masked)."""
    filters = {
        "q": request.GET.get("q", "").strip(),
        "level": request.GET.get("level", ""),
        "status": request.GET.get("status", WorkerStatus.IN_POST),
        "region": "".join(c for c in request.GET.get("region", "") if c.isdigit())[:12],
    }
    rows = [
        [
            w.name,
            w.id_number_masked,
            w.employer.name,
            w.post,
            w.get_education_display(),
            w.get_highest_level_display() if w.highest_level else "",
            w.social_work_start_date.isoformat() if w.social_work_start_date else "",
            w.get_status_display(),
        ]
        for w in selectors.worker_list(fetched_by=request.user, **filters)[:EXPORT_LIMIT]
    ]
    return excel_response(
        request,
        filename="workforce.xlsx",
        title=_("社会工作者名册"),
        headers=[
            _("姓名"),
            _("身份证号码"),
            _("工作单位"),
            _("岗位"),
            _("学历"),
            _("最高等级"),
            _("从事社会工作起始时间"),
            _("状态"),
        ],
        rows=rows,
        audit_detail={"export": "workforce_register", **filters},
    )


@scoped("workforce.edit")
def worker_create(request):
    form = WorkerForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.worker_create(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=lambda w: _("已登记社会工作者 %(n)s") % {"n": w.name},
        )
        if outcome:
            return redirect("workforce:detail", pk=outcome.value.pk)
    return render(request, "workforce/worker_form.html", {"form": form})


@scoped("workforce.view")
def worker_detail(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return render(request, "workforce/worker_detail.html", _detail_context(request, worker))


def _detail_context(request, worker, **forms):
    user = request.user
    registrations = list(selectors.worker_registrations(fetched_by=user, worker=worker))
    current = next((r for r in registrations if r.status == "active"), None)
    return {
        "worker": worker,
        "posts": selectors.worker_posts(fetched_by=user, worker=worker),
        "certificates": selectors.worker_certificates(fetched_by=user, worker=worker),
        "registrations": registrations,
        "current": current,
        "eligibility": selectors.worker_eligibility(fetched_by=user, worker=worker),
        "enrolments": selectors.worker_enrolments(fetched_by=user, worker=worker),
        "external": selectors.worker_external(fetched_by=user, worker=worker),
        "pairs": selectors.worker_pairs(fetched_by=user, worker=worker),
        "history": history_of(worker, hidden=("id_number_hash", "id_number_masked")),
        "certificate_form": forms.get("certificate_form") or CertificateForm(acting_user=user),
        "registration_form": forms.get("registration_form")
        or RegistrationForm(acting_user=user, worker=worker),
        "external_form": forms.get("external_form") or ExternalForm(acting_user=user),
    }


@require_POST
@scoped("workforce.reveal")
def worker_reveal(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    number = reveal(user=request.user, obj=worker, request=request)
    return HttpResponse(f'<span data-testid="revealed">{number}</span>')


def _post_on_profile(request, worker, name: str, form, call, success: str):
    """A form posted from a worker's profile: the service through `attempt`, then back to the
    profile; a refusal shows the profile again with the form and its errors (422)."""
    if form.is_valid():
        outcome = attempt(request, lambda: call(form.cleaned_data), form=form, success=success)
        if outcome:
            return redirect("workforce:detail", pk=worker.pk)
    context = _detail_context(request, worker, **{name: form})
    return render(request, "workforce/worker_detail.html", context, status=422)


@require_POST
@scoped("workforce.edit")
def certificate_add(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return _post_on_profile(
        request,
        worker,
        "certificate_form",
        CertificateForm(request.POST, acting_user=request.user),
        lambda data: services.certificate_record(worker=worker, acting_user=request.user, **data),
        _("已登记证书。"),
    )


@require_POST
@scoped("workforce.edit")
def registration_add(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return _post_on_profile(
        request,
        worker,
        "registration_form",
        RegistrationForm(request.POST, acting_user=request.user, worker=worker),
        lambda data: services.registration_record(acting_user=request.user, **data),
        _("已办理证书登记。"),
    )


@require_POST
@scoped("workforce.edit")
def registration_renew(request, pk: int):
    registration = selectors.get_registration_for(fetched_by=request.user, pk=pk)
    attempt(
        request,
        lambda: services.registration_renew(registration=registration, acting_user=request.user),
        success=_("已办理再登记。"),
    )
    return redirect("workforce:detail", pk=registration.worker_id)


@require_POST
@scoped("workforce.train")
def external_add(request, pk: int):
    worker = selectors.get_worker_for(fetched_by=request.user, pk=pk)
    return _post_on_profile(
        request,
        worker,
        "external_form",
        ExternalForm(request.POST, acting_user=request.user),
        lambda data: services.external_submit(worker=worker, acting_user=request.user, **data),
        _("已提交，待审核认定。"),
    )


@scoped("workforce.view")
def at_risk(request):
    listing = paginate(
        request,
        selectors.registrations_at_risk(fetched_by=request.user),
        sorts={"due": ("valid_until", "id")},
        default="due",
    )
    return render(
        request,
        "workforce/at_risk.html",
        {
            "listing": listing,
            "lapsed": selectors.registrations_lapsed(fetched_by=request.user)[:100],
            "pending": selectors.external_pending(fetched_by=request.user)[:100],
        },
    )


# ---- courses ------------------------------------------------------------------------------------


@scoped("workforce.view")
def course_list(request):
    listing = paginate(
        request,
        selectors.course_list(fetched_by=request.user),
        sorts={"-start": ("-starts_on", "-id")},
        default="-start",
    )
    return render(request, "workforce/course_list.html", {"listing": listing})


@scoped("workforce.train")
def course_create(request):
    form = CourseForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: services.course_create(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("已创建课程。"),
        )
        if outcome:
            return redirect("workforce:course", pk=outcome.value.pk)
    return render(request, "workforce/course_form.html", {"form": form})


@scoped("workforce.view")
def course_detail(request, pk: int, enrol_form=None, status: int = 200):
    course = selectors.get_course_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "workforce/course_detail.html",
        {
            "course": course,
            "enrolments": selectors.course_enrolments(fetched_by=request.user, course=course),
            "enrol_form": enrol_form or EnrolForm(acting_user=request.user),
            "attend_form": AttendForm(acting_user=request.user),
        },
        status=status,
    )


@require_POST
@scoped("workforce.train")
def course_enrol(request, pk: int):
    course = selectors.get_course_for(fetched_by=request.user, pk=pk)
    form = EnrolForm(request.POST, acting_user=request.user)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.enrolment_create(
                course=course, worker=form.cleaned_data["worker"], acting_user=request.user
            ),
            form=form,
            success=_("已报名。"),
        )
        if outcome:
            return redirect("workforce:course", pk=pk)
    return course_detail(request, pk, enrol_form=form, status=422)


@require_POST
@scoped("workforce.train")
def enrolment_attend(request, pk: int):
    enrolment = selectors.get_enrolment_for(fetched_by=request.user, pk=pk)
    form = AttendForm(request.POST, acting_user=request.user)
    if form.is_valid():
        attempt(
            request,
            lambda: services.enrolment_attend(
                enrolment=enrolment, acting_user=request.user, **form.cleaned_data
            ),
            success=_("已登记出勤，学时已计入。")
            if form.cleaned_data["attended"]
            else _("已登记缺席。"),
        )
    return redirect("workforce:course", pk=enrolment.course_id)


# ---- mentoring ----------------------------------------------------------------------------------


@scoped("workforce.view")
def mentoring(request, form=None, status: int = 200):
    return render(
        request,
        "workforce/mentoring.html",
        {
            "pairs": selectors.pair_list(fetched_by=request.user)[:200],
            "unpaired": selectors.unpaired_new_workers(fetched_by=request.user)[:200],
            "form": form or PairForm(acting_user=request.user),
            "max_mentees": services.max_mentees(),
        },
        status=status,
    )


@require_POST
@scoped("workforce.mentor")
def pair_create(request):
    form = PairForm(request.POST, acting_user=request.user)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.pair_create(acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("已建立带教关系。"),
        )
        if outcome:
            return redirect("workforce:pair", pk=outcome.value.pk)
    return mentoring(request, form=form, status=422)


@scoped("workforce.view")
def pair_detail(request, pk: int, session_form=None, close_form=None, status: int = 200):
    pair = selectors.get_pair_for(fetched_by=request.user, pk=pk)
    return render(
        request,
        "workforce/pair_detail.html",
        {
            "pair": pair,
            "sessions": selectors.pair_sessions(fetched_by=request.user, pair=pair),
            "session_form": session_form or SessionForm(acting_user=request.user),
            "close_form": close_form or CloseForm(acting_user=request.user),
        },
        status=status,
    )


@require_POST
@scoped("workforce.mentor")
def session_add(request, pk: int):
    pair = selectors.get_pair_for(fetched_by=request.user, pk=pk)
    form = SessionForm(request.POST, acting_user=request.user)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.session_record(
                pair=pair, acting_user=request.user, **form.cleaned_data
            ),
            form=form,
            success=_("已记录带教。"),
        )
        if outcome:
            return redirect("workforce:pair", pk=pk)
    return pair_detail(request, pk, session_form=form, status=422)


@require_POST
@scoped("workforce.mentor")
def pair_close(request, pk: int):
    pair = selectors.get_pair_for(fetched_by=request.user, pk=pk)
    form = CloseForm(request.POST, acting_user=request.user)
    if form.is_valid():
        outcome = attempt(
            request,
            lambda: services.pair_close(pair=pair, acting_user=request.user, **form.cleaned_data),
            form=form,
            success=_("带教已结束。"),
        )
        if outcome:
            return redirect("workforce:pair", pk=pk)
    return pair_detail(request, pk, close_form=form, status=422)


# ---- import -------------------------------------------------------------------------------------


@scoped("workforce.import")
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None, acting_user=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = attempt(
            request,
            lambda: services.workers_import(
                acting_user=request.user,
                upload=upload.file,
                filename=upload.name,
                all_or_nothing=form.cleaned_data["all_or_nothing"],
            ),
            form=form,
        )
        result = outcome.value
    return render(
        request, "workforce/import.html", {"form": form, "result": result, "columns": COLUMNS}
    )
