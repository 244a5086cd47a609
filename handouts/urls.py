from django.urls import path

from . import views

app_name = "handouts"

urlpatterns = [
    path("programs/<int:pk>/handout.pdf", views.handout, name="pdf"),
    path("episodes/<int:pk>/discharge-<str:audience>.pdf", views.discharge, name="discharge"),
]
