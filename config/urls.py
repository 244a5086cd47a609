from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from clinics import mfa_views
from clinics.auth_views import (
    AuditedPasswordChangeView,
    AuditedPasswordResetConfirmView,
    PasswordChangeDoneInChromeView,
    ThrottledPasswordResetView,
)
from config import views as clinic_views
from config.forms import PasswordResetInOwnLanguageForm
from dashboard.urls import assessment_urls, catalog_urls, patient_urls, program_urls

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("healthz", clinic_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        mfa_views.TwoStepLoginView.as_view(),
        name="login",
    ),
    path("accounts/login/code/", mfa_views.login_code, name="login_code"),
    path("accounts/two-step/", mfa_views.two_step, name="two_step"),
    path("accounts/two-step/recovery-codes/", mfa_views.two_step_codes, name="two_step_codes"),
    path("accounts/two-step/turn-off/", mfa_views.two_step_disable, name="two_step_disable"),
    path(
        "accounts/no-access/",
        TemplateView.as_view(template_name="registration/no_access.html"),
        name="logout_notice",
    ),
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(form_class=PasswordResetInOwnLanguageForm),
        name="password_reset",
    ),
    path(
        "accounts/password_change/",
        AuditedPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        PasswordChangeDoneInChromeView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        AuditedPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Uploaded exercise pictures: few and small, so the app serves them itself and
    # every app server needs MEDIA_ROOT on shared storage (see docs/deployment.md).
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include(patient_urls)),
    path("", include(program_urls)),
    path("", include(catalog_urls)),
    path("", include(assessment_urls)),
    path("", include("dashboard.urls")),
    path("", include("dashboard.access_urls")),
    path("", include("dashboard.outcome_urls")),
    path("", include("dashboard.message_urls")),
    path("", include("handouts.urls")),
    path("portal/", include("portal.urls")),
    path("", include("api.urls")),
    path("fhir/R4/", include("fhir_r4.urls")),
]
