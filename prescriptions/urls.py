from django.urls import path

from . import views

app_name = "prescriptions"

urlpatterns = [
    path("patients/<int:patient_pk>/programs/new/", views.program_new, name="new"),
    path("patients/<int:patient_pk>/logs/new/", views.log_create, name="log_create"),
    path("programs/<int:pk>/", views.program_detail, name="detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="edit"),
    path("programs/<int:pk>/activate/", views.program_activate, name="activate"),
    path("programs/<int:pk>/revise/", views.program_revise, name="revise"),
    path("programs/<int:pk>/discard/", views.program_discard, name="discard"),
    path("programs/<int:pk>/end/", views.program_end, name="end"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge_alert"),
    path(
        "patients/<int:patient_pk>/alerts/acknowledge/",
        views.alerts_acknowledge_all,
        name="acknowledge_all_alerts",
    ),
]
