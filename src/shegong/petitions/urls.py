from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.petitions import public, views
from shegong.petitions.open311 import root_urlpatterns  # noqa: F401 - mounted at the root
from shegong.petitions.workflow import MATTER, MEDIATION

app_name = "petitions"

urlpatterns = [
    path("", views.matter_list, name="list"),
    path("export/", views.matter_export, name="export"),
    path("new/", views.matter_create, name="create"),
    path("from-finding/<str:ref>/", views.matter_from_finding, name="from_finding"),
    path("from-visit/<int:visit_id>/", views.matter_from_visit, name="from_visit"),
    path("routing/", views.routing_table, name="routing"),
    path("analysis/", views.analysis, name="analysis"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/reply.pdf", views.reply_pdf, name="reply_pdf"),
    path("<int:pk>/notice.pdf", views.route_out_pdf, name="route_out_pdf"),
    *action_urls(MATTER, segment="do", name="action"),
    path("mediations/<int:pk>/", views.mediation_detail, name="mediation"),
    path("mediations/<int:pk>/session/", views.mediation_session, name="mediation_session"),
    path("mediations/<int:pk>/conclude/", views.mediation_conclude, name="mediation_conclude"),
    # a mediation's session and end, declared in petitions.workflow (MEDIATION); the two routes
    # above stay for the mediation page's forms and old links
    *action_urls(MEDIATION, prefix="mediations/", name="mediation_transition"),
    path("mediations/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path(
        "mediations/<int:pk>/confirmation/",
        views.agreement_confirmation,
        name="agreement_confirmation",
    ),
    path("rating-reviews/<int:pk>/close/", views.rating_review_close, name="rating_review_close"),
    path("public/submit/", public.submit, name="public_submit"),
    path("public/regions/", public.region_options, name="public_regions"),
    path("public/track/", public.track, name="public_track"),
    path("public/track/rate/", public.track_rate, name="public_rate"),
]
