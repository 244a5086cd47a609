"""Searching for synchronisation: filters, pages that follow `next`, and
`_lastUpdated` cursors that miss nothing and repeat nothing."""

from urllib.parse import quote

import pytest
from django.conf import settings

from patients.models import Patient
from prescriptions.models import Alert
from prescriptions.services import ItemSpec, revise_prescription
from tests.factories import make_patient, make_prescription
from tests.fhir.conftest import log
from tests.fhir.validation import entries, fhir_get, ids, next_url


def all_pages(client, url: str) -> list[list[dict]]:
    pages = []
    while url:
        bundle = fhir_get(client, url)
        pages.append(entries(bundle))
        url = next_url(bundle)
    return pages


def last_updated(resources: list[dict]) -> str:
    return max(resource["meta"]["lastUpdated"] for resource in resources)


def test_patients_page_through_next_links_in_update_order(fhir, clinic):
    made = [make_patient(clinic) for _ in range(5)]

    pages = all_pages(fhir, "/fhir/R4/Patient?_count=2")

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [r["id"] for page in pages for r in page] == [str(p.pk) for p in made]


def test_a_page_says_the_total_and_links_to_itself(fhir, clinic):
    for _ in range(3):
        make_patient(clinic)

    bundle = fhir_get(fhir, "/fhir/R4/Patient?_count=2")

    assert bundle["total"] == 3
    assert bundle["link"][0] == {
        "relation": "self",
        "url": "http://testserver/fhir/R4/Patient?_count=2",
    }
    assert next_url(bundle).startswith("http://testserver/fhir/R4/Patient?_count=2&_cursor=")


def test_a_paging_run_repeats_nothing_and_the_next_run_from_its_snapshot_misses_nothing(
    fhir, clinic
):
    patients = [make_patient(clinic, first_name=f"P{n}") for n in range(6)]
    since = fhir_get(fhir, "/fhir/R4/Patient")["entry"][0]["resource"]["meta"]["lastUpdated"]
    url = f"/fhir/R4/Patient?_count=2&_lastUpdated=ge{quote(since)}"

    first_page = fhir_get(fhir, url)
    snapshot = first_page["meta"]["lastUpdated"]
    seen = [(r["id"], r["name"][0]["given"][0]) for r in entries(first_page)]
    # While the client pages: one patient it has seen changes, one it has not yet
    # seen changes, and a new one arrives.
    patients[0].first_name = "P0-renamed"
    patients[0].save()
    patients[4].first_name = "P4-renamed"
    patients[4].save()
    newcomer = make_patient(clinic, first_name="P6")
    for page in all_pages(fhir, next_url(first_page)):
        seen += [(r["id"], r["name"][0]["given"][0]) for r in page]
    next_run = [
        (r["id"], r["name"][0]["given"][0])
        for page in all_pages(fhir, f"/fhir/R4/Patient?_count=2&_lastUpdated=gt{quote(snapshot)}")
        for r in page
    ]

    assert seen == [(str(p.pk), f"P{n}") for n, p in enumerate(patients) if n != 4]
    assert next_run == [
        (str(patients[0].pk), "P0-renamed"),
        (str(patients[4].pk), "P4-renamed"),
        (str(newcomer.pk), "P6"),
    ]


def test_a_flag_acknowledged_while_paging_is_not_returned_twice_in_the_run(
    fhir, clinic, patient, therapist
):
    for patient in [patient, make_patient(clinic), make_patient(clinic)]:
        item = make_prescription(patient, therapist).items.first()
        log(patient, item, pain=5, after="worse", during="increase")
    flags = list(Alert.objects.for_clinic(clinic).order_by("updated_at", "pk"))
    assert len(flags) == 3

    first_page = fhir_get(fhir, "/fhir/R4/Flag?_count=2")
    flags[1].acknowledge(by=therapist)
    rest = [r["id"] for page in all_pages(fhir, next_url(first_page)) for r in page]

    returned = ids(first_page) + rest
    assert returned == [str(flag.pk) for flag in flags]
    later = entries(
        fhir_get(fhir, f"/fhir/R4/Flag?_lastUpdated=gt{quote(first_page['meta']['lastUpdated'])}")
    )
    assert [(r["id"], r["status"]) for r in later] == [(str(flags[1].pk), "inactive")]


