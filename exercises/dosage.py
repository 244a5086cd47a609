"""A dosage in plain words, and exercise steps filled in from the prescribed dosage.

Steps in the catalog carry no numbers of their own: a step that needs one holds a
placeholder such as ``{hold}`` or ``{repetitions}``, and `render_steps` fills it in
from the prescribed item, so the steps never disagree with "How much". One-sided
exercises name their side the same way (``{your_side}``, ``{to_side}``).

`dosage_text` is the one place a dosage becomes words; the portal, the program
page, the handout and the API all show what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LEFT = "left"
RIGHT = "right"

# How a one-sided exercise's side relates to the patient's painful side (the catalog
# gives each built-in one-sided exercise its rule, with the source: catalog.SIDE_RULES).
AWAY = "away"
TOWARDS = "towards"

# The placeholders a step may hold; anything else in braces is left as written.
PLACEHOLDER = re.compile(r"\{(hold|repetitions|your_side|your_other_side|to_side|to_other_side)\}")


@dataclass(frozen=True)
class DosageFigures:
    """How much of one exercise: the fields of a prescribed item or a catalog default."""

    sets: int = 1
    repetitions: int = 10
    hold_seconds: int = 0
    times_per_day: int | None = None
    every_hours: int | None = None


def repetitions_words(dosage: DosageFigures) -> str:
    if dosage.sets > 1:
        return ngettext("%(sets)d sets of %(reps)d", "%(sets)d sets of %(reps)d", dosage.sets) % {
            "sets": dosage.sets,
            "reps": dosage.repetitions,
        }
    return ngettext("%(n)d time", "%(n)d times", dosage.repetitions) % {"n": dosage.repetitions}


def hold_words(seconds: int) -> str:
    """ "3 seconds", "2 minutes", "1 minute 30 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if rest or not minutes:
        parts.append(ngettext("%(n)d second", "%(n)d seconds", rest) % {"n": rest})
    return " ".join(parts)


def frequency_words(dosage: DosageFigures) -> str:
    if dosage.every_hours:
        return ngettext("every hour", "every %(n)d hours", dosage.every_hours) % {
            "n": dosage.every_hours
        }
    if dosage.times_per_day:
        return ngettext("%(n)d time a day", "%(n)d times a day", dosage.times_per_day) % {
            "n": dosage.times_per_day
        }
    return ""


def dosage_text(dosage: DosageFigures) -> str:
    """The dosage in plain words: "10 times, hold 2 seconds, every 2 hours"."""
    parts = [repetitions_words(dosage)]
    if dosage.hold_seconds:
        parts.append(_("hold %(time)s") % {"time": hold_words(dosage.hold_seconds)})
    frequency = frequency_words(dosage)
    if frequency:
        parts.append(frequency)
    return ", ".join(parts)


def _side_name(side: str) -> str:
    return _("left") if side == LEFT else _("right")


def _other(side: str) -> str:
    return RIGHT if side == LEFT else LEFT


def side_for_painful_side(rule: str | None, painful_side: str) -> str:
    """The side a one-sided exercise's steps name, from the patient's painful side by the
    exercise's rule: the side without the pain for "away", the painful side for "towards".

    "" when there is no rule (a clinic's own exercise) or no single painful side (both,
    central, not recorded): the therapist then chooses the side.
    """
    if painful_side not in (LEFT, RIGHT) or rule not in (AWAY, TOWARDS):
        return ""
    return painful_side if rule == TOWARDS else _other(painful_side)


def _placeholder_words(dosage: DosageFigures | None, side: str) -> dict[str, str]:
    if dosage is None:
        # The catalog, before anything is prescribed: say where the number comes from.
        hold = _("for the time your therapist sets")
        repetitions = _("the number of times your therapist sets")
    else:
        hold = (
            _("for the time your therapist set: %(time)s")
            % {"time": hold_words(dosage.hold_seconds)}
            if dosage.hold_seconds
            else _("for a moment")
        )
        repetitions = _("the number of times your therapist set: %(times)s") % {
            "times": repetitions_words(dosage)
        }
    if side in (LEFT, RIGHT):
        sides = {
            "your_side": _("your %(side)s side") % {"side": _side_name(side)},
            "your_other_side": _("your %(side)s side") % {"side": _side_name(_other(side))},
            "to_side": _("to the %(side)s") % {"side": _side_name(side)},
            "to_other_side": _("to the %(side)s") % {"side": _side_name(_other(side))},
        }
    else:
        sides = {
            "your_side": _("the side your therapist showed you"),
            "your_other_side": _("your other side"),
            "to_side": _("to the side your therapist showed you"),
            "to_other_side": _("to the other side"),
        }
    return {"hold": hold, "repetitions": repetitions, **sides}


def render_steps(
    steps: Iterable[str], *, dosage: DosageFigures | None = None, side: str = ""
) -> list[str]:
    """The steps with their placeholders filled in from the prescribed dosage and side.

    Without a dosage (the catalog pages) the placeholders say that the therapist sets
    the number; without a side, that the therapist shows which side.
    """
    words = _placeholder_words(dosage, side)
    return [PLACEHOLDER.sub(lambda match: words[match.group(1)], str(step)) for step in steps]
