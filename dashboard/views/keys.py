"""The clinic administrator's API keys page in the dashboard."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ClinicAPIKey, create_api_key, end_of_day
from clinics.models import AuditEvent, audit

from ..decorators import admin_clinic


class KeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        help_text=gettext_lazy("Which system uses the key, e.g. “EHR sync”."),
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read-only"),
        required=False,
        help_text=gettext_lazy("The key can read but not create or change anything."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The key stops working at the end of this day. Empty: never."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day


def _audit_key(request: HttpRequest, action: str, api_key: ClinicAPIKey, **detail: object) -> None:
    # Named by its prefix: the primary key embeds the key's hash.
    audit(
        action=action,
        request=request,
        clinic=api_key.clinic,
        object_type="api_key",
        object_id=api_key.prefix,
        detail={"name": api_key.name, **detail},
    )


# The secret of a key just created, waiting in the (server-side) session for the one
# page that shows it.
NEW_KEY_SESSION_KEY = "api_keys_new_secret"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    clinic = admin_clinic(request)
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        api_key, secret = create_api_key(
            clinic=clinic,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            created_by=request.user,
            expires_at=end_of_day(form.cleaned_data["expires_on"]),
        )
        _audit_key(
            request,
            AuditEvent.Action.CREATE,
            api_key,
            read_only=api_key.read_only,
            expires=api_key.expiry_date.isoformat() if api_key.expiry_date else None,
        )
        # Post/redirect/get, so that reloading the page cannot make a second key. The
        # secret waits in the session for the next page only: taking it out there means
        # a reload or a later visit never shows it again.
        request.session[NEW_KEY_SESSION_KEY] = secret
        return redirect("dashboard:api_keys")
    new_key = request.session.pop(NEW_KEY_SESSION_KEY, None) if request.method == "GET" else None
    keys = ClinicAPIKey.objects.for_clinic(clinic).select_related("created_by")
    # `never_cache` keeps the page that shows a new key out of the browser's cache.
    return render(
        request,
        "dashboard/api_keys.html",
        {"keys": keys, "form": form, "new_key": new_key},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    clinic = admin_clinic(request)
    api_key = get_object_or_404(ClinicAPIKey.objects.for_clinic(clinic), prefix=prefix)
    if api_key.revoke():
        _audit_key(request, AuditEvent.Action.UPDATE, api_key, revoked=True)
        messages.success(request, _("The key “%(name)s” is revoked.") % {"name": api_key.name})
    return redirect("dashboard:api_keys")
