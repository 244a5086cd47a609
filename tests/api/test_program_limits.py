"""A program the API makes is one the builder can open, check and activate: the same
limits on both paths, and no change to an archived patient's program."""

from django.urls import reverse

from prescriptions.models import ITEM_NOTE_MAX_LENGTH, MAX_ITEMS, Prescription
from prescriptions.services import ItemSpec
from tests.api.test_catalog import make_exercise

URL = "/api/v1/prescriptions/"


def test_an_exercise_given_twice_is_a_400_naming_the_second(api, patient):
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [
                {"exercise": "prone-lying"},
                {"exercise": "prone-props"},
                {"exercise": "prone-lying", "repetitions": 5},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "items": {"2": {"exercise": ["Prone lying is in the program twice."]}}
    }
    assert not Prescription.objects.filter(patient=patient).exists()


def test_a_revision_with_an_exercise_twice_is_a_400(api, prescription):
    response = api.post(
        f"{URL}{prescription.pk}/revise/",
        {
            "prescribed_by": "tess",
            "items": [{"exercise": "prone-props"}, {"exercise": "prone-props"}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]["items"]) == {"1"}


def test_more_exercises_than_the_builder_holds_is_a_400(api, patient):
    exercises = [make_exercise(patient.clinic, f"own-{n}") for n in range(MAX_ITEMS + 1)]

    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": exercise.slug} for exercise in exercises],
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"items"}


def test_a_draft_made_through_the_api_can_be_saved_and_activated_in_the_builder(
    api, therapist_client, patient
):
    """The documented flow: a clinic system drafts, a therapist checks and activates."""
    exercises = [make_exercise(patient.clinic, f"own-{n}") for n in range(MAX_ITEMS)]
    note = "Keep the movement slow and stop if it spreads. " * 20
    note = note[:ITEM_NOTE_MAX_LENGTH].strip()
    response = api.post(
        URL,
        {
            "patient": patient.pk,
            "prescribed_by": "tess",
            "items": [{"exercise": exercise.slug, "note": note} for exercise in exercises],
        },
        format="json",
    )
    assert response.status_code == 201
    draft = Prescription.objects.get(pk=response.json()["id"])

    page = therapist_client.get(reverse("prescriptions:edit", args=[draft.pk]))
    form = page.context["formset"]
    data = {
        "items-TOTAL_FORMS": str(len(form.forms)),
        "items-INITIAL_FORMS": "0",
        "action": "activate",
        "change_note": "",
        "review_on": "",
    }
    for index, spec in enumerate(ItemSpec.from_item(i) for i in draft.items.order_by("position")):
        data.update(
            {
                f"items-{index}-exercise": spec.exercise.pk,
                f"items-{index}-order": index + 1,
                f"items-{index}-sets": spec.sets,
                f"items-{index}-repetitions": spec.repetitions,
                f"items-{index}-hold_seconds": spec.hold_seconds,
                f"items-{index}-frequency": "per_day" if spec.times_per_day else "every_hours",
                f"items-{index}-frequency_value": spec.times_per_day or spec.every_hours,
                f"items-{index}-note": spec.note,
            }
        )
    response = therapist_client.post(reverse("prescriptions:edit", args=[draft.pk]), data)

    assert response.status_code == 302, response.context and response.context["formset"].errors
    draft.refresh_from_db()
    assert draft.status == Prescription.Status.ACTIVE
    assert draft.items.count() == MAX_ITEMS
    assert {item.note for item in draft.items.all()} == {note}


def test_an_archived_patients_program_cannot_be_revised_through_the_api(api, prescription):
    prescription.patient.archived = True
    prescription.patient.save(update_fields=["archived"])

    response = api.post(
        f"{URL}{prescription.pk}/revise/",
        {"prescribed_by": "tess", "items": [{"exercise": "prone-props"}]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "This patient is archived."
    assert Prescription.objects.filter(patient=prescription.patient).count() == 1
    # Ending it stays possible: that stops the exercises.
    assert api.post(f"{URL}{prescription.pk}/end/").status_code == 200
