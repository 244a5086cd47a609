"""A URLconf with one view that fails, to see the 500 page a visitor would get."""

from django.urls import path


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("broken/", broken)]
