"""prescriptions/: programs pushed and read by clinic systems."""

import pytest

from clinics.models import AuditEvent
from exercises.models import Exercise, Progression, ProgressionStep
from prescriptions.models import Prescription
from prescriptions.services import start_revision
from tests.api.test_catalog import make_exercise
from tests.factories import make_patient, make_prescription

URL = "/api/v1/prescriptions/"


def builtin(slug):
    return Exercise.objects.builtin().get(slug=slug)


def test_it_lists_the_clinics_prescriptions_with_items_in_order(
    api, prescription, other_clinic_patient, other_clinic_therapist
):
    make_prescription(other_clinic_patient, other_clinic_therapist)

    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [prescription.pk]
    row = body["results"][0]
    assert row["status"] == "active" and row["prescribed_by"] == "tess"
    assert row["progression"] == "extension"
    assert [item["position"] for item in row["items"]] == list(range(1, 8))
    assert [item["exercise"] for item in row["items"]] == [
        item.exercise.slug for item in prescription.items.order_by("position")
    ]
    assert (
        row["handout_url"]
        == f"http://testserver/api/v1/prescriptions/{prescription.pk}/handout.pdf"
    )
    assert AuditEvent.objects.get(object_type="prescription", action="view").detail["ids"] == [
        prescription.pk
    ]


def test_it_filters_by_patient_and_status(api, therapist, patient, other_patient, prescription):
    draft = make_prescription(other_patient, therapist, activate=False)

    by_patient = api.get(URL, {"patient": other_patient.pk}).json()["results"]
    by_status = api.get(URL, {"status": "active"}).json()["results"]
    both = api.get(URL, {"patient": other_patient.pk, "status": "active"}).json()["results"]

    assert [row["id"] for row in by_patient] == [draft.pk]
    assert [row["id"] for row in by_status] == [prescription.pk]
    assert both == []


@pytest.mark.parametrize("query", [{"status": "paused"}, {"patient": "abc"}, {"patient": "0"}])
def test_a_bad_filter_is_a_400(api, query):
    response = api.get(URL, query)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_it_creates_a_draft_with_catalog_dosage_for_omitted_fields(api, patient, therapist):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [
                {"exercise": "prone-press-up", "repetitions": 8, "note": "Slowly."},
                {"exercise": "prone-lying"},
                {"exercise": "standing-lumbar-extension", "times_per_day": 5},
            ],
        },
        format="json",
    )

    assert response.status_code == 201
    prescription = Prescription.objects.get(pk=response.json()["id"])
    assert prescription.status == "draft"
    assert prescription.prescribed_by == therapist
    assert prescription.patient == patient
    items = list(prescription.items.order_by("position").select_related("exercise"))
    assert [item.exercise.slug for item in items] == [
        "prone-press-up",
        "prone-lying",
        "standing-lumbar-extension",
    ]
    press_up = builtin("prone-press-up")
    assert items[0].repetitions == 8 and items[0].note == "Slowly."
    assert items[0].sets == press_up.default_sets
    assert items[0].hold_seconds == press_up.default_hold_seconds
    assert items[0].every_hours == press_up.default_every_hours
    assert items[1].hold_seconds == builtin("prone-lying").default_hold_seconds
    # Giving times per day replaces the catalog's "every N hours".
    assert (items[2].times_per_day, items[2].every_hours) == (5, None)
    assert [item["exercise"] for item in response.json()["items"]] == [
        "prone-press-up",
        "prone-lying",
        "standing-lumbar-extension",
    ]
    event = AuditEvent.objects.get(action="create", object_type="prescription")
    assert event.patient_id == patient.pk and event.actor_label == "api-key:EHR sync"


def test_activate_puts_the_program_in_use_and_ends_the_current_one(api, patient, prescription):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "activate": True,
            "change_note": "Back to basics.",
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "active"
    assert response.json()["replaces"] == prescription.pk
    prescription.refresh_from_db()
    assert prescription.status == "ended"
    assert Prescription.objects.get(pk=response.json()["id"]).change_note == "Back to basics."


def test_a_progression_with_first_prescribes_its_first_steps(api, patient, colleague):
    response = api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "colin", "progression": "flexion", "first": 3},
        format="json",
    )

    assert response.status_code == 201
    prescription = Prescription.objects.get(pk=response.json()["id"])
    assert prescription.prescribed_by == colleague
    assert prescription.progression.slug == "flexion"
    assert list(
        prescription.items.order_by("position").values_list("exercise__slug", flat=True)
    ) == ["supine-lumbar-flexion", "seated-lumbar-flexion", "standing-lumbar-flexion"]


