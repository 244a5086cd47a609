"""The built-in McKenzie catalog, written for Centra in our own words from the facts of
the reference article.

`load_catalog()` runs after every `migrate` and is idempotent: it only writes a
row whose content differs from what is below.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from . import catalog_es
from .catalog_progressions import PROGRESSIONS

# Steps hold no numbers of their own: "{hold}" and "{repetitions}" are filled in from
# the prescribed dosage, "{your_side}", "{to_side}" and "{to_other_side}" from the
# prescribed side (see exercises/dosage.py). A one-sided exercise's "side_rule" says how
# that side follows from the patient's painful side (see `SIDE_RULES`).

STOP_SPREADING = (
    "Stop straight away and contact your therapist if pain spreads out from your spine into "
    "your buttock, thigh or leg, if you notice numbness or tingling, or if the pain increases "
    "and is still worse afterwards."
)
# Cautions the reference implies, added to the exercises they concern.
STENOSIS = (
    "If you have been told you have spinal stenosis (a narrowing of the space around the "
    "nerves in your spine), bending backwards can make your symptoms worse: do this "
    "exercise only if your therapist knows and has checked that it suits you."
)
THEN_EXTENSION = (
    "Your therapist will often want a backward-bending exercise, such as prone props or the "
    "prone press-up, straight after this one. Do that whenever they have told you to."
)
EASE_OFF = (
    "Easing off means doing less or leaving the exercise out for a day or two; it does not "
    "mean bed rest. Keep moving about gently as usual."
)


def _cautions(*parts: str) -> str:
    return " ".join((STOP_SPREADING, *parts))


EXERCISES: list[dict[str, Any]] = [
    {
        "slug": "prone-lying",
        "name": "Prone lying",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie down on your front on a firm surface that is comfortable, such as a bed or a "
            "mat on the floor. Rest your arms along your sides and turn your head to whichever "
            "side feels easier.",
            "Breathe out slowly and let your back, hips and legs go loose.",
            "Stay like this {hold}, noticing where you feel the pain.",
        ],
        "purpose": (
            "The first step of the extension progression. Treatment often starts here when back "
            "pain or sciatica has come on suddenly, and it gets you ready for propping up on "
            "your elbows."
        ),
        "cautions": _cautions(
            "If lying face down hurts too much for you to prop up on your elbows afterwards, "
            "ease off for a day or two, then try again.",
            EASE_OFF,
            STENOSIS,
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
            "Start by lying on your front, as for prone lying.",
            "Raise your chest and take your weight on your forearms, with your elbows placed "
            "under your shoulders.",
            "Let your hips stay down and let your lower back sag. Breathe in and out deeply and "
            "slowly, and relax.",
            "Stay propped up {hold}. Keep noticing your symptoms: pain that moves in towards the "
            "middle of your back is a good sign.",
        ],
        "purpose": (
            "The second step of the extension progression, once you can lie on your front in "
            "comfort. It bends the lower back gently backwards."
        ),
        "cautions": _cautions(
            "Pain that gathers in the centre of your back is expected and usually means the "
            "exercise suits you. If propping up is too painful, ease off and try again later.",
            EASE_OFF,
            STENOSIS,
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
            "Lie on your front, elbows bent, palms flat on the surface just below your shoulders.",
            "Let your back, buttocks and hips stay loose. Straighten your arms to push your "
            "shoulders and upper body up as far as is comfortable, while your hips stay down.",
            "Hold the top position {hold}.",
            "Bend your arms and lower yourself back down slowly.",
            "Do this {repetitions}, going a little higher each time if your symptoms allow.",
        ],
        "purpose": (
            "A key exercise for low back pain and sciatica. It bends the lower back "
            "further backwards than prone props."
        ),
        "cautions": _cautions(
            "If your symptoms stay the same or become worse while you push up, tell your "
            "therapist: the press-up with your hips moved to one side may suit you better.",
            STENOSIS,
        ),
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "every_hours": 2,
    },
    {
        "slug": "prone-press-up-sustained",
        "name": "Press-up with sag and breath out",
        "position": "prone",
        "direction": "extension",
        "steps": [
            "Lie on your front with your palms flat on the surface beside your shoulders, as "
            "for the press-up.",
            "Straighten your arms to lift your upper body while your hips stay down.",
            "At the top, breathe out fully and let your lower back and belly sink towards the "
            "surface, so the back bends a little further.",
            "Stay at the top {hold}, breathing out each time you let the back sink.",
            "Lower yourself slowly. Do this {repetitions}.",
        ],
        "purpose": (
            "The last step of the extension progression: the press-up with more force, for "
            "when the plain press-up helps but the pain has stopped improving, or has not "
            "changed."
        ),
        "cautions": _cautions(
            "If your pain is on one side and stays there with this exercise, tell your "
            "therapist: a sideways movement may suit you better.",
            STENOSIS,
        ),
        "sets": 1,
        "repetitions": 10,
        "hold": 5,
        "every_hours": 2,
    },
    {
        "slug": "prone-press-up-hips-off-centre",
        "name": "Press-up with hips off-centre",
        "position": "prone",
        "direction": "extension",
        "sided": True,
        "steps": [
            "Lie on your front. Move your hips over {to_side} and your feet over "
            "{to_other_side}, so that your body makes a gentle curve.",
            "Keep your hips where they are and put your palms flat under your shoulders.",
            "Straighten your arms to push your upper body up as far as you can, keeping your "
            "back and hips loose. It can feel strange at first.",
            "Hold the top position {hold}, then lower yourself back down slowly.",
            "Do this {repetitions}, noticing where you feel the pain each time.",
        ],
        # {to_side} is where the hips go.
        "side_rule": {
            "relation": "away",
            "source": (
                "Reference article, press-up with the hips off-centre: the hips usually go "
                "over to the side without the pain."
            ),
        },
        "purpose": (
            "For pain on one side when the ordinary press-up does not change your symptoms or "
            "makes them worse. The hips usually move away from the side that hurts; your "
            "therapist tells you which way."
        ),
        "cautions": _cautions(STENOSIS),
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
        "sided": True,
        "steps": [
            "Stand with {your_side} towards a wall, about a forearm's length from it, with your "
            "feet together.",
            "Rest that shoulder on the wall and keep the elbow on that side tucked in against "
            "your ribs.",
            "Put your other hand on the far side of your pelvis and gently push your hips "
            "towards the wall, as if your pelvis slides in under your ribs.",
            "Let your hips come back to where they started.",
            "Do this {repetitions}, noticing whether the pain moves in towards the middle of "
            "your back.",
        ],
        # {your_side} is the side towards the wall, where the hips go.
        "side_rule": {
            "relation": "away",
            "source": (
                "Reference article, standing side glide: the hips are pushed towards the wall. "
                "For them to go away from the pain, as in the press-up with the hips "
                "off-centre, the side without the pain is the one towards the wall. The "
                "article does not say so in this section: it is the same direction of "
                "movement, standing."
            ),
        },
        "purpose": (
            "Used mostly for pain on one side of the low back or down one leg, when the "
            "exercises lying on your front are not helping. Once it works, your therapist will "
            "usually have you try the press-up again: the aim is a press-up that no longer "
            "hurts in your low back, thigh or leg."
        ),
        "cautions": _cautions(),
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
        "sided": True,
        "steps": [
            "Lie on {your_side} with both knees bent.",
            "Straighten your lower leg. Hook the foot of your upper leg behind the knee of your "
            "lower leg.",
            "Reach your upper hand round to your shoulder blade. Then slowly twist your upper "
            "body so that your upper shoulder goes back and down towards the floor. Feeling your "
            "back stretch is normal.",
            "Turn back to where you started.",
            "Do this {repetitions}.",
        ],
        # {your_side} is the side the patient lies on.
        "side_rule": {
            "relation": "towards",
            "source": (
                "Reference article, flexion rotation: the patient usually lies on the side "
                "where the pain is worst."
            ),
        },
        "purpose": (
            "A stretch for pain on one side of the back, or pain that runs down the leg, when "
            "it has not settled with the earlier exercises. You usually lie on the side that "
            "hurts most; your therapist tells you which."
        ),
        "cautions": _cautions(),
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
            "Stand upright with your feet about as far apart as your shoulders.",
            "Rest both palms on your lower back, just above your buttocks, fingers pointing down.",
            "Slowly bend backwards over your hands, as far as is comfortable.",
            "Stay at the furthest point {hold}, then come all the way back up to standing "
            "straight.",
            "Do this {repetitions}.",
        ],
        "purpose": (
            "A backward bend you can do anywhere. Once the worst pain has gone, it helps to "
            "keep back trouble from coming back. It is useful after long spells of sitting or "
            "bending, and it can stand in for the press-up when you cannot lie down."
        ),
        "cautions": _cautions(STENOSIS),
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
            "Lie face up with both knees bent and your feet flat on the surface.",
            "Slowly draw both knees in to your chest and hold them with your hands.",
            "Pull gently to bring your knees a little closer, and hold {hold}.",
            "Let go of your knees and put your feet back down.",
            "Do this {repetitions}.",
        ],
        "purpose": (
            "The first step of the flexion progression. Bending forward is used for spinal "
            "stenosis, for stiffness when bending forward (flexion dysfunction), for back pain "
            "that eases with bending forward, and to regain movement once a derangement has "
            "settled."
        ),
        "cautions": _cautions(THEN_EXTENSION),
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
            "Sit on a steady chair with your feet flat on the floor and apart.",
            "Slowly bend forward, reaching your hands down towards the floor between your knees.",
            "When you are bent forward as far as you can go, take hold of your ankles and pull "
            "gently to bend a little further.",
            "Slowly sit back up.",
            "Do this {repetitions}.",
        ],
        "purpose": "The second step of the flexion progression, once knees to chest is easy.",
        "cautions": _cautions(THEN_EXTENSION),
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
            "Stand with your feet about as far apart as your shoulders.",
            "Let your upper body fold forward, arms hanging down towards the floor, and go "
            "down as far as you can.",
            "Stay at the lowest point {hold}.",
            "Come slowly back up to standing.",
            "Do this {repetitions}.",
        ],
        "purpose": "The last step of the flexion progression, once the seated bend is easy.",
        "cautions": _cautions(THEN_EXTENSION),
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "times_per_day": 3,
    },
    {
        "slug": "sitting-lumbar-roll",
        "name": "Sitting with a lumbar roll",
        "position": "sitting",
        "direction": "extension",
        "steps": [
            "Sit right back on a firm chair so that your bottom touches the backrest.",
            "Place a small firm cushion or rolled-up towel behind the small of your back, at "
            "about the level of your belt.",
            "Let your back rest against the roll, so your lower back keeps a gentle inward "
            "curve while your shoulders stay relaxed.",
            "Sit like this every time you sit for a while: at the table, in the car, at work.",
        ],
        "purpose": (
            "Posture correction. Slumped sitting loads the lower back in bending forward for "
            "a long time; the roll keeps the inward curve without effort, so that the pain "
            "you have reduced with the exercises stays away."
        ),
        "cautions": _cautions(
            "If sitting with the roll sends pain further out, remove it and tell your therapist.",
            STENOSIS,
        ),
        "sets": 1,
        "repetitions": 1,
        "hold": 0,
        "every_hours": 1,
    },
    {
        "slug": "slouch-overcorrect",
        "name": "Slouch-overcorrect",
        "position": "sitting",
        "direction": "extension",
        "steps": [
            "Sit on the front part of a chair or stool, with your feet flat on the floor.",
            "Let yourself slump completely: your lower back rounds and your head drops forward.",
            "Then sit up as tall as you can, drawing your lower back inwards as far as it "
            "goes, with your head held level. Hold {hold}.",
            "Let go of about a tenth of that effort: this is the upright posture to keep.",
            "Do this {repetitions}, moving smoothly between slumped and upright.",
        ],
        "purpose": (
            "Posture correction. It teaches where a good sitting posture lies, between the "
            "two ends, so you can find it again whenever you notice you have slumped."
        ),
        "cautions": _cautions(
            "Slumping should not send pain into your buttock or leg; if it does, move only "
            "from upright to fully upright and tell your therapist.",
            STENOSIS,
        ),
        "sets": 1,
        "repetitions": 10,
        "hold": 2,
        "times_per_day": 3,
    },
]


# How each one-sided built-in exercise takes its side from the patient's painful side:
# "away" fills the side placeholders with the side without the pain, "towards" with the
# painful side. Each entry's "side_rule" says why, with its source.
SIDE_RULES: dict[str, str] = {
    entry["slug"]: entry["side_rule"]["relation"] for entry in EXERCISES if "side_rule" in entry
}


RULE_FIELDS = ("advance_good_days", "advance_unchanged_days", "advance_pain_free_days")


def _exercise_fields(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "position": entry["position"],
        "direction": entry["direction"],
        "steps": entry["steps"],
        "purpose": entry["purpose"],
        "cautions": entry["cautions"],
        "sided": entry.get("sided", False),
        "default_sets": entry["sets"],
        "default_repetitions": entry["repetitions"],
        "default_hold_seconds": entry["hold"],
        "default_times_per_day": entry.get("times_per_day"),
        "default_every_hours": entry.get("every_hours"),
        "illustration": f"exercises/drawings/{entry['slug']}.svg",
        **{f"{field}_es": text for field, text in catalog_es.EXERCISES[entry["slug"]].items()},
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
        # update_fields leaves an auto_now field alone unless it is named.
        stamp = ["updated_at"] if hasattr(obj, "updated_at") else []
        obj.save(using=using, update_fields=changed + stamp)
    return obj


def load_catalog(using: str = "default") -> None:
    from exercises.models import Exercise, Progression, ProgressionStep

    # The plain field names (`name`...) hold English; the Spanish goes to `name_es`...
    with translation.override("en"), transaction.atomic(using=using):
        by_slug = {
            entry["slug"]: _sync(
                Exercise,
                {"clinic": None, "slug": entry["slug"]},
                _exercise_fields(entry),
                using,
            )
            for entry in EXERCISES
        }
        progressions: dict[str, Any] = {}
        for entry in PROGRESSIONS:
            progression = _sync(
                Progression,
                {"clinic": None, "slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "direction": entry["direction"],
                    "description": entry["description"],
                    "name_es": catalog_es.PROGRESSIONS[entry["slug"]]["name"],
                    "description_es": catalog_es.PROGRESSIONS[entry["slug"]]["description"],
                },
                using,
            )
            progressions[entry["slug"]] = progression
            advance_es = catalog_es.PROGRESSIONS[entry["slug"]]["advance_when"]
            rules = entry.get("rules", {})
            wanted = [
                (
                    position,
                    by_slug[slug].pk,
                    advance_when,
                    advance_es.get(slug, ""),
                    *(rules.get(slug, {}).get(name) for name in RULE_FIELDS),
                    slug not in entry.get("hold_while_good", ()),
                )
                for position, (slug, advance_when) in enumerate(entry["steps"], start=1)
            ]
            steps = ProgressionStep.objects.using(using).filter(progression=progression)
            current = list(
                steps.order_by("position").values_list(
                    "position",
                    "exercise_id",
                    "advance_when_en",
                    "advance_when_es",
                    *RULE_FIELDS,
                    "advance_on_good_days",
                )
            )
            if current != wanted:
                progression.save(using=using, update_fields=["updated_at"])
                steps.delete()
                ProgressionStep.objects.using(using).bulk_create(
                    ProgressionStep(
                        progression=progression,
                        position=position,
                        exercise_id=exercise_id,
                        advance_when_en=advance_when,
                        advance_when_es=advance_when_es,
                        **dict(zip(RULE_FIELDS, rule, strict=True)),
                        advance_on_good_days=on_good,
                    )
                    for position, exercise_id, advance_when, advance_when_es, *rule, on_good in (
                        wanted
                    )
                )
        for entry in PROGRESSIONS:
            _sync_links(progressions, entry, by_slug, using)


def _sync_links(
    progressions: dict[str, Any], entry: dict[str, Any], by_slug: dict[str, Any], using: str
) -> None:
    """Make the progression's branches exactly those of `entry["links"]`."""
    from exercises.models import ProgressionLink

    progression = progressions[entry["slug"]]
    when_es = catalog_es.PROGRESSIONS[entry["slug"]].get("links", {})
    wanted = {
        (
            by_slug[slug].pk,
            kind,
            progressions[to_progression].pk,
            by_slug[to_slug].pk,
            when,
            when_es.get((slug, kind), ""),
            keeps_current,
        )
        for slug, kind, to_progression, to_slug, when, keeps_current in entry.get("links", [])
    }
    links = ProgressionLink.objects.using(using).filter(progression=progression)
    current = set(
        links.values_list(
            "exercise_id",
            "kind",
            "to_progression_id",
            "to_exercise_id",
            "when_en",
            "when_es",
            "keeps_current",
        )
    )
    if current != wanted:
        links.delete()
        ProgressionLink.objects.using(using).bulk_create(
            ProgressionLink(
                progression=progression,
                exercise_id=row[0],
                kind=row[1],
                to_progression_id=row[2],
                to_exercise_id=row[3],
                when_en=row[4],
                when_es=row[5],
                keeps_current=row[6],
            )
            for row in sorted(wanted)
        )
