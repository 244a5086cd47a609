from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from clinics.auth_views import (
    AuditedPasswordChangeView,
    AuditedPasswordResetConfirmView,
    ThrottledPasswordResetView,
)
from clinics.forms import SignInForm
from config import views as clinic_views
from config.forms import PasswordResetInOwnLanguageForm
from dashboard.urls import catalog_urls, patient_urls, program_urls

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("healthz", clinic_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
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
        "accounts/reset/<uidb64>/<token>/",
        AuditedPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Uploaded exercise pictures: few and small, so the app serves them itself and
    # every app server needs MEDIA_ROOT on shared storage (see README).
    re_path(r"^media/(?P<path>.+)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include(patient_urls)),
    path("", include(program_urls)),
    path("", include(catalog_urls)),
    path("", include("dashboard.urls")),
    path("", include("dashboard.access_urls")),
    path("", include("dashboard.outcome_urls")),
    path("", include("handouts.urls")),
    path("portal/", include("portal.urls")),
    path("", include("api.urls")),
    path("fhir/R4/", include("fhir_r4.urls")),
]
