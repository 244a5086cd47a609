"""The built-in progressions, written for Centra in our own words: the graph of
MDT force progressions that `catalog.load_catalog` keeps in the database. The facts
come from the reference article and MDT practice (docs/progressions.md).
"""

from __future__ import annotations

from typing import Any

# The progression graph. Each progression's ordered steps are the force progression in
# one plane; its "links" are the branches to other progressions (see ProgressionLink):
# (from step, kind, to progression, to step, when, keeps the current exercise). Built-in
# steps carry no day counts of their own: the clinic's settings apply.
PROGRESSIONS: list[dict[str, Any]] = [
    {
        "slug": "extension",
        "name": "Extension progression",
        "direction": "extension",
        "description": (
            "Backward bending with more force at each step: lying on your front, propped on "
            "the elbows, pushing up on the arms, then pushing up with the back let sag. "
            "Standing extension stands in when you cannot lie down."
        ),
        "steps": [
            ("prone-lying", "Lying face down is comfortable and the pain stays central or eases."),
            ("prone-props", "Resting on the elbows is comfortable and the pain stays central."),
            (
                "prone-press-up",
                "The press-up centralizes or eases the pain and then stops improving, or leaves "
                "it unchanged: more force in the same direction.",
            ),
            ("prone-press-up-sustained", ""),
        ],
        # A press-up that helps is kept up: force is added only once improvement stops.
        "hold_while_good": ("prone-press-up", "prone-press-up-sustained"),
        "links": [
            *(
                (
                    slug,
                    "substitute",
                    "maintenance",
                    "standing-lumbar-extension",
                    "Lying down is not possible (at work, out of the house).",
                    False,
                )
                for slug in (
                    "prone-lying",
                    "prone-props",
                    "prone-press-up",
                    "prone-press-up-sustained",
                )
            ),
            (
                "prone-press-up-sustained",
                "lateral",
                "lateral",
                "prone-press-up-hips-off-centre",
                "Pain on one side, or uneven, that does not centralize with backward bending.",
                False,
            ),
            *(
                (
                    slug,
                    "recovery",
                    "recovery",
                    "supine-lumbar-flexion",
                    "Pain-free for the clinic's number of days: the derangement is stable.",
                    True,
                )
                for slug in (
                    "prone-lying",
                    "prone-props",
                    "prone-press-up",
                    "prone-press-up-sustained",
                )
            ),
        ],
    },
    {
        "slug": "lateral",
        "name": "Lateral branch",
        "direction": "side_glide",
        "description": (
            "For pain on one side, or uneven, that backward bending alone does not bring to "
            "the centre: the press-up with the hips moved aside, the side glide against a "
            "wall, and rotation in flexion where the therapist finds it suits. Once the pain "
            "centralizes, back to the press-up."
        ),
        "steps": [
            (
                "prone-press-up-hips-off-centre",
                "The pain on one side stays where it is: try the side glide.",
            ),
            (
                "standing-side-glide",
                "The side glide leaves one-sided pain unchanged: rotation in flexion, if your "
                "therapist finds it suits.",
            ),
            ("flexion-rotation", ""),
        ],
        "links": [
            *(
                (
                    slug,
                    "return",
                    "extension",
                    "prone-press-up",
                    "The pain moves to the centre: back to the press-up.",
                    False,
                )
                for slug in (
                    "prone-press-up-hips-off-centre",
                    "standing-side-glide",
                    "flexion-rotation",
                )
            ),
            *(
                (
                    slug,
                    "recovery",
                    "recovery",
                    "supine-lumbar-flexion",
                    "Pain-free for the clinic's number of days: the derangement is stable.",
                    True,
                )
                for slug in (
                    "prone-press-up-hips-off-centre",
                    "standing-side-glide",
                    "flexion-rotation",
                )
            ),
        ],
    },
    {
        "slug": "flexion",
        "name": "Flexion progression",
        "direction": "flexion",
        "description": (
            "Bending forward, from lying on the back to sitting and then standing, for spinal "
            "stenosis, flexion dysfunction and derangements that get better with bending "
            "forward."
        ),
        "steps": [
            (
                "supine-lumbar-flexion",
                "Knees to chest is easy and the symptoms stay central or improve.",
            ),
            (
                "seated-lumbar-flexion",
                "The seated bend is easy and the symptoms stay central or improve.",
            ),
            ("standing-lumbar-flexion", ""),
        ],
        "links": [],
    },
    {
        "slug": "recovery",
        "name": "Recovery of function",
        "direction": "flexion",
        "description": (
            "Once a derangement treated with backward bending has stayed settled, bending "
            "forward is brought back step by step, each time followed by the extension "
            "exercise, so the back moves freely again in every direction."
        ),
        "steps": [
            (
                "supine-lumbar-flexion",
                "Knees to chest leaves no pain afterwards and the extension exercise still "
                "feels the same.",
            ),
            (
                "seated-lumbar-flexion",
                "The seated bend leaves no pain afterwards and the extension exercise still "
                "feels the same.",
            ),
            ("standing-lumbar-flexion", ""),
        ],
        "links": [
            (
                slug,
                "maintenance",
                "maintenance",
                "standing-lumbar-extension",
                "Pain-free for the clinic's number of days with bending forward back: keep the "
                "back well.",
                False,
            )
            for slug in (
                "supine-lumbar-flexion",
                "seated-lumbar-flexion",
                "standing-lumbar-flexion",
            )
        ],
    },
    {
        "slug": "maintenance",
        "name": "Maintenance",
        "direction": "extension",
        "description": (
            "Keeping the back well once the pain has gone: standing extension after long "
            "sitting or bending, with good sitting posture (the lumbar roll and "
            "slouch-overcorrect, from the catalog)."
        ),
        "steps": [("standing-lumbar-extension", "")],
        "links": [],
    },
]
