"""Small builders for test data, one per model; fixtures in conftest.py use them."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from clinics.models import Clinic, Therapist
from exercises.models import Exercise, Progression
from patients.models import Patient
from prescriptions.models import Prescription
from prescriptions.services import ItemSpec, create_prescription, progression_items

PASSWORD = "correct-horse-battery-42"
_counter = itertools.count(1)


def make_user(username: str | None = None, **extra: Any):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.test", **extra
    )


def make_clinic(name: str = "Harbour Physio", slug: str | None = None) -> Clinic:
    return Clinic.objects.create(name=name, slug=slug or f"clinic-{next(_counter)}")


def make_therapist(clinic: Clinic, username: str | None = None, *, admin: bool = False):
    user = make_user(username, first_name="Tess", last_name=f"Therapist{next(_counter)}")
    Therapist.objects.create(user=user, clinic=clinic, is_clinic_admin=admin)
    return user


def make_patient(clinic: Clinic, *, login: str | None = None, **fields: Any) -> Patient:
    n = next(_counter)
    values = {"first_name": "Pat", "last_name": f"Patient{n}", "email": f"pat{n}@example.test"}
    values.update(fields)
    patient = Patient.objects.create(clinic=clinic, **values)
    if login:
        patient.user = make_user(login)
        patient.save(update_fields=["user"])
    return patient


def make_prescription(
    patient: Patient,
    by,
    *,
    progression: str = "extension",
    first: int | None = None,
    activate: bool = True,
    exercises: list[Exercise] | None = None,
) -> Prescription:
    if exercises is not None:
        items = [ItemSpec.from_exercise(exercise) for exercise in exercises]
        source = None
    else:
        source = Progression.objects.builtin().get(slug=progression)
        items = progression_items(source, first=first)
    return create_prescription(
        patient=patient, by=by, items=items, progression=source, activate=activate
    )


# Seven built-in exercises in the order the extension progression used to chain them.
LONG_EXTENSION_PROGRAM = [
    "prone-lying",
    "prone-props",
    "prone-press-up",
    "prone-press-up-hips-off-centre",
    "standing-side-glide",
    "flexion-rotation",
    "standing-lumbar-extension",
]


def make_long_extension_program(patient: Patient, by) -> Prescription:
    """An active program on the extension progression holding seven exercises."""
    exercises = {e.slug: e for e in Exercise.objects.builtin()}
    return create_prescription(
        patient=patient,
        by=by,
        items=[ItemSpec.from_exercise(exercises[slug]) for slug in LONG_EXTENSION_PROGRAM],
        progression=Progression.objects.builtin().get(slug="extension"),
        activate=True,
    )


def make_exercise_for(clinic: Clinic, slug: str = "clinic-exercise", **fields: Any) -> Exercise:
    """A clinic's own exercise, prescribable like a built-in one."""
    values = {
        "name": slug.replace("-", " ").capitalize(),
        "position": "standing",
        "direction": "extension",
        "steps": ["Stand tall.", "Lean back gently.", "Come back up."],
        "purpose": "A clinic's own variation.",
        "cautions": "Stop if pain spreads into your leg.",
        "default_times_per_day": 3,
    }
    values.update(fields)
    return Exercise.objects.create(clinic=clinic, slug=slug, **values)


def make_authenticator(user: Any):
    """A confirmed authenticator app for `user` (two-step sign-in on)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def sign_in_verified(client: Any, user: Any) -> None:
    """Sign `user` in on `client` as the code step does: an app set up and this
    session verified with it (the admin lets in nobody else)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or make_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