def test_the_clinics_own_exercise_wins_over_a_built_in_of_the_same_slug(api, clinic, patient):
    own = make_exercise(clinic, "prone-lying", name="Our prone lying")

    response = api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]},
        format="json",
    )

    assert response.status_code == 201
    assert Prescription.objects.get(pk=response.json()["id"]).items.get().exercise == own


def test_the_clinics_own_progression_wins_over_a_built_in_of_the_same_slug(api, clinic, patient):
    own = Progression.objects.create(
        clinic=clinic, slug="flexion", name="Our flexion", direction="flexion"
    )
    ProgressionStep.objects.create(
        progression=own, exercise=builtin("standing-lumbar-flexion"), position=1
    )

    response = api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "tess", "progression": "flexion", "first": 1},
        format="json",
    )

    assert response.status_code == 201
    prescription = Prescription.objects.get(pk=response.json()["id"])
    assert prescription.progression == own
    assert [i.exercise.slug for i in prescription.items.all()] == ["standing-lumbar-flexion"]


def test_a_signed_in_therapist_prescribes_through_the_session(therapist_client, patient, colleague):
    response = therapist_client.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "colin", "items": [{"exercise": "prone-lying"}]},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Prescription.objects.get(pk=response.json()["id"]).prescribed_by == colleague


def test_the_prescriber_is_required_even_in_a_session(therapist_client, patient):
    response = therapist_client.post(
        URL,
        {"patient": patient.pk, "items": [{"exercise": "prone-lying"}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["prescribed_by"] == ["This field is required."]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"items": [{"exercise": "prone-lying"}]}, {"patient"}),
        ({"patient": "{other}", "items": [{"exercise": "prone-lying"}]}, {"patient"}),
        ({"patient": 10**30, "items": [{"exercise": "prone-lying"}]}, {"patient"}),
        (
            {
                "patient": "{patient}",
                "prescribed_by": "olga",
                "items": [{"exercise": "prone-lying"}],
            },
            {"prescribed_by"},
        ),
        (
            {
                "patient": "{patient}",
                "prescribed_by": "nobody",
                "items": [{"exercise": "prone-lying"}],
            },
            {"prescribed_by"},
        ),
        (
            {"patient": "{patient}", "items": [{"exercise": "prone-lying"}], "prescribed_by": None},
            {"prescribed_by"},
        ),
        ({"patient": "{patient}", "items": []}, {"items"}),
        ({"patient": "{patient}"}, {"items"}),
        ({"patient": "{patient}", "items": "prone-lying"}, {"items"}),
        ({"patient": "{patient}", "items": [{"exercise": "x"}] * 51}, {"items"}),
        ({"patient": "{patient}", "progression": "sideways"}, {"progression"}),
        ({"patient": "{patient}", "progression": "flexion"}, {"first"}),
        ({"patient": "{patient}", "progression": "flexion", "first": 4}, {"first"}),
        ({"patient": "{patient}", "progression": "flexion", "first": 0}, {"first"}),
        (
            {"patient": "{patient}", "items": [{"exercise": "prone-lying", "side": "left"}]},
            {"items"},
        ),
        (
            {"patient": "{patient}", "items": [{"exercise": "flexion-rotation", "side": "up"}]},
            {"items"},
        ),
        (
            {"patient": "{patient}", "items": [{"exercise": "prone-lying"}], "activate": "soon"},
            {"activate"},
        ),
    ],
)
def test_invalid_prescriptions_are_a_400_naming_the_field(
    api, patient, other_clinic_patient, other_clinic_therapist, therapist, payload, errors
):
    for key, value in list(payload.items()):
        if value == "{patient}":
            payload[key] = patient.pk
        elif value == "{other}":
            payload[key] = other_clinic_patient.pk
    payload.setdefault("prescribed_by", "tess")
    if payload["prescribed_by"] is None:
        del payload["prescribed_by"]

    response = api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert errors <= set(response.json()["errors"])
    assert not Prescription.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"exercise": "no-such-exercise"}, "exercise"),
        ({"exercise": "secret-move"}, "exercise"),
        ({"exercise": "prone-lying", "sets": 0}, "sets"),
        ({"exercise": "prone-lying", "repetitions": 101}, "repetitions"),
        ({"exercise": "prone-lying", "hold_seconds": 10**40}, "hold_seconds"),
        ({"exercise": "prone-lying", "times_per_day": 3, "every_hours": 2}, "every_hours"),
        ({"exercise": "prone-lying", "times_per_day": None, "every_hours": None}, "every_hours"),
        ({"exercise": "prone-lying", "times_per_day": None}, "times_per_day"),
        ({"exercise": "prone-lying", "every_hours": 25}, "every_hours"),
        ({"exercise": "prone-lying", "sets": "two"}, "sets"),
        ({"exercise": "prone-lying", "sets": 2.5}, "sets"),
        ({"exercise": "Prone Lying!"}, "exercise"),
    ],
)
def test_item_errors_name_the_item_and_the_field(api, patient, other_clinic, item, field):
    make_exercise(other_clinic, "secret-move")

    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-props"}, item],
        },
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()["errors"]["items"]["1"]
    assert not Prescription.objects.exists()


