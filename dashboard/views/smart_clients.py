"""The clinic administrator's SMART backend clients page, beside the API keys: a
clinic system registered here signs in to the FHIR API with its own key pair."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clinics.models import AuditEvent, audit
from fhir_r4.clients import register_client, scope_choices
from fhir_r4.models import SmartClient

from ..decorators import admin_clinic


class SmartClientForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        help_text=gettext_lazy("Which system uses it, e.g. “Regional data warehouse”."),
    )
    jwks = forms.CharField(
        label=gettext_lazy("Public key set (JWKS)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy(
            'The system\'s public keys as JSON ({"keys": [...]}), RS384 or ES384. '
            "Leave empty to give a URL instead."
        ),
    )
    jwks_url = forms.URLField(
        label=gettext_lazy("Key set URL"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("An https address that serves the public key set."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("What the system may read. system/*.read reads everything."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, scope) for scope in scope_choices()]


def _audit_client(request: HttpRequest, action: str, client: SmartClient, **detail) -> None:
    audit(
        action=action,
        request=request,
        clinic=client.clinic,
        object_type="smart_client",
        object_id=client.client_id,
        detail={"name": client.name, **detail},
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_list(request: HttpRequest) -> HttpResponse:
    clinic = admin_clinic(request)
    form = SmartClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = register_client(
                clinic=clinic,
                name=data["name"],
                scopes=data["scopes"],
                jwks=data["jwks"].strip(),
                jwks_url=data["jwks_url"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _audit_client(request, AuditEvent.Action.CREATE, client, scopes=client.scopes)
            messages.success(
                request,
                _("The client “%(name)s” is registered; its client id is %(id)s.")
                % {"name": client.name, "id": client.client_id},
            )
            return redirect("dashboard:smart_clients")
    clients = SmartClient.objects.for_clinic(clinic).select_related("created_by")
    return render(
        request,
        "dashboard/smart_clients.html",
        {
            "clients": clients,
            "form": form,
            "token_url": request.build_absolute_uri(reverse("fhir:smart_token")),
            "fhir_base": request.build_absolute_uri(reverse("fhir:index")),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def client_revoke(request: HttpRequest, client_id: str) -> HttpResponse:
    clinic = admin_clinic(request)
    client = get_object_or_404(SmartClient.objects.for_clinic(clinic), client_id=client_id)
    if client.revoke():
        _audit_client(request, AuditEvent.Action.UPDATE, client, revoked=True)
        messages.success(request, _("The client “%(name)s” is revoked.") % {"name": client.name})
    return redirect("dashboard:smart_clients")
