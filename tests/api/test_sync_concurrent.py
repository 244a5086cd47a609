"""The sync recipe under concurrent writes, on PostgreSQL, through the served app.

Writers commit slowly (their rows are stamped long before they become readable), the
way a log's safety work or a busy database delays a commit; syncers follow the recipe
of docs/sync.md meanwhile. What they hold at the end must equal the database."""

import random
import threading
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
import requests
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from prescriptions.models import Alert, Prescription, SymptomLog
from prescriptions.services import ItemSpec, record_symptom_log, revise_prescription
from tests.factories import make_long_extension_program, make_patient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL (DATABASE_URL): SQLite lets one writer in at a time, so "
            "commits cannot overlap reads the way they do here"
        ),
    ),
]

WRITING_SECONDS = 8
REST = {"/api/v1/patients/": "updated_since", "/api/v1/alerts/": "updated_since"}
REST["/api/v1/symptom-logs/"] = "since"


class Syncer:
    """A clinic system following the recipe for one list: a first run from
    `cursor=`, then each run from the previous run's `Next-Sync-Since`."""

    def __init__(self, base, key, path):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Api-Key {key}"
        self.url, self.since, self.base = f"{base}{path}", REST[path], base
        self.token = None
        self.held = {}  # id -> the row as last read
        self.runs = 0

    def run(self):
        params = {self.since: self.token} if self.token else {"cursor": ""}
        response = self.session.get(self.url, params={**params, "page_size": 5}, timeout=30)
        seen, tokens = [], set()
        while True:
            assert response.status_code == 200, response.text
            body = response.json()
            tokens.add(response.headers["Next-Sync-Since"])
            for row in body["results"]:
                seen.append(row["id"])
                self.held[row["id"]] = row
            if not body["next"]:
                break
            response = self.session.get(body["next"], timeout=30)
        assert len(seen) == len(set(seen)), f"a run of {self.url} read a row twice"
        assert len(tokens) == 1
        self.token = tokens.pop()
        self.runs += 1


class FhirSyncer:
    """A FHIR client following the recipe: `_lastUpdated=gt` the previous run's
    Bundle `meta.lastUpdated`, following `next` links."""

    def __init__(self, base, key, resource_type):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Api-Key {key}"
        self.url = f"{base}/fhir/R4/{resource_type}"
        self.last = None
        self.held = {}
        self.runs = 0

    def run(self):
        query = f"?_count=5&_lastUpdated=gt{quote(self.last)}" if self.last else "?_count=5"
        response = self.session.get(self.url + query, timeout=30)
        seen, snapshot = [], None
        while True:
            assert response.status_code == 200, response.text
            bundle = response.json()
            snapshot = snapshot or bundle["meta"]["lastUpdated"]
            for entry in bundle.get("entry", []):
                seen.append(entry["resource"]["id"])
                self.held[entry["resource"]["id"]] = entry["resource"]
            following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
            if not following:
                break
            response = self.session.get(following[0], timeout=30)
        assert len(seen) == len(set(seen)), f"a run of {self.url} read a resource twice"
        self.last = snapshot
        self.runs += 1


def slow_commit():
    time.sleep(random.uniform(0.01, 0.08))


def write_until(stop, errors, work):
    """Run `work` in its own transaction, committed slowly, until `stop`."""
    try:
        while not stop.is_set():
            try:
                with transaction.atomic():
                    work()
                    slow_commit()
            except (ValidationError, IntegrityError):
                pass  # a refused or colliding write stores nothing; the next one goes on
            # Leave the readers (same process, same interpreter lock) their turn.
            time.sleep(0.05)
    except Exception as exc:  # reported by the test, not lost in a thread
        errors.append(exc)
    finally:
        connection.close()


def sync_until(stop, errors, syncers):
    try:
        while not stop.is_set():
            for syncer in syncers:
                syncer.run()
    except Exception as exc:
        errors.append(exc)
    finally:
        connection.close()


def active_item(patient):
    program = Prescription.objects.get(patient=patient, status=Prescription.Status.ACTIVE)
    return random.choice(list(program.items.all()))


