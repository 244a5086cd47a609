from django.urls import path

from .views import outcomes

app_name = "outcomes"

urlpatterns = [
    path("patients/<int:patient_pk>/measures/new/", outcomes.measures_new, name="new"),
    path(
        "patients/<int:patient_pk>/episode/discharge-measures/",
        outcomes.discharge_request,
        name="discharge_request",
    ),
    path("patients/<int:patient_pk>/episode/end/", outcomes.episode_end, name="episode_end"),
]
