from django.urls import path

from . import views

app_name = "fhir"

urlpatterns = [
    path("", views.index, name="index"),
    path("metadata", views.metadata, name="metadata"),
    path("Patient/<str:resource_id>/$everything", views.patient_everything, name="everything"),
    path("<str:resource_type>", views.search_type, name="search"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    path("<path:rest>", views.not_found),
]
