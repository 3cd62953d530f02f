from django.shortcuts import render

from shegong.core.access import scoped
from shegong.core.listing import paginate
from shegong.volunteers import selectors


@scoped("volunteers.view")
def volunteer_list(request):
    qs = selectors.volunteer_list(fetched_by=request.user)
    listing = paginate(request, qs, sorts={"name": ("name", "id")}, default="name")
    return render(request, "volunteers/volunteer_list.html", {"listing": listing})