def test_an_archived_patient_cannot_get_a_program_409(api, patient):
    patient.archived = True
    patient.save()

    response = api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "This patient is archived."


def test_a_read_only_key_cannot_prescribe(read_only_api, patient):
    response = read_only_api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]},
        format="json",
    )

    assert response.status_code == 403
    assert not Prescription.objects.exists()


def test_it_reads_a_prescription_with_items_in_order(api, prescription):
    response = api.get(f"{URL}{prescription.pk}/")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == list(
        prescription.items.order_by("position").values_list("id", flat=True)
    )
    first = prescription.items.get(position=1)
    assert items[0]["dosage_text"] == first.dosage_text
    assert AuditEvent.objects.filter(action="view", object_id=str(prescription.pk)).exists()


def test_another_clinics_prescription_is_404_everywhere(other_api, prescription):
    base = f"{URL}{prescription.pk}/"

    assert other_api.get(base).status_code == 404
    assert (
        other_api.post(
            f"{base}revise/",
            {"items": [{"exercise": "prone-lying"}], "prescribed_by": "olga"},
            format="json",
        ).status_code
        == 404
    )
    assert other_api.post(f"{base}end/").status_code == 404
    prescription.refresh_from_db()
    assert prescription.status == "active"
    assert Prescription.objects.count() == 1