def test_last_updated_gt_the_last_sync_returns_only_what_changed(fhir, history, patient):
    first_sync = entries(fhir_get(fhir, "/fhir/R4/CarePlan"))
    cursor = last_updated(first_sync)
    assert fhir_get(fhir, f"/fhir/R4/CarePlan?_lastUpdated=gt{quote(cursor)}")["total"] == 0

    revision = revise_prescription(
        prescription=history["second"],
        items=[ItemSpec.from_item(i) for i in history["second"].items.all()],
        by=history["second"].prescribed_by,
    )

    changed = entries(fhir_get(fhir, f"/fhir/R4/CarePlan?_lastUpdated=gt{quote(cursor)}"))
    assert [(r["id"], r["status"]) for r in changed] == [
        (str(history["second"].pk), "completed"),
        (str(revision.pk), "active"),
    ]
    requests = fhir_get(fhir, f"/fhir/R4/ServiceRequest?_lastUpdated=gt{quote(cursor)}")
    assert requests["total"] == 2 * history["second"].items.count()


def test_an_acknowledged_alert_comes_back_as_an_inactive_flag_after_the_cursor(
    fhir, history, therapist
):
    cursor = last_updated(entries(fhir_get(fhir, "/fhir/R4/Flag")))

    history["open_alert"].acknowledge(by=therapist)

    changed = entries(fhir_get(fhir, f"/fhir/R4/Flag?_lastUpdated=gt{quote(cursor)}"))
    assert [(r["id"], r["status"]) for r in changed] == [
        (str(history["open_alert"].pk), "inactive")
    ]


def test_observations_page_two_per_log_without_gaps(fhir, patient, therapist):
    program = make_prescription(patient, therapist)
    logs = [log(patient, program.items.first(), days_ago=5 - n, pain=n + 1) for n in range(3)]

    pages = all_pages(fhir, f"/fhir/R4/Observation?patient=Patient/{patient.pk}&_count=4")

    assert [len(page) for page in pages] == [4, 2]
    assert [r["id"] for page in pages for r in page] == [
        f"{kind}-{entry.pk}" for entry in logs for kind in ("pain", "location")
    ]
    odd = all_pages(fhir, f"/fhir/R4/Observation?patient={patient.pk}&_count=1")
    assert [r["id"] for page in odd for r in page] == [r["id"] for page in pages for r in page]


@pytest.mark.parametrize(
    ("code", "kinds"),
    [
        ("http://loinc.org|72514-3", ["pain"]),
        ("72514-3", ["pain"]),
        ("pain-location", ["location"]),
        ("72514-3,pain-location", ["pain", "location"]),
        ("http://snomed.info/sct|72514-3", []),
    ],
)
def test_observations_filter_by_code_and_page_correctly(fhir, patient, therapist, code, kinds):
    program = make_prescription(patient, therapist)
    logs = [log(patient, program.items.first(), days_ago=5 - n, pain=n + 1) for n in range(3)]

    bundle = fhir_get(fhir, f"/fhir/R4/Observation?code={quote(code)}&_count=1")
    pages = all_pages(fhir, f"/fhir/R4/Observation?code={quote(code)}&_count=1")

    assert bundle["total"] == len(logs) * len(kinds)
    assert [r["id"] for page in pages for r in page] == [
        f"{kind}-{entry.pk}" for entry in logs for kind in kinds
    ]


def test_searches_filter_by_patient(fhir, history, patient, other_patient, therapist):
    make_prescription(other_patient, therapist)

    plans = fhir_get(fhir, f"/fhir/R4/CarePlan?patient={patient.pk}")
    others = fhir_get(fhir, f"/fhir/R4/CarePlan?patient=Patient/{other_patient.pk}")

    assert ids(plans) == [str(history["first"].pk), str(history["second"].pk)]
    assert len(ids(others)) == 1


@pytest.mark.parametrize(
    ("status", "which"), [("active", ["second"]), ("completed", ["first"]), ("draft", [])]
)
def test_care_plans_filter_by_status(fhir, history, status, which):
    bundle = fhir_get(fhir, f"/fhir/R4/CarePlan?status={status}")

    assert ids(bundle) == [str(history[name].pk) for name in which]


def test_service_requests_filter_by_status(fhir, history):
    bundle = fhir_get(fhir, "/fhir/R4/ServiceRequest?status=active")

    assert ids(bundle) == [str(item.pk) for item in history["second"].items.order_by("pk")]


@pytest.mark.parametrize(
    "identifier", [lambda system: "HB-42", lambda system: quote(f"{system}|HB-42", safe="")]
)
def test_patients_are_found_by_the_clinic_systems_identifier(
    fhir, history, patient, clinic, identifier
):
    system = f"{settings.SITE_URL}/fhir/R4/sid/{clinic.slug}/external-id"
    make_patient(clinic, external_id="HB-43")

    bundle = fhir_get(fhir, f"/fhir/R4/Patient?identifier={identifier(system)}")

    assert ids(bundle) == [str(patient.pk)]


