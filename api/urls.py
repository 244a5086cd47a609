from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import assessment_views, outcome_views, session_views, views

app_name = "api"

router = SimpleRouter()
router.register("exercises", views.ExerciseViewSet, basename="exercise")
router.register("progressions", views.ProgressionViewSet, basename="progression")
router.register("patients", views.PatientViewSet, basename="patient")
router.register("prescriptions", views.PrescriptionViewSet, basename="prescription")
router.register("symptom-logs", views.SymptomLogViewSet, basename="symptomlog")
router.register("sessions", session_views.SessionViewSet, basename="session")
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("suggestions", views.SuggestionViewSet, basename="suggestion")
router.register("red-flag-checks", views.RedFlagCheckViewSet, basename="redflagcheck")
router.register("assessments", assessment_views.AssessmentViewSet, basename="assessment")
router.register("outcome-measures", outcome_views.OutcomeMeasureViewSet, basename="outcomemeasure")

urlpatterns = [
    # No trailing slash: the last segment is a file name.
    re_path(
        r"^api/v1/prescriptions/(?P<pk>[^/]+)/handout\.pdf$",
        views.PrescriptionViewSet.as_view({"get": "handout"}),
        name="prescription-handout",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
