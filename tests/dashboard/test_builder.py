"""The program builder: start, arrange, dose, preview, activate, revise."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from exercises.models import Exercise, Progression
from prescriptions.models import Prescription
from tests.factories import make_exercise_for, make_prescription


def new_url(patient) -> str:
    return reverse("prescriptions:new", kwargs={"patient_pk": patient.pk})


def edit_url(prescription) -> str:
    return reverse("prescriptions:edit", kwargs={"pk": prescription.pk})


def slugs(prescription) -> list[str]:
    return list(prescription.items.order_by("position").values_list("exercise__slug", flat=True))


def form_data(prescription, action="save", change_note="", **fields) -> dict:
    """What the builder form posts for the draft as saved, with `fields` overriding
    single inputs, e.g. items_1_repetitions=12 for the second exercise."""
    items = list(prescription.items.order_by("position"))
    data = {
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 20,
        "action": action,
        "change_note": change_note,
    }
    for index, item in enumerate(items):
        every = item.every_hours is not None
        data.update(
            {
                f"items-{index}-exercise": item.exercise_id,
                f"items-{index}-order": index + 1,
                f"items-{index}-sets": item.sets,
                f"items-{index}-repetitions": item.repetitions,
                f"items-{index}-hold_seconds": item.hold_seconds,
                f"items-{index}-frequency": "every_hours" if every else "per_day",
                f"items-{index}-frequency_value": item.every_hours or item.times_per_day,
                f"items-{index}-note": item.note,
                f"items-{index}-side": item.side,
            }
        )
    for key, value in fields.items():
        if key.startswith("items_"):
            _prefix, index, name = key.split("_", 2)
            data[f"items-{index}-{name}"] = value
        else:
            data[key] = value
    return data


@pytest.fixture
def draft(patient, therapist):
    """A draft of the first three steps of the extension progression."""
    return make_prescription(patient, therapist, first=3, activate=False)


# --- Starting a program ---------------------------------------------------------------


def test_it_offers_the_progressions_and_the_catalog(therapist_client, patient):
    content = therapist_client.get(new_url(patient)).content.decode()
    assert "Extension progression" in content
    assert "Flexion progression" in content
    assert "Pick exercises yourself" in content


def test_it_starts_from_every_step_of_a_progression(therapist_client, therapist, patient):
    extension = Progression.objects.builtin().get(slug="extension")
    response = therapist_client.post(new_url(patient), {"source": extension.pk, "first": ""})
    draft = Prescription.objects.get(patient=patient)
    assert response["Location"] == edit_url(draft)
    assert (draft.status, draft.version, draft.progression) == ("draft", 1, extension)
    assert len(slugs(draft)) == 4
    first = draft.items.get(position=1)
    assert (first.hold_seconds, first.every_hours) == (180, 2)
    assert AuditEvent.objects.filter(action="create", object_type="prescription").exists()


def test_the_progression_picker_starts_with_the_first_step_only(therapist_client, patient):
    content = therapist_client.get(new_url(patient)).content.decode()
    extension = Progression.objects.builtin().get(slug="extension")
    picker = re.search(
        rf'<select name="first" id="first-{extension.pk}">(.*?)</select>', content, re.S
    )
    selected = re.findall(r'<option value="([^"]*)" selected>([^<]*)<', picker.group(1))
    assert selected == [("1", "The first step only")]
    assert '<option value="">All 4 steps</option>' in picker.group(1)


def test_it_starts_from_the_first_steps_of_a_progression(therapist_client, patient):
    flexion = Progression.objects.builtin().get(slug="flexion")
    therapist_client.post(new_url(patient), {"source": flexion.pk, "first": "2"})
    draft = Prescription.objects.get(patient=patient)
    assert slugs(draft) == ["supine-lumbar-flexion", "seated-lumbar-flexion"]


def test_it_refuses_more_steps_than_the_progression_has(therapist_client, patient):
    flexion = Progression.objects.builtin().get(slug="flexion")
    response = therapist_client.post(new_url(patient), {"source": flexion.pk, "first": "9"})
    assert response.status_code == 400
    assert "Flexion progression has 3 steps." in response.content.decode()
    assert not Prescription.objects.exists()


def test_it_starts_an_empty_program_to_pick_from_the_catalog(therapist_client, patient):
    therapist_client.post(new_url(patient), {"source": "catalog"})
    draft = Prescription.objects.get(patient=patient)
    assert draft.progression is None
    assert slugs(draft) == []
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert "No exercises yet" in content


# --- Arranging and dosing ---------------------------------------------------------------


def test_it_shows_each_exercise_with_the_catalog_dosage(therapist_client, draft):
    response = therapist_client.get(edit_url(draft))
    content = response.content.decode()
    assert "Prone lying" in content and "Prone press-up" in content
    assert 'name="items-0-hold_seconds" value="180"' in content
    assert AuditEvent.objects.filter(action="view", object_type="prescription").exists()


def test_it_saves_a_changed_dosage(therapist_client, draft):
    data = form_data(
        draft,
        items_2_repetitions=12,
        items_2_frequency="per_day",
        items_2_frequency_value=4,
        items_2_note="Go gently",
    )
    response = therapist_client.post(edit_url(draft), data)
    assert response["Location"].startswith(edit_url(draft))
    item = draft.items.get(position=3)
    assert (item.repetitions, item.times_per_day, item.every_hours) == (12, 4, None)
    assert item.note == "Go gently"


def test_it_moves_an_exercise_up_and_down_without_javascript(therapist_client, draft):
    therapist_client.post(edit_url(draft), form_data(draft, action="up:1"))
    assert slugs(draft) == ["prone-props", "prone-lying", "prone-press-up"]
    therapist_client.post(edit_url(draft), form_data(draft, action="down:0"))
    assert slugs(draft) == ["prone-lying", "prone-props", "prone-press-up"]


def test_moving_the_first_exercise_up_changes_nothing(therapist_client, draft):
    therapist_client.post(edit_url(draft), form_data(draft, action="up:0"))
    assert slugs(draft) == ["prone-lying", "prone-props", "prone-press-up"]


def test_it_follows_the_order_set_by_drag_and_drop(therapist_client, draft):
    data = form_data(draft, items_0_order=3, items_1_order=1, items_2_order=2)
    therapist_client.post(edit_url(draft), data)
    assert slugs(draft) == ["prone-props", "prone-press-up", "prone-lying"]


def test_it_removes_an_exercise_even_with_a_bad_dosage(therapist_client, draft):
    data = form_data(draft, action="remove:1", items_1_repetitions="0")
    therapist_client.post(edit_url(draft), data)
    assert slugs(draft) == ["prone-lying", "prone-press-up"]


def test_it_adds_an_exercise_with_its_catalog_dosage(therapist_client, draft):
    glide = Exercise.objects.builtin().get(slug="standing-side-glide")
    response = therapist_client.post(edit_url(draft), form_data(draft, action=f"add:{glide.pk}"))
    assert response["Location"].endswith("#catalog")
    assert slugs(draft)[-1] == "standing-side-glide"
    added = draft.items.get(exercise=glide)
    assert added.repetitions == glide.default_repetitions


def test_an_added_one_sided_exercise_takes_its_side_from_the_painful_side(
    therapist_client, draft, patient
):
    # Pain on the left: the side glide moves the hips away from it, right side to the wall.
    patient.painful_side = "left"
    patient.save(update_fields=["painful_side"])
    glide = Exercise.objects.builtin().get(slug="standing-side-glide")
    therapist_client.post(edit_url(draft), form_data(draft, action=f"add:{glide.pk}"))
    assert draft.items.get(exercise=glide).side == "right"
    content = therapist_client.get(edit_url(draft)).content.decode()
    assert '<select name="items-3-side"' in content
    assert '<option value="right" selected>Right</option>' in content
    assert 'name="items-0-side"' not in content, "no side for a two-sided exercise"


def test_it_saves_the_side_the_therapist_chose(therapist_client, draft, patient):
    patient.directional_preference = "lateral_right"
    patient.save(update_fields=["directional_preference"])
    rotation = Exercise.objects.builtin().get(slug="flexion-rotation")
    therapist_client.post(edit_url(draft), form_data(draft, action=f"add:{rotation.pk}"))
    therapist_client.post(edit_url(draft), form_data(draft, items_3_side="left"))
    assert draft.items.get(exercise=rotation).side == "left"
    preview = therapist_client.get(reverse("prescriptions:detail", args=[draft.pk]))
    assert "Lie on your left side with both knees bent." in preview.content.decode()


def test_it_adds_the_clinics_own_exercise(therapist_client, draft, clinic):
    own = make_exercise_for(clinic, "wall-lean")
    therapist_client.post(edit_url(draft), form_data(draft, action=f"add:{own.pk}"))
    assert slugs(draft)[-1] == "wall-lean"


def test_it_does_not_add_another_clinics_exercise(therapist_client, draft, other_clinic):
    theirs = make_exercise_for(other_clinic, "secret-move")
    response = therapist_client.post(
        edit_url(draft), form_data(draft, action=f"add:{theirs.pk}"), follow=True
    )
    assert "not in your catalog" in response.content.decode()
    assert "secret-move" not in slugs(draft)


def test_it_does_not_add_the_same_exercise_twice(therapist_client, draft):
    lying = draft.items.get(position=1).exercise
    response = therapist_client.post(
        edit_url(draft), form_data(draft, action=f"add:{lying.pk}"), follow=True
    )
    assert "already in the program" in response.content.decode()
    assert len(slugs(draft)) == 3


def test_it_refuses_a_bad_dosage_and_keeps_what_was_typed(therapist_client, draft):
    data = form_data(draft, items_0_repetitions="0", items_1_sets="7", items_2_note="Keep me")
    response = therapist_client.post(edit_url(draft), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "greater than or equal to 1" in content
    assert 'value="Keep me"' in content
    assert draft.items.get(position=2).sets == 1


def test_it_filters_the_catalog_by_direction_and_position(therapist_client, draft):
    response = therapist_client.post(
        edit_url(draft), form_data(draft, action="filter", direction="flexion", position="")
    )
    assert response["Location"] == edit_url(draft) + "?direction=flexion#catalog"
    page = therapist_client.get(edit_url(draft), {"direction": "flexion", "position": "sitting"})
    assert page.context["matching"] == {
        Exercise.objects.builtin().get(slug="seated-lumbar-flexion").pk
    }


def test_preview_shows_the_program_as_the_patient_will_see_it(therapist_client, draft):
    response = therapist_client.post(edit_url(draft), form_data(draft, action="preview"))
    detail = reverse("prescriptions:detail", kwargs={"pk": draft.pk})
    assert response["Location"] == detail
    content = therapist_client.get(detail).content.decode()
    assert "Preview" in content
    assert draft.items.get(position=3).dosage_text in content
    assert draft.items.get(position=1).steps[0][:40] in content


# --- Activating and revising ------------------------------------------------------------


def test_it_activates_the_draft_and_returns_to_the_patient(therapist_client, draft, patient):
    response = therapist_client.post(edit_url(draft), form_data(draft, action="activate"))
    assert response["Location"] == reverse("patients:detail", kwargs={"pk": patient.pk})
    draft.refresh_from_db()
    assert draft.status == "active" and draft.activated_at is not None


def test_it_activates_from_the_preview_page(therapist_client, draft):
    therapist_client.post(reverse("prescriptions:activate", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == "active"


def test_an_empty_program_is_not_activated(therapist_client, patient):
    therapist_client.post(new_url(patient), {"source": "catalog"})
    draft = Prescription.objects.get(patient=patient)
    response = therapist_client.post(
        edit_url(draft), form_data(draft, action="activate"), follow=True
    )
    assert "Add at least one exercise" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_active_program_is_not_edited_in_place(therapist_client, prescription):
    response = therapist_client.post(edit_url(prescription), form_data(prescription, action="up:1"))
    assert response["Location"] == reverse("prescriptions:detail", kwargs={"pk": prescription.pk})
    assert slugs(prescription)[0] == "prone-lying"


def test_revising_makes_a_new_version_and_keeps_the_old_one_readable(
    therapist_client, prescription, patient
):
    response = therapist_client.post(
        reverse("prescriptions:revise", kwargs={"pk": prescription.pk})
    )
    draft = Prescription.objects.get(patient=patient, version=2)
    assert response["Location"] == edit_url(draft)
    assert draft.replaces == prescription and draft.status == "draft"
    data = form_data(draft, action="activate", change_note="More press-ups", items_2_repetitions=15)
    therapist_client.post(edit_url(draft), data)
    prescription.refresh_from_db()
    draft.refresh_from_db()
    assert (prescription.status, draft.status) == ("ended", "active")
    assert draft.change_note == "More press-ups"
    new_page = therapist_client.get(reverse("prescriptions:detail", kwargs={"pk": draft.pk}))
    content = new_page.content.decode()
    assert "What changed since version 1" in content
    assert (
        "10 times, hold 2 seconds, every 2 hours → 15 times, hold 2 seconds, every 2 hours"
        in content
    )
    old_page = therapist_client.get(reverse("prescriptions:detail", kwargs={"pk": prescription.pk}))
    assert old_page.status_code == 200
    assert "no longer in use" in old_page.content.decode()


def test_revising_twice_reuses_the_open_draft(therapist_client, prescription, patient):
    revise = reverse("prescriptions:revise", kwargs={"pk": prescription.pk})
    therapist_client.post(revise)
    therapist_client.post(revise)
    assert Prescription.objects.filter(patient=patient, status="draft").count() == 1


def test_it_discards_a_draft_but_not_an_active_program(therapist_client, draft, prescription):
    therapist_client.post(reverse("prescriptions:discard", kwargs={"pk": draft.pk}))
    assert not Prescription.objects.filter(pk=draft.pk).exists()
    therapist_client.post(reverse("prescriptions:discard", kwargs={"pk": prescription.pk}))
    assert Prescription.objects.filter(pk=prescription.pk).exists()


def test_it_ends_the_program_in_use(therapist_client, prescription):
    therapist_client.post(reverse("prescriptions:end", kwargs={"pk": prescription.pk}))
    prescription.refresh_from_db()
    assert prescription.status == "ended" and prescription.ended_at is not None


# --- Access -----------------------------------------------------------------------------

POSTS = ["activate", "revise", "discard", "end"]


@pytest.mark.parametrize("name", [*POSTS, "edit", "detail"])
def test_another_clinic_gets_404_for_every_program_url(stranger_client, prescription, name):
    url = reverse(f"prescriptions:{name}", kwargs={"pk": prescription.pk})
    assert stranger_client.post(url).status_code in (404, 405)
    assert stranger_client.get(url).status_code in (404, 405)
    prescription.refresh_from_db()
    assert prescription.status == "active"
    assert Prescription.objects.count() == 1


def test_another_clinic_gets_404_when_starting_a_program(stranger_client, patient):
    assert stranger_client.get(new_url(patient)).status_code == 404
    assert stranger_client.post(new_url(patient), {"source": "catalog"}).status_code == 404
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("name", POSTS)
def test_the_buttons_refuse_get(therapist_client, prescription, name):
    url = reverse(f"prescriptions:{name}", kwargs={"pk": prescription.pk})
    assert therapist_client.get(url).status_code == 405


@pytest.mark.parametrize("name", ["edit", "detail"])
def test_the_pages_refuse_the_wrong_method(therapist_client, prescription, name):
    url = reverse(f"prescriptions:{name}", kwargs={"pk": prescription.pk})
    assert therapist_client.delete(url).status_code == 405
    assert therapist_client.delete(new_url(prescription.patient)).status_code == 405


@pytest.mark.parametrize("name", [*POSTS, "edit", "detail"])
def test_anonymous_visitors_go_to_the_login(client, prescription, name):
    url = reverse(f"prescriptions:{name}", kwargs={"pk": prescription.pk})
    response = client.post(url) if name in POSTS else client.get(url)
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(new_url(prescription.patient))["Location"].startswith("/accounts/login/")


def test_the_therapist_sets_a_review_date_for_the_handout(therapist_client, draft):
    page = therapist_client.get(edit_url(draft)).content.decode()
    assert 'name="review_on"' in page
    response = therapist_client.post(edit_url(draft), form_data(draft, review_on="2026-12-14"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review_on.isoformat() == "2026-12-14"
    assert 'value="2026-12-14"' in therapist_client.get(edit_url(draft)).content.decode()
    detail = therapist_client.get(reverse("prescriptions:detail", args=[draft.pk]))
    assert "review on 14 Dec 2026" in detail.content.decode()


PASSED = "The review date has passed: choose today or a later day."


def test_a_review_date_in_the_past_is_a_field_error(therapist_client, draft):
    response = therapist_client.post(edit_url(draft), form_data(draft, review_on="2020-01-01"))

    assert response.status_code == 400
    assert response.context["note_form"].errors["review_on"] == [PASSED]
    assert PASSED in response.content.decode()
    assert 'type="date" name="review_on" value="2020-01-01" min="2026-03-11"' in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.review_on is None


def test_a_review_date_in_the_past_does_not_activate_the_draft(therapist_client, draft):
    response = therapist_client.post(
        edit_url(draft), form_data(draft, action="activate", review_on="2020-01-01")
    )

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.review_on is None


@pytest.mark.any_hour
def test_a_review_today_is_accepted(therapist_client, draft):
    today = timezone.localdate()

    response = therapist_client.post(
        edit_url(draft), form_data(draft, action="activate", review_on=today.isoformat())
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active" and draft.review_on == today


def test_a_draft_whose_review_date_passed_meanwhile_is_not_activated(
    therapist_client, draft, frozen_clock
):
    therapist_client.post(edit_url(draft), form_data(draft, review_on="2026-03-12"))
    frozen_clock.move_to("2026-03-14 10:00Z")
    therapist_client.force_login(draft.prescribed_by)

    response = therapist_client.post(
        reverse("prescriptions:activate", kwargs={"pk": draft.pk}), follow=True
    )

    assert PASSED in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_revision_does_not_take_over_a_review_date_that_has_passed(
    therapist_client, draft, patient, frozen_clock
):
    therapist_client.post(
        edit_url(draft), form_data(draft, action="activate", review_on="2026-03-12")
    )
    frozen_clock.move_to("2026-03-14 10:00Z")
    therapist_client.force_login(draft.prescribed_by)

    therapist_client.post(reverse("prescriptions:revise", kwargs={"pk": draft.pk}))

    revision = Prescription.objects.get(patient=patient, status="draft")
    assert revision.review_on is None


def test_a_review_date_that_is_not_a_date_keeps_the_draft_as_it_was(therapist_client, draft):
    before = slugs(draft)
    response = therapist_client.post(edit_url(draft), form_data(draft, review_on="soon"))
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    draft.refresh_from_db()
    assert draft.review_on is None
    assert slugs(draft) == before


# --- Another clinic's exercise -------------------------------------------------------


@pytest.mark.parametrize("action", ["save", "add:{pk}"])
def test_another_clinics_exercise_posted_to_the_builder_is_a_400_with_a_message(
    therapist_client, draft, other_clinic, action
):
    theirs = make_exercise_for(other_clinic, "their-own-bridge")
    before = slugs(draft)
    data = form_data(draft, action=action.format(pk=theirs.pk))
    if action == "save":
        data["items-0-exercise"] = theirs.pk

    response = therapist_client.post(edit_url(draft), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "That exercise is not in your catalog." in page
    assert "their-own-bridge" not in page and "Their own bridge" not in page
    assert slugs(draft) == before


def test_a_review_date_beyond_two_years_is_a_field_error(therapist_client, draft):
    response = therapist_client.post(edit_url(draft), form_data(draft, review_on="2028-03-11"))

    assert response.status_code == 400
    expected = "Choose a review date within two years, by 2028-03-10."
    assert response.context["note_form"].errors["review_on"] == [expected]
    assert 'min="2026-03-11" max="2028-03-10"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.review_on is None
    # The last day of the window is accepted.
    therapist_client.post(edit_url(draft), form_data(draft, review_on="2028-03-10"))
    draft.refresh_from_db()
    assert draft.review_on.isoformat() == "2028-03-10"