def test_another_identifier_system_finds_nobody(fhir, history, other_clinic):
    system = f"{settings.SITE_URL}/fhir/R4/sid/{other_clinic.slug}/external-id"

    assert fhir_get(fhir, f"/fhir/R4/Patient?identifier={system}|HB-42")["total"] == 0


def test_archived_patients_are_inactive(fhir, patient, other_patient):
    Patient.objects.filter(pk=other_patient.pk).update(archived=True)

    assert ids(fhir_get(fhir, "/fhir/R4/Patient?active=false")) == [str(other_patient.pk)]
    assert ids(fhir_get(fhir, "/fhir/R4/Patient?active=true")) == [str(patient.pk)]


def test_last_updated_accepts_an_unencoded_plus_of_a_time_zone(fhir, patient):
    moment = patient.updated_at.isoformat()  # "...+00:00", sent as is

    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated=ge{moment}")["total"] == 1
    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated=gt{moment}")["total"] == 0


def test_last_updated_takes_a_date_too(fhir, patient):
    day = patient.updated_at.date()

    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated=ge{day}")["total"] == 1
    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated=gt{day}")["total"] == 0
    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated=lt{day}")["total"] == 0
    assert fhir_get(fhir, f"/fhir/R4/Patient?_lastUpdated={day}")["total"] == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("_count=0", "_count"),
        ("_count=abc", "_count"),
        ("_count=201", "_count"),
        ("_lastUpdated=gtyesterday", "_lastUpdated"),
        # Shaped like dates but impossible, or with no instant a database can store.
        ("_lastUpdated=gt2026-13-01", "_lastUpdated"),
        ("_lastUpdated=ge2026-02-30T10:00:00Z", "_lastUpdated"),
        ("_lastUpdated=lt2026-01-01T25:00:00Z", "_lastUpdated"),
        ("_lastUpdated=gt9999-12-31", "_lastUpdated"),
        ("_lastUpdated=lt0001-01-01T00:00:00%2B14:00", "_lastUpdated"),
        ("_cursor=not-a-cursor", "_cursor"),
        ("_cursor=WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzE0OjAwIiwgMSwgMF0", "_cursor"),
        (
            "_cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgMTg0NDY3NDQwNzM3MDk1NTE2MTYsIDBd",
            "_cursor",
        ),
        ("patient=Practitioner/1", "Patient reference"),
        ("status=finished", "status"),
        ("date=2026-01-01", "cannot be searched by date"),
        ("status=active%00", "control characters"),
    ],
)
def test_bad_parameters_answer_400_operation_outcome(fhir, query, message):
    outcome = fhir_get(fhir, f"/fhir/R4/CarePlan?{query}", status=400)

    assert outcome["issue"][0]["code"] == "invalid"
    assert message in outcome["issue"][0]["diagnostics"]


def test_the_code_systems_search_lists_every_code_system(fhir):
    bundle = fhir_get(fhir, "/fhir/R4/CodeSystem")

    assert {"mdt-location", "mdt-during", "mdt-after", "mdt-classification"} <= set(ids(bundle))


@pytest.mark.parametrize(
    "query", ["identifier=%00", "identifier=a%0Ab", "_id=1%00", "patient=%00", "_lastUpdated=ge%00"]
)
def test_control_characters_answer_400_not_a_server_error(fhir, query):
    fhir_get(fhir, f"/fhir/R4/Patient?{query.replace('patient', 'active')}", status=400)


def test_an_id_search_counts_only_the_resources_named(fhir, patient, therapist):
    program = make_prescription(patient, therapist)
    logged = log(patient, program.items.first())

    one = fhir_get(fhir, f"/fhir/R4/Observation?_id=pain-{logged.pk}")
    paged = fhir_get(fhir, f"/fhir/R4/Observation?_id=pain-{logged.pk}&_count=1")
    both = fhir_get(fhir, f"/fhir/R4/Observation?_id=pain-{logged.pk},location-{logged.pk}")

    assert (one["total"], ids(one)) == (1, [f"pain-{logged.pk}"])
    assert (paged["total"], ids(paged), next_url(paged)) == (1, [f"pain-{logged.pk}"], None)
    assert both["total"] == 2
    assert ids(both) == [f"pain-{logged.pk}", f"location-{logged.pk}"]
