from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from shegong.core.access import scoped
from shegong.core.actions import attempt
from shegong.core.permissions import has_perm
from shegong.workdays import selectors, services
from shegong.workdays.forms import ScheduleForm


@scoped("workdays.view")
def schedule_list(request):
    return render(
        request,
        "workdays/schedule_list.html",
        {
            "schedules": selectors.schedule_list(),
            "settings": selectors.deadline_settings(),
            "can_manage": has_perm(request.user, "workdays.manage"),
        },
    )


@scoped("workdays.view")
def schedule_detail(request, year: int):
    schedule, days = selectors.schedule_detail(year)
    return render(
        request, "workdays/schedule_detail.html", {"schedule": schedule, "days": days, "year": year}
    )


@scoped("workdays.manage")
def schedule_load(request):
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        outcome = attempt(
            request,
            lambda: services.schedule_load(
                year=year,
                holidays=services.parse_days(data["holidays"], year=year, field="holidays"),
                workdays=services.parse_days(data["workdays"], year=year, field="workdays"),
                notice=data["notice"],
                acting_user=request.user,
            ),
            form=form,
            success=_("已载入 %(y)d 年节假日安排，相关期限已重新计算。") % {"y": year},
        )
        if outcome:
            return redirect("workdays:detail", year=year)
    return render(request, "workdays/schedule_form.html", {"form": form})
