"""The built-in McKenzie catalog, written for Centra from the reference article.

`load_catalog()` runs after every `migrate` and is idempotent: it only writes a
row whose content differs from what is below.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

STOP_SPREADING = (
    "Stop at once and contact your therapist if pain spreads away from your spine into "
    "your buttock, thigh or leg, if numbness or tingling appears, or if the pain gets worse "
    "and stays worse afterwards."
)

EXERCISES: list[dict[str, Any]] = [
    {
        "slug": "prone-lying",
        "name": "Prone lying",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie face down on a firm, comfortable surface, such as a bed or a mat on the floor. "
            "Rest your arms beside your body and turn your head to whichever side is easier.",
            "Breathe slowly and let your back, hips and legs go completely loose.",
            "Stay like this for two to three minutes and notice where you feel the pain.",
        ],
        "purpose": (
            "The first step of the extension progression. It is often the starting point for "
            "a sudden bout of low back pain or sciatica, and it prepares you for propping up "
            "on your elbows."
        ),
        "cautions": (
            STOP_SPREADING + " If lying on your stomach is too painful to prop up on your "
            "elbows afterwards, rest for a day or two before you try again."
        ),
        "sets": 1,
        "repetitions": 1,
        "hold": 180,
        "every_hours": 2,
    },
    {
        "slug": "prone-props",
        "name": "Prone props (lying on elbows)",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie face down as in prone lying.",
            "Lift your chest and rest your weight on your forearms, with your elbows under your "
            "shoulders.",
            "Keep your hips on the floor and let your lower back sag. Take a few deep, slow "
            "breaths and relax.",
            "Stay propped up for two to three minutes while you pay attention to your symptoms. "
            "Pain that moves towards the middle of your back is a good sign.",
        ],
        "purpose": (
            "The second step of the extension progression, once lying on your stomach is "
            "comfortable. It bends the lower back gently backwards."
        ),
        "cautions": (
            STOP_SPREADING + " Pain that gathers in the centre of your back is expected and "
            "usually means the exercise suits you."
        ),
        "sets": 1,
        "repetitions": 1,
        "hold": 120,
        "every_hours": 2,
    },
    {
        "slug": "prone-press-up",
        "name": "Prone press-up",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie face down with your elbows bent and your palms flat on the floor just under "
            "your shoulders.",
            "Keep your back, buttocks and hips relaxed and use only your arms to push your "
            "shoulders and upper body up, as far as is comfortable. Your hips stay on the floor.",
            "Hold the top position for two seconds.",
            "Lower yourself slowly back down.",
            "Repeat ten times, going a little higher each time if your symptoms allow.",
        ],
        "purpose": (
            "One of the main exercises for low back pain and sciatica. It moves the lower back "
            "further into bending backwards than prone props."
        ),
        "cautions": (
            STOP_SPREADING + " If your symptoms stay the same or get worse as you press up, "
            "tell your therapist: pressing up with the hips moved to one side may suit you better."
        ),
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "every_hours": 2,
    },
    {
        "slug": "prone-press-up-hips-off-centre",
        "name": "Press-up with hips off-centre",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie face down. Move your hips to one side and your feet to the other side, usually "
            "shifting your hips away from the side that hurts, as your therapist showed you.",
            "Keeping your hips where they are, place your hands under your shoulders.",
            "Push your upper body up as far as you can while your back and hips stay relaxed. "
            "It may feel awkward at first.",
            "Lower yourself slowly back down.",
            "Repeat ten times, watching where the pain is.",
        ],
        "purpose": (
            "For one-sided pain when the ordinary press-up does not change your symptoms or "
            "makes them worse."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "every_hours": 2,
    },
    {
        "slug": "standing-side-glide",
        "name": "Standing side glide",
        "position": "standing",
        "direction": "side_glide",
        "steps": [
            "Stand side-on to a wall, about 30 to 60 cm (one to two feet) away from it, with "
            "your feet together.",
            "Lean the shoulder nearest the wall against it and tuck that elbow into your side.",
            "Put your other hand on the outside of your hip and gently push your hips towards "
            "the wall, so that your pelvis slides under your ribs.",
            "Let your hips come back to the start.",
            "Repeat ten times, watching whether the pain moves towards the middle of your back.",
        ],
        "purpose": (
            "Used mainly for pain on one side of the low back or down one leg, when the "
            "exercises on the stomach are not helping. Once it works, your therapist will "
            "usually bring you back to the press-up."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 0,
        "every_hours": 2,
    },
    {
        "slug": "flexion-rotation",
        "name": "Flexion rotation stretch",
        "position": "side_lying",
        "direction": "rotation",
        "steps": [
            "Lie on your side, usually on the side with the most pain, with both knees bent.",
            "Straighten the bottom leg and hook the foot of your top leg behind the knee of the "
            "bottom leg.",
            "Put your top hand on your shoulder blade. Slowly turn your upper body so that your "
            "top shoulder moves back towards the floor. You should feel a stretch in your back.",
            "Turn back to the start.",
            "Repeat ten times.",
        ],
        "purpose": (
            "A stretch for pain on one side of the back or pain that travels down the leg, when "
            "it has not settled with the earlier exercises."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 0,
        "times_per_day": 3,
    },
    {
        "slug": "standing-lumbar-extension",
        "name": "Standing lumbar extension",
        "position": "standing",
        "direction": "extension",
        "steps": [
            "Stand up straight with your feet about shoulder-width apart.",
            "Place both hands on the small of your back, fingers pointing down.",
            "Slowly lean backwards over your hands, as far as you comfortably can.",
            "Hold the end position for a few seconds, then come back to standing fully upright.",
            "Repeat ten times.",
        ],
        "purpose": (
            "A backward bend you can do anywhere. It helps keep pain from coming back once the "
            "worst has settled, is useful after long sitting or bending, and can replace the "
            "press-up when you cannot lie down."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 3,
        "every_hours": 2,
    },
    {
        "slug": "supine-lumbar-flexion",
        "name": "Knees to chest (lying on your back)",
        "position": "supine",
        "direction": "flexion",
        "steps": [
            "Lie on your back with your knees bent and your feet flat.",
            "Slowly bring both knees up towards your chest and hold them with your hands.",
            "Pull gently to bring the knees a little closer and hold for one or two seconds.",
            "Let go of your knees and put your feet back down.",
            "Repeat ten times.",
        ],
        "purpose": (
            "The first step of the flexion progression, used for spinal stenosis, stiffness "
            "when bending forward, back pain that eases when bending forward, and during "
            "recovery once a derangement has settled."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "times_per_day": 3,
    },
    {
        "slug": "seated-lumbar-flexion",
        "name": "Seated forward bend",
        "position": "sitting",
        "direction": "flexion",
        "steps": [
            "Sit on a steady chair with your feet flat and apart.",
            "Slowly bend forward, reaching down towards the floor.",
            "When you are fully bent over, hold your ankles and pull gently to bend a little "
            "further.",
            "Slowly sit back up.",
            "Repeat ten times.",
        ],
        "purpose": "The second step of the flexion progression, after knees to chest.",
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 0,
        "times_per_day": 3,
    },
    {
        "slug": "standing-lumbar-flexion",
        "name": "Standing forward bend",
        "position": "standing",
        "direction": "flexion",
        "steps": [
            "Stand with your feet about shoulder-width apart.",
            "Bend forward at the waist as far as you can, letting your arms reach towards the "
            "floor.",
            "Hold the end position for one or two seconds.",
            "Come slowly back up to standing.",
            "Repeat ten times.",
        ],
        "purpose": (
            "The last step of the flexion progression. Your therapist will often ask you to "
            "follow it with a backward-bending exercise such as prone props or the press-up."
        ),
        "cautions": STOP_SPREADING,
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "times_per_day": 3,
    },
]

PROGRESSIONS: list[dict[str, Any]] = [
    {
        "slug": "extension",
        "name": "Extension progression",
        "direction": "extension",
        "description": (
            "From lying flat on the stomach to pressing up, with the side glide and flexion "
            "rotation for one-sided pain that does not settle, and standing extension to keep "
            "the back well once the pain has eased."
        ),
        "steps": [
            ("prone-lying", "Lying on the stomach is comfortable for a few minutes."),
            ("prone-props", "Propped on the elbows is comfortable for a few minutes."),
            (
                "prone-press-up",
                "Symptoms do not change, or get worse, with the press-up, especially "
                "one-sided pain.",
            ),
            (
                "prone-press-up-hips-off-centre",
                "One-sided back or leg pain is still not helped by the exercises on the stomach.",
            ),
            (
                "standing-side-glide",
                "The side glide centralizes the pain: return to the press-up; if one-sided "
                "pain remains, try flexion rotation.",
            ),
            (
                "flexion-rotation",
                "The acute pain has resolved: keep the back well with standing extension.",
            ),
            ("standing-lumbar-extension", ""),
        ],
    },
    {
        "slug": "flexion",
        "name": "Flexion progression",
        "direction": "flexion",
        "description": (
            "Bending forward, from lying on the back to sitting and then standing, for spinal "
            "stenosis, flexion dysfunction and derangements that improve with flexion."
        ),
        "steps": [
            (
                "supine-lumbar-flexion",
                "Knees to chest is easy and symptoms stay central or better.",
            ),
            (
                "seated-lumbar-flexion",
                "The seated bend is easy and symptoms stay central or better.",
            ),
            ("standing-lumbar-flexion", ""),
        ],
    },
]


def _exercise_fields(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "position": entry["position"],
        "direction": entry["direction"],
        "steps": entry["steps"],
        "purpose": entry["purpose"],
        "cautions": entry["cautions"],
        "default_sets": entry["sets"],
        "default_repetitions": entry["repetitions"],
        "default_hold_seconds": entry["hold"],
        "default_times_per_day": entry.get("times_per_day"),
        "default_every_hours": entry.get("every_hours"),
        "illustration": f"exercises/drawings/{entry['slug']}.svg",
    }


def _sync(model: Any, lookup: dict[str, Any], fields: dict[str, Any], using: str) -> Any:
    """Create the row, or update it only where it differs from `fields`."""
    obj = model.objects.using(using).filter(**lookup).first()
    if obj is None:
        return model.objects.using(using).create(**lookup, **fields)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(using=using, update_fields=changed)
    return obj


def load_catalog(using: str = "default") -> None:
    from exercises.models import Exercise, Progression, ProgressionStep

    with transaction.atomic(using=using):
        by_slug = {
            entry["slug"]: _sync(
                Exercise,
                {"clinic": None, "slug": entry["slug"]},
                _exercise_fields(entry),
                using,
            )
            for entry in EXERCISES
        }
        for entry in PROGRESSIONS:
            progression = _sync(
                Progression,
                {"clinic": None, "slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "direction": entry["direction"],
                    "description": entry["description"],
                },
                using,
            )
            wanted = [
                (position, by_slug[slug].pk, advance_when)
                for position, (slug, advance_when) in enumerate(entry["steps"], start=1)
            ]
            steps = ProgressionStep.objects.using(using).filter(progression=progression)
            current = list(
                steps.order_by("position").values_list("position", "exercise_id", "advance_when")
            )
            if current != wanted:
                steps.delete()
                ProgressionStep.objects.using(using).bulk_create(
                    ProgressionStep(
                        progression=progression,
                        position=position,
                        exercise_id=exercise_id,
                        advance_when=advance_when,
                    )
                    for position, exercise_id, advance_when in wanted
                )
