from django.urls import path

from .views import access as access_views

app_name = "patient_access"

urlpatterns = [
    path(
        "patients/<int:pk>/portal-access/revoke/",
        access_views.revoke_portal_access,
        name="revoke",
    ),
]