@pytest.mark.hazard("H-11")
def test_syncers_following_the_recipe_hold_exactly_what_the_database_holds(
    live_server, clinic, therapist, api_key, queued_tasks
):
    patients = [make_patient(clinic) for _ in range(4)]
    for patient in patients:
        make_long_extension_program(patient, therapist)

    def a_log(back_dated=False):
        patient = random.choice(patients)
        logged_at = timezone.now() - timedelta(hours=random.randint(1, 40)) if back_dated else None
        record_symptom_log(
            patient=patient,
            item=active_item(patient),
            pain=random.randint(1, 6),
            location="central",
            during="no_effect",
            after=random.choice(["no_effect", "worse", "better"]),
            sets_done=1,
            repetitions_done=10,
            logged_at=logged_at,
            source=SymptomLog.Source.API,
        )

    def an_acknowledgement():
        alert = Alert.objects.filter(patient__in=patients).open().order_by("?").first()
        if alert is not None:
            alert.acknowledge(by=therapist)

    def a_revision():
        patient = random.choice(patients)
        program = Prescription.objects.get(patient=patient, status=Prescription.Status.ACTIVE)
        items = [ItemSpec.from_item(item) for item in program.items.order_by("position")]
        revise_prescription(prescription=program, items=items[: random.randint(2, 7)], by=therapist)

    def a_patient_change():
        patient = random.choice(patients)
        patient.first_name = random.choice(["Ana", "Ben", "Cleo"])
        patient.save(update_fields=["first_name", "updated_at"])

    key = api_key[1]
    rest = [Syncer(live_server.url, key, path) for path in REST]
    fhir = [FhirSyncer(live_server.url, key, kind) for kind in ("Flag", "CarePlan")]
    fhir.append(FhirSyncer(live_server.url, key, "QuestionnaireResponse"))

    # The served app's first answers load its modules (the PDF library among them).
    for syncer in rest[:1] + fhir[:1]:
        assert syncer.session.get(syncer.url, timeout=60).status_code == 200

    stop, errors = threading.Event(), []
    writers = [
        lambda: a_log(),
        lambda: a_log(),
        lambda: a_log(back_dated=True),
        an_acknowledgement,
        a_revision,
        a_patient_change,
    ]
    threads = [threading.Thread(target=write_until, args=(stop, errors, w)) for w in writers]
    threads += [
        threading.Thread(target=sync_until, args=(stop, errors, rest)),
        threading.Thread(target=sync_until, args=(stop, errors, fhir)),
    ]
    for thread in threads:
        thread.start()
    time.sleep(WRITING_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    during = [syncer.runs for syncer in rest + fhir]
    # One more run each, now that every write has committed.
    for syncer in rest + fhir:
        syncer.run()

    logs = SymptomLog.objects.filter(patient__in=patients)
    assert logs.count() > 5, "the writers wrote"
    assert min(during) >= 2, f"the syncers ran while the writers wrote: {during}"
    patients_sync, alerts_sync, logs_sync = rest
    assert set(logs_sync.held) == set(logs.values_list("pk", flat=True))
    assert {pk: row["first_name"] for pk, row in patients_sync.held.items()} == {
        patient.pk: patient.first_name
        for patient in type(patients[0]).objects.filter(clinic=clinic)
    }
    alerts = {alert.pk: alert for alert in Alert.objects.filter(patient__in=patients)}
    assert Alert.objects.filter(acknowledged_at__isnull=False).exists(), "acknowledgements ran"
    assert {pk: row["acknowledged"] for pk, row in alerts_sync.held.items()} == {
        pk: alert.acknowledged_at is not None for pk, alert in alerts.items()
    }
    assert {pk: row["count"] for pk, row in alerts_sync.held.items()} == {
        pk: alert.count for pk, alert in alerts.items()
    }

    flags, care_plans, responses = fhir
    assert {res_id: res["status"] for res_id, res in flags.held.items()} == {
        str(pk): "inactive" if alert.acknowledged_at else "active" for pk, alert in alerts.items()
    }
    programs = Prescription.objects.filter(patient__in=patients)
    assert programs.count() > len(patients), "revisions ran"
    status = {"active": "active", "ended": "completed", "draft": "draft"}
    assert {res_id: res["status"] for res_id, res in care_plans.held.items()} == {
        str(program.pk): status[program.status] for program in programs
    }
    assert set(responses.held) == {str(pk) for pk in logs.values_list("pk", flat=True)}


@pytest.mark.hazard("H-11")
def test_a_row_committed_after_a_run_read_past_its_stamp_comes_in_the_next_run(
    live_server, clinic, therapist, api_key, patient, queued_tasks
):
    """The race of the issue, step by step: a log is stamped, a sync runs before the
    log commits, then the log commits. The next run (REST and FHIR) brings it."""
    make_long_extension_program(patient, therapist)
    stamped, release, errors = threading.Event(), threading.Event(), []

    def slow_log():
        try:
            with transaction.atomic():
                record_symptom_log(
                    patient=patient,
                    item=active_item(patient),
                    pain=3,
                    location="central",
                    during="no_effect",
                    after="worse",
                    sets_done=1,
                    repetitions_done=10,
                )
                stamped.set()
                release.wait(timeout=15)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    key = api_key[1]
    alerts = Syncer(live_server.url, key, "/api/v1/alerts/")
    logs = Syncer(live_server.url, key, "/api/v1/symptom-logs/")
    responses = FhirSyncer(live_server.url, key, "QuestionnaireResponse")
    flags = FhirSyncer(live_server.url, key, "Flag")
    writer = threading.Thread(target=slow_log)
    writer.start()
    assert stamped.wait(timeout=15)
    time.sleep(0.05)
    run_started = timezone.now()
    for syncer in (logs, alerts, responses, flags):
        syncer.run()
        assert syncer.held == {}
    release.set()
    writer.join(timeout=15)
    assert not errors, errors
    log = SymptomLog.objects.get(patient=patient)
    # "Since the moment the previous sync started" would have missed it.
    assert log.created_at < run_started

    for syncer in (logs, alerts, responses, flags):
        syncer.run()
    assert set(logs.held) == {log.pk}
    assert set(alerts.held) == {Alert.objects.get(patient=patient).pk}
    assert set(responses.held) == {str(log.pk)}
    assert set(flags.held) == {str(Alert.objects.get(patient=patient).pk)}
