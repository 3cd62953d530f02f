from django.urls import path

from shegong.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("switch/", views.switch_membership, name="switch"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/export/", views.user_export, name="user_export"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("audit/", views.audit_log, name="audit_log"),
    # sign-in and sessions
    path("login/verify/", views.login_verify, name="login_verify"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("two-factor/policy/", views.otp_policy, name="otp_policy"),
    path("users/<int:pk>/reset-two-factor/", views.user_reset_otp, name="user_reset_otp"),
    path("locks/", views.locks, name="locks"),
    path("locks/<int:pk>/unlock/", views.lock_unlock, name="lock_unlock"),
    path("audit/export/", views.audit_export, name="audit_export"),
]
