from django.urls import path

from . import bulk_views, smart, views

app_name = "fhir"

urlpatterns = [
    path("", views.index, name="index"),
    path("metadata", views.metadata, name="metadata"),
    path(
        ".well-known/smart-configuration",
        smart.smart_configuration,
        name="smart_configuration",
    ),
    path("auth/token", smart.token, name="smart_token"),
    path("$export", bulk_views.export_system, name="export"),
    path("Patient/$export", bulk_views.export_patients, name="export_patients"),
    path("Group/<str:group_id>/$export", bulk_views.export_group, name="export_group"),
    path("bulk/<str:token>", bulk_views.export_status, name="export_status"),
    path("bulk/<str:token>/<str:name>", bulk_views.export_file, name="export_file"),
    path("Patient/<str:resource_id>/$everything", views.patient_everything, name="everything"),
    path("<str:resource_type>", views.search_type, name="search"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    path("<path:rest>", views.not_found),
]
