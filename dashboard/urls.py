"""The therapist's pages. Each group keeps the URL namespace it has always had
(`patients:`, `prescriptions:`, `exercises:`), so links and bookmarks still work."""

from django.urls import path

from .views import (
    alerts,
    assessments,
    audit,
    builder,
    catalog,
    clinic,
    keys,
    language,
    paper_logs,
    patients,
    programs,
    suggestions,
    webhooks,
)

patient_urls = (
    [
        path("patients/", patients.patient_list, name="list"),
        path("patients/new/", patients.patient_create, name="create"),
        path("patients/<int:pk>/", patients.patient_detail, name="detail"),
        path("patients/<int:pk>/edit/", patients.patient_edit, name="edit"),
        path("patients/<int:pk>/archive/", patients.patient_archive, name="archive"),
        path("patients/<int:pk>/invite/", patients.patient_invite, name="invite"),
    ],
    "patients",
)

program_urls = (
    [
        path("patients/<int:patient_pk>/programs/new/", builder.program_new, name="new"),
        path("patients/<int:patient_pk>/logs/new/", paper_logs.log_create, name="log_create"),
        path("programs/<int:pk>/", programs.program_detail, name="detail"),
        path("programs/<int:pk>/edit/", builder.program_edit, name="edit"),
        path("programs/<int:pk>/activate/", programs.program_activate, name="activate"),
        path("programs/<int:pk>/revise/", programs.program_revise, name="revise"),
        path("programs/<int:pk>/discard/", programs.program_discard, name="discard"),
        path("programs/<int:pk>/end/", programs.program_end, name="end"),
        path("program-items/<int:pk>/resume/", programs.item_resume, name="item_resume"),
        path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="acknowledge_alert"),
        path(
            "suggestions/<int:pk>/accept/",
            suggestions.suggestion_accept,
            name="accept_suggestion",
        ),
        path(
            "suggestions/<int:pk>/dismiss/",
            suggestions.suggestion_dismiss,
            name="dismiss_suggestion",
        ),
        path(
            "patients/<int:patient_pk>/alerts/acknowledge/",
            alerts.alerts_acknowledge_all,
            name="acknowledge_all_alerts",
        ),
    ],
    "prescriptions",
)

assessment_urls = (
    [
        path(
            "patients/<int:patient_pk>/assessments/new/",
            assessments.assessment_new,
            name="new",
        ),
        path("assessments/<int:pk>/", assessments.assessment_detail, name="detail"),
    ],
    "assessments",
)

catalog_urls = (
    [
        path("exercises/", catalog.catalog, name="catalog"),
        path("exercises/new/", catalog.exercise_create, name="create"),
        path("exercises/<int:pk>/edit/", catalog.exercise_edit, name="edit"),
    ],
    "exercises",
)

app_name = "dashboard"

urlpatterns = [
    path("api-keys/", keys.key_list, name="api_keys"),
    path("clinic/settings/", clinic.clinic_settings, name="clinic_settings"),
    path("language/", language.dashboard_language, name="language"),
    path("api-keys/<slug:prefix>/revoke/", keys.key_revoke, name="api_key_revoke"),
    path("audit/", audit.audit_export, name="audit_export"),
    path("webhooks/", webhooks.endpoint_list, name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.endpoint_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/delete/", webhooks.endpoint_delete, name="webhook_delete"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/resend/",
        webhooks.delivery_resend,
        name="webhook_resend",
    ),
]
