"""The portal and the handout show the numbers the therapist prescribed and nothing
else, name the prescribed side, and flip the drawing to show it."""

import html
import re

import pytest
from django.urls import reverse

from exercises.models import Exercise
from handouts.handout import handout_context
from handouts.pdf import handout_pdf
from prescriptions.services import ItemSpec, create_prescription, revise_prescription

from .pdfs import drawing_alts, pdf_text


def _builtin(slug: str) -> Exercise:
    return Exercise.objects.builtin().get(slug=slug)


@pytest.fixture
def press_up_15_times_5_seconds(patient, therapist):
    """A press-up at 15 times with a 5-second hold, every hour (no number of its own)."""
    spec = ItemSpec.from_exercise(
        _builtin("prone-press-up"), repetitions=15, hold_seconds=5, every_hours=1
    )
    return create_prescription(patient=patient, by=therapist, items=[spec], activate=True)


def _article(client, number: int) -> str:
    """The markup of one exercise on the portal's page."""
    content = client.get(reverse("portal:today")).content.decode()
    match = re.search(rf'<article[^>]*id="exercise-{number}".*?</article>', content, re.S)
    return match.group(0)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _picture(markup: str) -> str:
    return re.search(r'<img class="[^"]*" src="([^"]*)"', markup).group(1)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def test_the_portal_shows_only_the_prescribed_numbers_for_an_exercise(
    patient_client, press_up_15_times_5_seconds
):
    text = _text(_article(patient_client, 1))
    assert "15 times, hold 5 seconds, every hour" in text
    assert "Hold the top position for the time your therapist set: 5 seconds." in text
    assert "Do this the number of times your therapist set: 15 times" in text
    # The item's number in the program, and the prescribed numbers: nothing else.
    assert _numbers(text) <= {"1", "5", "15"}


@pytest.mark.hazard("H-04")
def test_the_handout_shows_only_the_prescribed_numbers_for_an_exercise(
    press_up_15_times_5_seconds,
):
    text = pdf_text(handout_pdf(press_up_15_times_5_seconds))
    assert "15 times, hold 5 seconds, every hour" in text
    assert "Hold the top position for the time your therapist set: 5 seconds." in text
    assert "Do this the number of times your therapist set: 15 times" in text
    start = text.index("Prone press-up")
    end = text.index("going a little higher each time if your symptoms allow.")
    assert _numbers(text[start:end]) <= {"1", "5", "15"}
    assert "10 times" not in text
    assert "2 seconds" not in text


def test_the_program_page_fills_the_steps_from_the_prescribed_dosage(
    therapist_client, press_up_15_times_5_seconds
):
    url = reverse("prescriptions:detail", args=[press_up_15_times_5_seconds.pk])
    content = therapist_client.get(url).content.decode()
    assert "Hold the top position for the time your therapist set: 5 seconds." in content
    assert "{hold}" not in content


SIDED = ["prone-press-up-hips-off-centre", "standing-side-glide", "flexion-rotation"]


@pytest.mark.parametrize(
    ("painful_side", "expected"),
    [
        # Pain on the left: hips go right, right side to the wall, lie on the left side.
        (
            "left",
            [
                "Lie on your front. Move your hips over to the right and your feet over to "
                "the left, so that your body makes a gentle curve.",
                "Stand with your right side towards a wall, about a forearm's length from it, "
                "with your feet together.",
                "Lie on your left side with both knees bent.",
            ],
        ),
        (
            "right",
            [
                "Lie on your front. Move your hips over to the left and your feet over to "
                "the right, so that your body makes a gentle curve.",
                "Stand with your left side towards a wall, about a forearm's length from it, "
                "with your feet together.",
                "Lie on your right side with both knees bent.",
            ],
        ),
        *(
            (
                painful_side,
                [
                    "Lie on your front. Move your hips over to the side your therapist showed "
                    "you and your feet over to the other side, so that your body makes a "
                    "gentle curve.",
                    "Stand with the side your therapist showed you towards a wall, about a "
                    "forearm's length from it, with your feet together.",
                    "Lie on the side your therapist showed you with both knees bent.",
                ],
            )
            for painful_side in ("both", "central", "")
        ),
    ],
)
def test_each_one_sided_exercise_takes_its_side_from_the_painful_side_by_its_own_rule(
    patient, therapist, painful_side, expected
):
    patient.painful_side = painful_side
    # A lateral preference does not decide the side: it means opposite things here.
    patient.directional_preference = "lateral_right"
    patient.save(update_fields=["painful_side", "directional_preference"])
    prescription = create_prescription(
        patient=patient,
        by=therapist,
        items=[ItemSpec.from_exercise(_builtin(slug)) for slug in ["prone-press-up", *SIDED]],
    )
    items = list(prescription.items.order_by("position"))
    assert items[0].side == ""
    assert [item.steps[0] for item in items[1:]] == expected


