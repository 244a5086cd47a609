from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("exercises/", views.catalog, name="catalog"),
    path("exercises/new/", views.exercise_create, name="create"),
    path("exercises/<int:pk>/edit/", views.exercise_edit, name="edit"),
]
