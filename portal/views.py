from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def today(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/today.html", {})


def activate(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "portal/activate.html", {})