def test_a_side_the_therapist_chose_wins_over_the_rule_and_survives_a_revision(patient, therapist):
    patient.painful_side = "right"  # the rule would put the left side to the wall
    patient.save(update_fields=["painful_side"])
    glide = _builtin("standing-side-glide")
    first = create_prescription(
        patient=patient,
        by=therapist,
        items=[ItemSpec.from_exercise(glide, side="right")],
        activate=True,
    )
    assert first.items.get().side == "right"
    second = revise_prescription(
        prescription=first,
        by=therapist,
        items=[ItemSpec.from_item(first.items.get())],
    )
    assert second.items.get().side == "right"


def test_the_steps_name_the_side_and_the_portal_shows_the_drawing_of_that_side(
    patient, therapist, patient_client
):
    patient.painful_side = "left"
    patient.save(update_fields=["painful_side"])
    specs = [ItemSpec.from_exercise(_builtin(s)) for s in ("flexion-rotation", "prone-lying")]
    create_prescription(patient=patient, by=therapist, items=specs, activate=True)
    rotation, lying = _article(patient_client, 1), _article(patient_client, 2)
    assert "Lie on your left side with both knees bent." in _text(rotation)
    assert _picture(rotation).endswith("/exercises/drawings/flexion-rotation-left.svg")
    assert _picture(lying).endswith("/exercises/drawings/prone-lying.svg")


@pytest.mark.hazard("H-04")
def test_the_handout_names_the_side_and_prints_the_drawing_of_that_side(patient, therapist):
    specs = [
        ItemSpec.from_exercise(_builtin("standing-side-glide"), side="left"),
        ItemSpec.from_exercise(_builtin("flexion-rotation"), side="right"),
    ]
    prescription = create_prescription(patient=patient, by=therapist, items=specs)
    items = handout_context(prescription)["items"]
    assert items[0]["drawing_path"].endswith("standing-side-glide-left.svg")
    assert items[1]["drawing_path"].endswith("flexion-rotation.svg")
    pdf = handout_pdf(prescription)
    alts = drawing_alts(pdf)
    assert "stand with the left side towards a wall" in alts[0]
    assert "lying on the right side" in alts[1]
    text = pdf_text(pdf)
    assert "Stand with your left side towards a wall" in text
    assert "Lie on your right side with both knees bent." in text


def test_the_portal_and_the_handout_print_the_cautions_of_each_exercise(
    patient, therapist, patient_client
):
    specs = [
        ItemSpec.from_exercise(_builtin(s))
        for s in ("prone-lying", "prone-press-up", "standing-lumbar-flexion")
    ]
    prescription = create_prescription(patient=patient, by=therapist, items=specs, activate=True)
    content = _text(patient_client.get(reverse("portal:today")).content.decode())
    text = pdf_text(handout_pdf(prescription))
    for shown in (content, text):
        assert "bending backwards can make your symptoms worse" in shown
        assert "it does not mean bed rest" in shown
        assert "backward-bending exercise, such as prone props or the prone press" in shown
