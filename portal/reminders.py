"""Reminders in the portal: times and channels, the phone's notifications (Web Push,
installed as an app through the manifest and service worker) and the private
calendar feed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinics.models import AuditEvent
from patients.models import Patient
from prescriptions.models import Prescription
from reminders.models import ReminderPlan
from reminders.services import (
    MAX_TIMES,
    moved_times,
    plan_for,
    plan_times,
    save_plan,
    save_push_subscription,
    set_calendar_feed,
    waking_hours,
    within_waking_hours,
)

from .views import _portal_audit, patient_required

TIME_FIELDS = 6


class ReminderForm(forms.Form):
    by_email = forms.BooleanField(label=gettext_lazy("Email me"), required=False)
    by_push = forms.BooleanField(
        label=gettext_lazy("Send a notification to my phone"), required=False
    )

    def __init__(self, *args, patient: Patient, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient
        for number in range(1, TIME_FIELDS + 1):
            self.fields[f"time_{number}"] = forms.TimeField(
                label=_("Reminder %(number)s") % {"number": number},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time", "step": 60}, format="%H:%M"),
            )
        if not settings.VAPID_PUBLIC_KEY:
            # Phone notifications are not set up on this server: not offered, and a
            # forged "on" is ignored rather than saved as a reminder that never comes.
            self.fields["by_push"].disabled = True
        if not patient.email:
            self.fields["by_email"].disabled = True
            self.fields["by_email"].help_text = _("Your clinic has no email address for you.")

    def time_names(self) -> list[str]:
        return [f"time_{number}" for number in range(1, TIME_FIELDS + 1)]

    def time_fields(self) -> list:
        return [self[name] for name in self.time_names()]

    def clean(self) -> dict:
        data = super().clean()
        start, end = waking_hours(self.patient)
        for name in self.time_names():
            value = data.get(name)
            if value is not None and not within_waking_hours(value, self.patient):
                self.add_error(
                    name,
                    _("Choose a time between %(start)s and %(end)s.")
                    % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
                )
        # A time that was typed but refused already has its own message; "choose at
        # least one" is only for a form with no time at all.
        typed = any(self.has_error(name) for name in self.time_names())
        if (data.get("by_email") or data.get("by_push")) and not typed and not self.times():
            raise forms.ValidationError(_("Choose at least one time for your reminders."))
        return data

    def times(self) -> list[str]:
        values = {self.cleaned_data.get(name) for name in self.time_names()} - {None}
        return sorted(value.strftime("%H:%M") for value in values)[:MAX_TIMES]


def moved_message(moves: list[tuple[str, str]]) -> str:
    """One sentence naming each reminder time that moved into the waking hours."""
    return _("Reminders outside your hours now come within them: %(list)s.") % {
        "list": "; ".join(
            _("%(before)s is now %(after)s") % {"before": before, "after": after}
            for before, after in moves
        )
    }


def _initial(plan: ReminderPlan) -> dict:
    initial = {"by_email": plan.by_email, "by_push": plan.by_push}
    # Times saved before the hours changed show where they now come.
    for number, value in enumerate(plan_times(plan)[:TIME_FIELDS], start=1):
        initial[f"time_{number}"] = value
    return initial


def _feed_url(request: HttpRequest, plan: ReminderPlan) -> str:
    if not plan.calendar_token:
        return ""
    return request.build_absolute_uri(
        reverse("portal:calendar_feed", kwargs={"token": plan.calendar_token})
    )


@patient_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest, patient: Patient) -> HttpResponse:
    plan = plan_for(patient)
    if request.method == "POST":
        form = ReminderForm(request.POST, patient=patient)
        if form.is_valid():
            plan = save_plan(
                patient=patient,
                times=form.times(),
                by_email=form.cleaned_data["by_email"],
                by_push=form.cleaned_data["by_push"],
            )
            _portal_audit(request, AuditEvent.Action.UPDATE, plan, "reminders")
            messages.success(
                request,
                _("Your reminders are saved.") if plan.channels else _("Your reminders are off."),
            )
            return redirect("portal:reminders")
    else:
        form = ReminderForm(initial=_initial(plan), patient=patient)
    feed_url = _feed_url(request, plan)
    start, end = waking_hours(patient)
    moves = moved_times(plan.times, start, end)
    return render(
        request,
        "portal/reminders.html",
        {
            "form": form,
            "plan": plan,
            "wake_start": start,
            "wake_end": end,
            "moved": moved_message(moves) if moves else "",
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "push_key": settings.VAPID_PUBLIC_KEY,
            "devices": patient.push_subscriptions.count(),
            "has_program": Prescription.objects.filter(
                patient=patient, status=Prescription.Status.ACTIVE
            ).exists(),
        },
        status=400 if form.errors else 200,
    )


@patient_required
@require_POST
def calendar(request: HttpRequest, patient: Patient) -> HttpResponse:
    on = request.POST.get("feed") == "on"
    plan = set_calendar_feed(patient=patient, on=on)
    _portal_audit(request, AuditEvent.Action.UPDATE, plan, "reminders calendar")
    messages.success(
        request,
        _("Your calendar address is ready. Add it to the calendar on your phone.")
        if on
        else _("The calendar address is switched off. Calendars that used it get nothing more."),
    )
    return redirect(reverse("portal:reminders") + "#calendar")


@patient_required
@require_POST
def push_subscribe(request: HttpRequest, patient: Patient) -> HttpResponse:
    """Store this device's Web Push subscription (sent by static/js/reminders.js)."""
    try:
        info = json.loads(request.body)
        endpoint = info["endpoint"]
        info["keys"]["p256dh"]
        info["keys"]["auth"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("This is not a notification subscription.")}, status=400)
    field = forms.URLField(max_length=1000, assume_scheme="https")
    try:
        field.clean(endpoint)
    except forms.ValidationError:
        return JsonResponse({"error": _("This is not a notification subscription.")}, status=400)
    try:
        save_push_subscription(patient=patient, info=info)
    except ValueError:
        return JsonResponse({"error": _("This is not a notification subscription.")}, status=400)
    return JsonResponse({"ok": True}, status=201)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private iCalendar feed: no sign-in, the secret address is the key. A
    switched-off address answers 404. Events stop with the program or the archive."""
    from icalendar import Alarm, Calendar, Event

    plan = (
        ReminderPlan.objects.select_related("patient__clinic").filter(calendar_token=token).first()
    )
    if plan is None or not token:
        raise Http404
    patient = plan.patient
    program = (
        None
        if patient.archived
        else Prescription.objects.filter(patient=patient, status=Prescription.Status.ACTIVE)
        .only("pk", "version", "activated_at")
        .first()
    )
    cal = Calendar()
    cal.add("prodid", "-//Centra//Exercise reminders//EN")
    cal.add("version", "2.0")
    with translation.override(patient.preferred_language):
        title = _("Exercise session")
        cal.add("x-wr-calname", _("My exercises"))
        description = _("Do your exercise session, then log how it went in the portal.")
    # The patient's wall-clock times, in their zone, whatever the reader's calendar.
    zone = patient.zone
    start_day = patient.local_date(program.activated_at) if program else None
    link = settings.SITE_URL + reverse("portal:today")
    for value in plan_times(plan) if program else []:
        hour, minute = (int(part) for part in value.split(":"))
        event = Event()
        event.add("uid", f"centra-{patient.pk}-{program.pk}-{value}@centra")
        event.add("summary", title)
        event.add("description", f"{description}\n{link}")
        event.add("url", link)
        begin = datetime(start_day.year, start_day.month, start_day.day, hour, minute, tzinfo=zone)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=20))
        event.add("dtstamp", timezone.now())
        event.add("rrule", {"freq": "daily"})
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the portal installs on a phone's home screen."""
    data = {
        "name": _("Centra: my exercises"),
        "short_name": "Centra",
        "start_url": reverse("portal:today"),
        "scope": reverse("portal:today"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0f5e66",
        "lang": translation.get_language(),
        "icons": [
            {"src": static("portal/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("portal/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")
