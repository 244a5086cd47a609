"""`Patient/{id}/$everything`: all of a patient's records and the definitions they
use, in pages whose references resolve inside the run, in a fixed number of queries
per page however long the patient has logged; `_since`, `_type` and `_count`."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fhir_r4.everything import TYPE_ORDER
from prescriptions.models import Alert, SymptomLog
from tests.factories import make_patient, make_prescription
from tests.fhir.conftest import log
from tests.fhir.validation import entries, fhir_get, next_url, unresolved_references

# Two chain the audit event to the last one; two read the assessments; on PostgreSQL
# one takes the run's commit-safe snapshot.
EVERYTHING_QUERIES = 13


def whole_run(client, url: str) -> dict:
    """Every page of a $everything run, as one Bundle of all their entries."""
    bundle = fhir_get(client, url)
    everything = {**bundle, "entry": list(bundle.get("entry", []))}
    while url := next_url(bundle):
        bundle = fhir_get(client, url)
        everything["entry"] += bundle.get("entry", [])
    return everything


def test_everything_holds_all_of_the_patients_records(fhir, history, patient):
    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    by_type: dict[str, list[str]] = {}
    for resource in entries(bundle):
        by_type.setdefault(resource["resourceType"], []).append(resource["id"])
    first, second = history["first"], history["second"]
    logs = list(patient.symptom_logs.order_by("logged_at"))
    assert by_type["Patient"] == [str(patient.pk)]
    assert by_type["Condition"] == [str(patient.pk)]
    assert by_type["CarePlan"] == [str(first.pk), str(second.pk)]
    assert sorted(by_type["ServiceRequest"]) == sorted(
        str(item.pk) for version in (first, second) for item in version.items.all()
    )
    assert by_type["DocumentReference"] == [f"handout-{first.pk}", f"handout-{second.pk}"]
    assert by_type["QuestionnaireResponse"] == [str(entry.pk) for entry in logs]
    assert len(by_type["Observation"]) == 2 * len(logs)
    assert sorted(by_type["Flag"]) == sorted(str(alert.pk) for alert in patient.alerts.all())
    assert by_type["Questionnaire"] == ["symptom-log"]
    assert by_type["PlanDefinition"] == [str(first.progression_id)]
    exercises = {str(item.exercise_id) for v in (first, second) for item in v.items.all()}
    assert set(by_type["ActivityDefinition"]) == exercises
    assert bundle["total"] == len(entries(bundle)) - len(exercises) - 2


def test_every_reference_inside_the_run_resolves_within_it(fhir, history, patient):
    bundle = whole_run(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything?_count=5")

    assert unresolved_references(bundle) == set()
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))


def test_canonical_links_inside_the_bundle_name_resources_it_holds(fhir, history, patient):
    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    canonicals = {r["url"] for r in entries(bundle) if "url" in r}
    for resource in entries(bundle):
        for url in resource.get("instantiatesCanonical", []):
            assert url in canonicals
        if resource["resourceType"] == "QuestionnaireResponse":
            assert resource["questionnaire"] in canonicals


def test_everything_of_a_patient_without_a_program_is_just_the_patient(fhir, clinic):
    newcomer = make_patient(clinic)

    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{newcomer.pk}/$everything")

    assert [r["resourceType"] for r in entries(bundle)] == ["Patient"]


def test_everything_of_a_missing_patient_is_404(fhir):
    outcome = fhir_get(fhir, "/fhir/R4/Patient/999999/$everything", status=404)

    assert outcome["issue"][0]["code"] == "not-found"


def with_logs(clinic, therapist, days: int):
    """A patient with three exercises logged every day for `days` days and an
    alert every week."""
    patient = make_patient(clinic)
    program = make_prescription(patient, therapist, first=3)
    now = timezone.now()
    logs = SymptomLog.objects.bulk_create(
        SymptomLog(
            patient=patient,
            item=item,
            logged_at=now - timedelta(days=day, minutes=item.position),
            sets_done=1,
            repetitions_done=10,
            pain=4,
            location="buttock",
            during="centralize",
            after="better",
        )
        for day in range(days)
        for item in program.items.all()
    )
    # Warnings on one exercise group into one open alert; the earlier weeks' alerts
    # were acknowledged, so each week has its own.
    weekly = logs[::21]
    Alert.objects.bulk_create(
        Alert(
            patient=patient,
            kind="worse",
            severity="warning",
            message="Worse",
            symptom_log=entry,
            exercise=entry.item.exercise,
            acknowledged_at=None if entry is weekly[-1] else now,
        )
        for entry in weekly
    )
    return patient


def everything_queries(client, patient) -> int:
    with CaptureQueriesContext(connection) as queries:
        bundle = fhir_get(client, f"/fhir/R4/Patient/{patient.pk}/$everything?_count=200")
    assert len(entries(bundle)) == 200 or not next_url(bundle)
    return len(queries)


def test_everything_costs_the_same_queries_for_60_days_of_logs_as_for_5(
    fhir, clinic, therapist, django_assert_max_num_queries
):
    short, long = with_logs(clinic, therapist, 5), with_logs(clinic, therapist, 60)
    fhir_get(fhir, "/fhir/R4/CodeSystem/mdt-location")  # the key's first use records it

    assert everything_queries(fhir, short) == everything_queries(fhir, long)
    with django_assert_max_num_queries(EVERYTHING_QUERIES):
        bundle = fhir_get(fhir, f"/fhir/R4/Patient/{long.pk}/$everything?_count=200")
    assert len(entries(bundle)) == 200
    run = whole_run(fhir, f"/fhir/R4/Patient/{long.pk}/$everything?_count=200")
    assert len([r for r in entries(run) if r["resourceType"] == "QuestionnaireResponse"]) == 180
    assert unresolved_references(run) == set()


@pytest.mark.parametrize("resource_type", ["Patient", "CarePlan", "Observation", "Flag"])
def test_a_search_page_costs_the_same_queries_for_many_records(
    fhir, clinic, therapist, resource_type, django_assert_max_num_queries
):
    for days in (5, 30):
        with_logs(clinic, therapist, days)

    with django_assert_max_num_queries(9):  # 8, and the snapshot's on PostgreSQL
        bundle = fhir_get(fhir, f"/fhir/R4/{resource_type}?_count=200")
    assert entries(bundle)


def test_everything_pages_by_count_and_the_pages_add_up_to_the_whole(fhir, history, patient):
    url = f"/fhir/R4/Patient/{patient.pk}/$everything"
    whole = entries(fhir_get(fhir, url))

    first = fhir_get(fhir, f"{url}?_count=4")
    run = entries(whole_run(fhir, f"{url}?_count=4"))

    assert len(entries(first)) == 4
    assert next_url(first).startswith(f"http://testserver{url}?_count=4&_cursor=")
    assert [(r["resourceType"], r["id"]) for r in run] == [
        (r["resourceType"], r["id"]) for r in whole
    ]
    assert first["total"] == fhir_get(fhir, url)["total"]


def test_everything_unpaged_stops_at_the_default_page_size(fhir, clinic, therapist):
    patient = with_logs(clinic, therapist, 5)

    bundle = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything")

    assert len(entries(bundle)) == 50
    assert next_url(bundle)


def test_everything_since_returns_only_what_changed_after_it(
    fhir, history, patient, therapist, catalog_before_now
):
    url = f"/fhir/R4/Patient/{patient.pk}/$everything"
    snapshot = fhir_get(fhir, url)["meta"]["lastUpdated"]

    history["open_alert"].acknowledge(by=therapist)
    # The Questionnaire's date is the code's, later than the tests' frozen clock.
    patient_data = ",".join(TYPE_ORDER[:-1])
    changed = entries(whole_run(fhir, f"{url}?_since={quote(snapshot)}&_type={patient_data}"))

    assert [(r["resourceType"], r["id"], r["status"]) for r in changed] == [
        ("Flag", str(history["open_alert"].pk), "inactive")
    ]


def test_everything_type_keeps_only_the_types_asked_for(fhir, history, patient):
    bundle = whole_run(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything?_type=Flag,CarePlan")

    assert {r["resourceType"] for r in entries(bundle)} == {"Flag", "CarePlan"}
    assert bundle["total"] == 2 + patient.alerts.count()


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-01-01",
        "_elements=id",
        "_type=Appointment",
        "_since=yesterday",
        "_since=2026-01-01T00:00:00",
        "_count=0",
        "_cursor=not-a-cursor",
    ],
)
def test_everything_answers_400_to_a_parameter_it_cannot_honour(fhir, patient, query):
    outcome = fhir_get(fhir, f"/fhir/R4/Patient/{patient.pk}/$everything?{query}", status=400)

    assert outcome["issue"][0]["code"] == "invalid"


def test_a_change_while_paging_everything_repeats_nothing_in_the_run(
    fhir, history, patient, therapist
):
    url = f"/fhir/R4/Patient/{patient.pk}/$everything?_count=3"
    first = fhir_get(fhir, url)

    patient.first_name = "Paulina"
    patient.save()
    history["open_alert"].acknowledge(by=therapist)
    log(patient, history["second"].items.first(), pain=1)
    seen = [(r["resourceType"], r["id"]) for r in entries(first)]
    page_url = next_url(first)
    while page_url:
        bundle = fhir_get(fhir, page_url)
        seen += [(r["resourceType"], r["id"]) for r in entries(bundle)]
        page_url = next_url(bundle)

    assert len(seen) == len(set(seen))
    assert ("Flag", str(history["open_alert"].pk)) in seen
    assert seen[0] == ("Patient", str(patient.pk))
