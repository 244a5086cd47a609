from django.urls import path

from . import views

app_name = "handouts"

urlpatterns = [
    path("programs/<int:pk>/handout.pdf", views.handout, name="pdf"),
]
