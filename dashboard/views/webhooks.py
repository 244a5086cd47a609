"""The clinic administrator's webhooks pages: endpoints, their delivery log, resend."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinics.models import AuditEvent, audit
from integrations.forms import EndpointForm
from integrations.models import Delivery, Endpoint
from integrations.tasks import deliver_webhooks

from ..decorators import admin_clinic

# The secret of an endpoint just added, waiting in the (server-side) session for the
# one page that shows it, as on the API keys page.
NEW_SECRET_SESSION_KEY = "webhooks_new_secret"
# The delivery log shows the newest deliveries of an endpoint.
LOG_LENGTH = 100


def _audit(request: HttpRequest, action: str, endpoint: Endpoint, **detail: object) -> None:
    audit(
        action=action,
        request=request,
        clinic=endpoint.clinic,
        object_type="webhook_endpoint",
        object_id=endpoint.pk,
        detail={"url": endpoint.url, **detail},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request: HttpRequest) -> HttpResponse:
    clinic = admin_clinic(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(commit=False)
        endpoint.clinic = clinic
        endpoint.created_by = request.user
        endpoint.save()
        _audit(request, AuditEvent.Action.CREATE, endpoint, events=endpoint.events)
        request.session[NEW_SECRET_SESSION_KEY] = [endpoint.pk, endpoint.secret]
        return redirect("dashboard:webhook_detail", pk=endpoint.pk)
    endpoints = Endpoint.objects.for_clinic(clinic)
    return render(
        request,
        "dashboard/webhooks.html",
        {"endpoints": endpoints, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = admin_clinic(request)
    endpoint = get_object_or_404(Endpoint.objects.for_clinic(clinic), pk=pk)
    new_secret = None
    waiting = request.session.get(NEW_SECRET_SESSION_KEY)
    if waiting and waiting[0] == endpoint.pk:
        new_secret = request.session.pop(NEW_SECRET_SESSION_KEY)[1]
    deliveries = endpoint.deliveries.select_related("event").order_by("-event_id")[:LOG_LENGTH]
    return render(
        request,
        "dashboard/webhook_detail.html",
        {"endpoint": endpoint, "deliveries": deliveries, "new_secret": new_secret},
    )


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = admin_clinic(request)
    endpoint = get_object_or_404(Endpoint.objects.for_clinic(clinic), pk=pk)
    _audit(request, AuditEvent.Action.DELETE, endpoint)
    endpoint.delete()
    messages.success(request, _("The endpoint %(url)s is removed.") % {"url": endpoint.url})
    return redirect("dashboard:webhooks")


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    clinic = admin_clinic(request)
    delivery = get_object_or_404(
        Delivery.objects.for_clinic(clinic).select_related("event", "endpoint"),
        pk=delivery_pk,
        endpoint_id=pk,
    )
    delivery.resend(now=timezone.now())
    _audit(request, AuditEvent.Action.UPDATE, delivery.endpoint, resent=delivery.event.webhook_id)
    endpoint_id, patient_id = delivery.endpoint_id, delivery.patient_id
    transaction.on_commit(lambda: deliver_webhooks.enqueue(endpoint_id, patient_id))
    messages.success(request, _("The event is queued to be sent again."))
    return redirect("dashboard:webhook_detail", pk=pk)