def test_revise_makes_the_next_active_version(api, prescription, patient):
    response = api.post(
        f"{URL}{prescription.pk}/revise/",
        {
            "prescribed_by": "tess",
            "items": [
                {"exercise": "prone-press-up", "repetitions": 12},
                {"exercise": "prone-lying"},
            ],
            "change_note": "Progressing to press-ups.",
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (
        body["version"] == 2 and body["status"] == "active" and body["replaces"] == prescription.pk
    )
    assert [item["exercise"] for item in body["items"]] == ["prone-press-up", "prone-lying"]
    prescription.refresh_from_db()
    assert prescription.status == "ended"
    revision = Prescription.objects.get(pk=body["id"])
    assert revision.change_note == "Progressing to press-ups."
    assert revision.items.get(position=1).repetitions == 12
    assert Prescription.objects.filter(patient=patient, status="active").get() == revision


def test_only_an_active_program_can_be_revised(api, patient, therapist):
    draft = make_prescription(patient, therapist, activate=False)

    response = api.post(
        f"{URL}{draft.pk}/revise/",
        {"prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Only the active program can be revised."
    assert Prescription.objects.count() == 1


def test_revising_a_version_with_a_draft_revision_open_is_a_409(api, prescription, therapist):
    draft = start_revision(prescription=prescription, by=therapist)

    response = api.post(
        f"{URL}{prescription.pk}/revise/",
        {"prescribed_by": "tess", "items": [{"exercise": "prone-lying"}]},
        format="json",
    )

    assert response.status_code == 409
    assert "already open as a draft" in response.json()["detail"]
    prescription.refresh_from_db()
    assert prescription.status == "active"
    assert set(Prescription.objects.values_list("pk", flat=True)) == {prescription.pk, draft.pk}


def test_activating_a_new_program_while_a_draft_revision_is_open_keeps_the_draft(
    api, prescription, patient, therapist
):
    draft = start_revision(prescription=prescription, by=therapist)

    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "activate": True,
            "items": [{"exercise": "prone-lying"}],
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "active"
    prescription.refresh_from_db()
    draft.refresh_from_db()
    assert (prescription.status, draft.status) == ("ended", "draft")
    assert Prescription.objects.filter(patient=patient).count() == 3


def test_revise_validates_its_items(api, prescription):
    response = api.post(
        f"{URL}{prescription.pk}/revise/", {"prescribed_by": "tess", "items": []}, format="json"
    )

    assert response.status_code == 400
    assert "items" in response.json()["errors"]
    assert Prescription.objects.count() == 1


def test_end_ends_an_active_program(api, prescription):
    response = api.post(f"{URL}{prescription.pk}/end/")

    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    prescription.refresh_from_db()
    assert prescription.status == "ended" and prescription.ended_at is not None
    assert AuditEvent.objects.filter(action="update", object_id=str(prescription.pk)).exists()

    again = api.post(f"{URL}{prescription.pk}/end/")
    assert again.status_code == 409
    assert again.json()["detail"] == "Only the active program can be ended."


def test_a_read_only_key_cannot_revise_or_end(read_only_api, prescription):
    base = f"{URL}{prescription.pk}/"

    assert read_only_api.post(f"{base}end/").status_code == 403
    assert read_only_api.post(f"{base}revise/", {}, format="json").status_code == 403
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_a_revoked_key_cannot_read(client_with_revoked_key, prescription):
    assert client_with_revoked_key.get(f"{URL}{prescription.pk}/").status_code == 401


@pytest.mark.parametrize("page_size", [5, 50])
def test_listing_costs_the_same_queries_whatever_the_page_size(
    api, clinic, therapist, page_size, django_assert_num_queries
):
    for _ in range(55):
        make_prescription(make_patient(clinic), therapist, first=3)
    api.get("/api/v1/exercises/")

    # key, count, page (with prescriber and progression), items with exercises, audit
    with django_assert_num_queries(5):  # + the audit event
        response = api.get(URL, {"page_size": page_size, "status": "active"})
    assert len(response.json()["results"]) == page_size
    assert all(len(row["items"]) == 3 for row in response.json()["results"])


def test_a_progression_without_first_is_a_400_that_says_how_many_steps_to_start_with(api, patient):
    response = api.post(
        URL,
        {"patient": patient.pk, "prescribed_by": "tess", "progression": "extension"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["first"] == [
        "Say how many steps of the progression to start with, usually 1."
    ]
    assert not Prescription.objects.filter(patient=patient).exists()


def test_a_one_sided_item_takes_the_side_given_else_its_rule_from_the_painful_side(api, patient):
    # Pain on the right: the side glide's hips go away from it, so the left side is
    # towards the wall.
    patient.painful_side = "right"
    patient.save(update_fields=["painful_side"])
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [
                {"exercise": "standing-side-glide"},
                {"exercise": "flexion-rotation", "side": "right"},
                {"exercise": "prone-press-up"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201
    items = response.json()["items"]
    assert [item["side"] for item in items] == ["left", "right", ""]
    assert items[0]["steps"][0].startswith("Stand with your left side towards a wall")
    assert items[1]["steps"][0] == "Lie on your right side with both knees bent."
    prescription = Prescription.objects.get(pk=response.json()["id"])
    assert list(prescription.items.order_by("position").values_list("side", flat=True)) == [
        "left",
        "right",
        "",
    ]


def test_a_program_carries_the_review_date_the_client_gives(api, patient):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "activate": True,
            "review_on": "2026-12-14",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["review_on"] == "2026-12-14"
    program = Prescription.objects.get(pk=response.json()["id"])
    assert program.review_on.isoformat() == "2026-12-14"

    revised = api.post(
        f"{URL}{program.pk}/revise/",
        {"prescribed_by": "tess", "items": [{"exercise": "prone-press-up"}]},
        format="json",
    )
    assert revised.json()["review_on"] == "2026-12-14", "a revision keeps the planned review"


def test_a_review_date_in_the_past_is_a_400_on_the_field(api, patient):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "activate": True,
            "review_on": "2020-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["review_on"] == [
        "The review date has passed: choose today or a later day."
    ]
    assert not Prescription.objects.filter(patient=patient).exists()


def test_a_revision_with_a_review_date_in_the_past_is_a_400(api, prescription):
    response = api.post(
        f"{URL}{prescription.pk}/revise/",
        {
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-press-up"}],
            "review_on": "2026-03-10",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "review_on" in response.json()["errors"]
    prescription.refresh_from_db()
    assert prescription.status == "active"


def test_a_revision_drops_a_review_date_that_has_passed(api, patient, frozen_clock):
    created = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "activate": True,
            "review_on": "2026-03-12",
        },
        format="json",
    )
    frozen_clock.move_to("2026-03-14 10:00Z")

    revised = api.post(
        f"{URL}{created.json()['id']}/revise/",
        {"prescribed_by": "tess", "items": [{"exercise": "prone-press-up"}]},
        format="json",
    )

    assert revised.status_code == 201
    assert revised.json()["review_on"] is None


def test_a_review_date_that_is_not_a_date_is_a_400(api, patient):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "review_on": "next week",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "review_on" in str(response.json())
    assert not Prescription.objects.filter(patient=patient).exists()


def test_a_review_date_years_ahead_is_a_400_on_the_field(api, patient):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-lying"}],
            "activate": True,
            "review_on": "9999-12-31",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"]["review_on"] == [
        "Choose a review date within two years, by 2028-03-10."
    ]
    assert not Prescription.objects.filter(patient=patient).exists()
