from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from config import views as clinic_views
from dashboard.urls import catalog_urls, patient_urls, program_urls

urlpatterns = [
    path("", clinic_views.home, name="home"),
    path("healthz", clinic_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "accounts/no-access/",
        TemplateView.as_view(template_name="registration/no_access.html"),
        name="logout_notice",
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
    path("", include("handouts.urls")),
    path("portal/", include("portal.urls")),
    path("", include("api.urls")),
    path("fhir/R4/", include("fhir_r4.urls")),
]
