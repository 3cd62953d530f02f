from django.urls import path

from shegong.cases import views
from shegong.cases.workflow import CASE, REFERRAL, REVIEW
from shegong.core.workflow.views import action_urls

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("referrals/", views.referral_inbox, name="referrals"),
    path("overdue/", views.overdue, name="overdue"),
    path("from-visit/<int:visit_pk>/", views.case_from_visit, name="from_visit"),
    path("<int:pk>/", views.case_detail, name="detail"),
    # every move of a case: <pk>/actions/<action>/ (core.workflow); the old route by target
    # state stays for the detail page's forms and old links
    *action_urls(CASE, name="case_transition"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("<int:pk>/notes/", views.case_notes, name="notes"),
    path("<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/records/", views.record_add, name="record_add"),
    path("<int:pk>/reviews/", views.review_request, name="review_request"),
    path("reviews/<int:pk>/", views.review_decide, name="review_decide"),
    # a review's decision and a referral's answer, declared in cases.workflow (the old routes
    # above and below stay for the pages' forms and old links)
    *action_urls(REVIEW, prefix="reviews/", name="review_transition"),
    *action_urls(REFERRAL, prefix="referrals/", name="referral_transition"),
    path("<int:pk>/refer/", views.referral_create, name="refer"),
    path("referrals/<int:pk>/respond/", views.referral_respond, name="referral_respond"),
]
