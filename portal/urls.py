from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.today, name="today"),
    path("activate/<str:token>/", views.activate, name="activate"),
]
