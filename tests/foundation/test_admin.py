from django.urls import reverse

from exercises.models import Exercise
from tests.factories import make_exercise_for, make_user, sign_in_verified
from tests.suggestion_factory import make_ready_to_progress


def _staff(client):
    admin = make_user("root", is_staff=True, is_superuser=True)
    sign_in_verified(client, admin)
    return client


def test_a_built_in_exercise_is_read_only_in_the_admin(client, db):
    client = _staff(client)
    exercise = Exercise.objects.get(slug="prone-press-up")
    url = reverse("admin:exercises_exercise_change", args=[exercise.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(url, {"name": "Changed"})
    assert response.status_code == 403
    exercise.refresh_from_db()
    assert exercise.name == "Prone press-up"


def test_a_clinics_own_exercise_can_be_edited_in_the_admin(client, clinic):
    client = _staff(client)
    exercise = make_exercise_for(clinic, "wall-lean")
    page = client.get(reverse("admin:exercises_exercise_change", args=[exercise.pk]))
    assert b'name="_save"' in page.content


def test_suggestions_are_read_only_in_the_admin(client, patient, therapist):
    suggestion = make_ready_to_progress(patient, therapist)
    client = _staff(client)
    listing = client.get(reverse("admin:prescriptions_progressionsuggestion_changelist"))
    assert listing.status_code == 200
    page = client.get(
        reverse("admin:prescriptions_progressionsuggestion_change", args=[suggestion.pk])
    )
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
