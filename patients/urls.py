from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("patients/", views.patient_list, name="list"),
    path("patients/new/", views.patient_create, name="create"),
    path("patients/<int:pk>/", views.patient_detail, name="detail"),
    path("patients/<int:pk>/edit/", views.patient_edit, name="edit"),
    path("patients/<int:pk>/archive/", views.patient_archive, name="archive"),
    path("patients/<int:pk>/invite/", views.patient_invite, name="invite"),
]
