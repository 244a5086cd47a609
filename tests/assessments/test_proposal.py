"""The classification -> proposal table: one row per class and preference."""

from __future__ import annotations

import pytest

from assessments.proposal import Findings, propose

CENTRALIZES = ("centralize", "better")
PERIPHERALIZES = ("peripheralize", "worse")


@pytest.mark.parametrize(
    ("findings", "progression", "first", "exercises"),
    [
        # Derangement, extension: the step the tests support.
        (
            Findings("derangement", "extension", tests={"extension_lying": CENTRALIZES}),
            "extension",
            3,
            (),
        ),
        (
            Findings("derangement", "extension", tests={"sustained_extension": CENTRALIZES}),
            "extension",
            2,
            (),
        ),
        (Findings("derangement", "extension"), "extension", 1, ()),
        # One-sided symptoms that centralize in the sagittal plane stay there.
        (
            Findings(
                "derangement",
                "extension",
                painful_side="right",
                tests={"extension_lying": ("abolish", "no_worse")},
            ),
            "extension",
            3,
            (),
        ),
        # One-sided symptoms that do not: the lateral branch.
        (
            Findings(
                "derangement",
                "extension",
                painful_side="left",
                tests={"extension_lying": ("no_effect", "no_better")},
            ),
            "lateral",
            1,
            ("prone-press-up-hips-off-centre", "standing-side-glide"),
        ),
        (
            Findings("derangement", "extension", lateral_shift="right"),
            "lateral",
            1,
            ("prone-press-up-hips-off-centre", "standing-side-glide"),
        ),
        (
            Findings("derangement", "lateral_left"),
            "lateral",
            1,
            ("prone-press-up-hips-off-centre", "standing-side-glide"),
        ),
        (
            Findings("derangement", "lateral_right"),
            "lateral",
            1,
            ("prone-press-up-hips-off-centre", "standing-side-glide"),
        ),
        (Findings("derangement", "flexion"), "flexion", 1, ()),
        (
            Findings("derangement", "flexion", tests={"flexion_standing": ("decrease", "better")}),
            "flexion",
            None,
            (),
        ),
        (Findings("derangement", "none"), "", None, ()),
        (Findings("dysfunction", dysfunction_direction="extension"), "", None, ("prone-press-up",)),
        (
            Findings("dysfunction", dysfunction_direction="flexion"),
            "",
            None,
            ("supine-lumbar-flexion",),
        ),
        (
            Findings("dysfunction", dysfunction_direction="side_glide_left"),
            "",
            None,
            ("standing-side-glide",),
        ),
        (Findings("postural"), "", None, ("sitting-lumbar-roll", "slouch-overcorrect")),
        (Findings("other", other_subtype="stenosis"), "flexion", 1, ()),
        (Findings("other", other_subtype="hip"), "", None, ()),
        (Findings("other", other_subtype="inconclusive"), "", None, ()),
        (Findings(""), "", None, ()),
    ],
)
def test_each_classification_and_preference_proposes_its_program(
    findings, progression, first, exercises
):
    proposal = propose(findings)

    assert (proposal.progression, proposal.first, proposal.exercises) == (
        progression,
        first,
        exercises,
    )
    assert proposal.reasons


def test_an_extension_test_that_peripheralizes_proposes_no_extension_program():
    proposal = propose(
        Findings(
            "derangement",
            "extension",
            tests={"extension_lying": PERIPHERALIZES, "extension_standing": CENTRALIZES},
        )
    )

    assert proposal.reassess
    assert "spread or worse" in proposal.reasons[0]


def test_a_flexion_test_that_makes_stenosis_worse_proposes_reassessment():
    proposal = propose(
        Findings("other", other_subtype="stenosis", tests={"flexion_lying": ("increase", "worse")})
    )

    assert proposal.reassess


def test_no_directional_preference_says_so():
    proposal = propose(Findings("derangement", "none"))

    assert proposal.reassess
    assert proposal.reasons == ("no directional preference was found",)
