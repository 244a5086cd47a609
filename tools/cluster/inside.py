"""Inside Django (run in a process of its own, with the run's database in its settings):
the data the run needs, and what the database says afterwards."""

from __future__ import annotations

import io
import json
import time
import zoneinfo
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from benchkit import setup_django

from . import PASSWORD, PORTAL_PATIENTS, REMINDER_PATIENTS, THERAPISTS


def daytime_zone() -> str:
    """A fixed-offset zone in which it is now mid-day, so reminders are in waking hours."""
    hour = time.gmtime().tm_hour
    offset = (13 - hour + 12) % 24 - 12
    return "UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def prepare() -> dict[str, Any]:
    """Logins with passwords for therapists and patients, an API key, reminders falling
    due during the run, and handouts queued for the workers to render."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from api.models import create_api_key
    from clinics.models import Clinic, Therapist
    from handouts.tasks import render_handout_pdf
    from patients.models import Patient
    from prescriptions.models import NeuroSymptom, Prescription, PrescriptionItem
    from prescriptions.services import record_red_flag_check
    from reminders.models import ReminderPlan

    users = get_user_model().objects
    clinic = Clinic.objects.get(slug="riverside")
    zone = daytime_zone()
    therapists = []
    for n in range(THERAPISTS + 1):  # the last one is the lockout probe's
        user = users.create_user(f"cluster-therapist-{n}", password=PASSWORD)
        Therapist.objects.create(user=user, clinic=clinic)
        therapists.append(user.username)
    bulk = list(
        Patient.objects.for_clinic(clinic)
        .filter(external_id__startswith="BULK-", prescriptions__status="active")
        .order_by("pk")
        .values_list("pk", flat=True)[: PORTAL_PATIENTS + REMINDER_PATIENTS + 20]
    )
    portal = []
    for patient in Patient.objects.filter(pk__in=bulk[:PORTAL_PATIENTS]).order_by("pk"):
        patient.user = users.create_user(f"cluster-patient-{patient.pk}", password=PASSWORD)
        patient.save(update_fields=["user"])
        record_red_flag_check(patient=patient, answered_yes=[])
        items = PrescriptionItem.objects.filter(
            prescription__patient=patient, prescription__status="active"
        ).values_list("pk", flat=True)
        program = Prescription.objects.get(patient=patient, status="active")
        portal.append(
            {"username": patient.user.username, "items": list(items), "program": program.pk}
        )
    programs = list(
        Prescription.objects.filter(patient_id__in=bulk, status="active").values_list(
            "pk", flat=True
        )
    )
    for program in programs[: PORTAL_PATIENTS + 10]:
        render_handout_pdf.enqueue(program)
    # Reminders due in the second and third minute from now, in a zone where it is day.
    now = timezone.now()
    due = []
    reminded = Patient.objects.filter(
        pk__in=bulk[PORTAL_PATIENTS : PORTAL_PATIENTS + REMINDER_PATIENTS]
    )
    for n, patient in enumerate(reminded.order_by("pk")):
        slot = (now + timedelta(minutes=1 + n % 2)).replace(second=0, microsecond=0)
        local = slot.astimezone(zoneinfo.ZoneInfo(zone))
        patient.time_zone = zone
        patient.email = f"patient-{patient.pk}@cluster.test"
        patient.save(update_fields=["time_zone", "email"])
        ReminderPlan.objects.update_or_create(
            patient=patient, defaults={"times": [local.strftime("%H:%M")], "by_email": True}
        )
        due.append({"patient": patient.pk, "slot": slot.isoformat(), "email": patient.email})
    _, key = create_api_key(clinic=clinic, name="cluster sync", read_only=False)
    api_items = list(
        PrescriptionItem.objects.filter(
            prescription__patient__in=bulk[PORTAL_PATIENTS + REMINDER_PATIENTS :],
            prescription__status="active",
        ).values_list("pk", flat=True)[:50]
    )
    return {
        "therapists": therapists,
        "patients": bulk,
        "portal": portal,
        "programs": programs[: PORTAL_PATIENTS + 10],
        "key": key,
        "api_items": api_items,
        "neuro": list(NeuroSymptom.values),
        "due": due,
        "started": now.isoformat(),
    }


def check(
    setup: dict, sent: dict, proxy_address: str, client_addresses: list[str]
) -> dict[str, list[str]]:
    """What the database says after the run: each problem found, as a sentence; and
    notes, of what happened that is allowed but worth saying."""
    setup_django()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from clinics.models import AuditEvent
    from prescriptions.models import SymptomLog
    from reminders.models import SentReminder

    problems = []
    notes = SymptomLog.objects.filter(note__startswith="cluster-").values_list("note", flat=True)
    stored = defaultdict(int)
    for note in notes:
        stored[note] += 1
    for marker in sent["logs"]:
        if stored.get(marker, 0) != 1:
            problems.append(f"log {marker} was stored {stored.get(marker, 0)} times, not once")
    unknown = set(stored) - set(sent["logs"]) - set(sent["unanswered"])
    if unknown:
        problems.append(f"{len(unknown)} logs were stored that no client saw answered")

    for due in setup["due"]:
        rows = SentReminder.objects.filter(patient_id=due["patient"], slot=due["slot"]).count()
        if rows != 1:
            problems.append(f"the reminder of patient {due['patient']} has {rows} rows, not 1")
    mails = defaultdict(int)
    for address in sent["mails"]:
        mails[address] += 1
    # A batch the killed worker was sending when it died goes out again from its first
    # uncommitted reminder (reminders.services.send_due; docs/deployment.md): those
    # patients may get a second email, never none. Any other second email is a fault.
    cut_off = set()
    sends = DBTaskResult.objects.filter(task_path="reminders.tasks.send_reminders")
    for workers, args_kwargs in sends.values_list("worker_ids", "args_kwargs"):
        if len(workers) > 1:  # claimed again: its first worker died with it
            for items in args_kwargs["args"]:
                cut_off.update(int(item[0]) for item in items)
    notes = []
    for due in setup["due"]:
        count = mails.get(due["email"], 0)
        if count > 1 and due["patient"] in cut_off:
            notes.append(f"{due['email']} got {count} reminder emails: its batch was cut off")
        elif count != 1:
            problems.append(f"{due['email']} got {count} reminder emails, not 1")

    # A failed attempt is queued again (clinics.tasks.retried): a task is lost only when
    # its last attempt did not succeed.
    attempts: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for path, args_kwargs, status in DBTaskResult.objects.values_list(
        "task_path", "args_kwargs", "status"
    ):
        key = (path, json.dumps(args_kwargs["args"]))
        attempts[key].append((args_kwargs["kwargs"].get("attempt", 1), status))
    retried = 0
    for (path, args), tries in attempts.items():
        last_status = max(tries)[1]
        retried += sum(status == "FAILED" for _, status in tries)
        if last_status == "FAILED":
            problems.append(f"task {path}{args[:80]} failed on its last attempt")
    if retried:
        notes.append(f"{retried} task attempts failed and were tried again")

    since = datetime.fromisoformat(setup["started"])
    ips = set(
        AuditEvent.objects.filter(at__gte=since, ip__isnull=False).values_list("ip", flat=True)
    )
    if proxy_address in ips:
        problems.append(f"the audit log holds the proxy's address {proxy_address}")
    if not ips or not ips <= set(client_addresses):
        problems.append(
            f"the audit log's addresses {sorted(ips)} are not the clients' {client_addresses}"
        )
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except Exception as error:  # the command's own report says what broke
        problems.append(f"verify_audit: {error}: {out.getvalue()[-500:]}")
    return {"problems": problems, "notes": notes}
