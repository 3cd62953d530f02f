from django.urls import path

from shegong.core.workflow.views import action_urls
from shegong.funds import views
from shegong.funds.workflow import PLAN, RECEIPT

app_name = "funds"
urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    *action_urls(PLAN, prefix="plans/", name="plan_transition"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:pk>/confirm/", views.receipt_confirm, name="receipt_confirm"),
    *action_urls(RECEIPT, prefix="receipts/", name="receipt_transition"),
    path("population/", views.population, name="population"),
    path("pairings/", views.pairing_list, name="pairings"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing"),
    path("donations/", views.donation_list, name="donations"),
    path("donations/new/", views.donation_create, name="donation_create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation"),
    path("reports/", views.report, name="report"),
    path("reports/export/", views.report_export, name="report_export"),
    path("public/<int:org_id>/", views.transparency, name="transparency"),
]
