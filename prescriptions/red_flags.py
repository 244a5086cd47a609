"""The red-flag questions: one table, in tiers, that every path reads.

The portal's safety check, the paper-log form, the printed handout, the REST API
(`red-flag-questions/`, `red-flag-checks/`) and the alerts (so FHIR's Flags) take
their questions, tiers and advice from here, and from nowhere else.

- *Emergency now* (`Tier.EMERGENCY`): signs of cauda equina syndrome or of a nerve
  root pressed hard. Asked before the first session of each day while the patient
  has leg symptoms, weekly otherwise. A yes: seek urgent care now; the portal pauses
  the program until a therapist has looked; an urgent alert.
- *See a doctor today* (`Tier.TODAY`): signs that something other than an ordinary
  back problem may be going on. Asked weekly. A yes: contact a doctor or the clinic
  today; an alert, urgent when the patient has a risk history.
- *Risk history* (`patients.models.RiskFactor`) is recorded by the therapist on the
  patient record and is never asked of the patient.

Questions ask about what is new or changed since the last check. Nothing here
reads the database or the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from patients.models import LOCATION_RANK, Location


class Tier(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency now")
    TODAY = "today", _("See a doctor today")


class RedFlag(models.TextChoices):
    """Every red-flag code a check may hold, with the words the patient read.

    The last two are retired: checks answered before the tiers keep their meaning
    with them, but no path asks them any more (see `QUESTIONS`)."""

    BLADDER_BOWEL = (
        "bladder_bowel",
        _("New trouble controlling your bladder or bowel, or leaking you cannot stop"),
    )
    URINATION = (
        "urination",
        _("New difficulty passing urine, or not feeling the urine pass"),
    )
    SADDLE_NUMBNESS = (
        "saddle_numbness",
        _(
            "New numbness around your back passage or genitals, or between your legs (where "
            "you would sit on a saddle)"
        ),
    )
    SEXUAL_DYSFUNCTION = (
        "sexual_dysfunction",
        _("New problems with sex, such as loss of feeling in your genitals or no erection"),
    )
    BOTH_LEGS = "both_legs", _("New pain, numbness, tingling or weakness in both legs")
    LEG_WEAKNESS = (
        "leg_weakness",
        _(
            "New weakness in a leg, or weakness that is getting worse (your foot drags or your "
            "knee gives way)"
        ),
    )
    FEVER = "fever", _("A fever, or feeling hot and shivery, with your back pain")
    WEIGHT_LOSS = "weight_loss", _("Losing weight without trying")
    NIGHT_PAIN = (
        "night_pain",
        _("Constant pain at night that does not ease when you rest or change position"),
    )
    # Retired: asked daily before the tiers.
    FEVER_WEIGHT_LOSS = (
        "fever_weight_loss",
        _("Fever, or weight loss you cannot explain, together with your back pain"),
    )
    CANCER = "cancer", _("You have or have had cancer")


@dataclass(frozen=True)
class Question:
    code: str
    tier: str

    @property
    def text(self) -> Promise:
        return RedFlag(self.code).label


# The questions asked of patients, in the order every path shows them.
QUESTIONS: tuple[Question, ...] = (
    Question(RedFlag.BLADDER_BOWEL, Tier.EMERGENCY),
    Question(RedFlag.URINATION, Tier.EMERGENCY),
    Question(RedFlag.SADDLE_NUMBNESS, Tier.EMERGENCY),
    Question(RedFlag.SEXUAL_DYSFUNCTION, Tier.EMERGENCY),
    Question(RedFlag.BOTH_LEGS, Tier.EMERGENCY),
    Question(RedFlag.LEG_WEAKNESS, Tier.EMERGENCY),
    Question(RedFlag.FEVER, Tier.TODAY),
    Question(RedFlag.WEIGHT_LOSS, Tier.TODAY),
    Question(RedFlag.NIGHT_PAIN, Tier.TODAY),
)
QUESTION_CODES: tuple[str, ...] = tuple(question.code for question in QUESTIONS)

# The tier of every code a stored check may hold. A retired "fever or weight loss"
# yes keeps its tier; a retired "cancer" yes was risk history, not a sign of today
# (the data migration copied it to the patient's risk history).
TIER_OF: dict[str, str | None] = {
    **{question.code: question.tier for question in QUESTIONS},
    RedFlag.FEVER_WEIGHT_LOSS: Tier.TODAY,
    RedFlag.CANCER: None,
}


# Nerve answers of a log (`NeuroSymptom`) that this table's emergency tier asks too:
# the printed daily check asks them once, in that tier, with its advice.
NEURO_ASKED_AS_RED_FLAG = frozenset({"weakness", "both_legs"})


@dataclass(frozen=True)
class Advice:
    """What a tier tells the patient: a heading and what to do."""

    heading: Promise
    advice: Promise


ADVICE: dict[str, Advice] = {
    Tier.EMERGENCY: Advice(
        _("Seek urgent medical care now"),
        _(
            "Go to the nearest emergency department now, or call the emergency number. "
            "Do not do your exercises. Do not wait to see if it gets better by itself."
        ),
    ),
    Tier.TODAY: Advice(
        _("Contact your doctor or your clinic today"),
        _(
            "Tell them what you noticed. It should not wait for your next appointment, "
            "but it is not a reason to go to an emergency department by itself."
        ),
    ),
}

# How often each tier is asked, in days. The emergency tier is asked daily while the
# patient has leg symptoms: cauda equina syndrome develops over hours to days, and leg
# symptoms are when a compressed root can progress. Neither interval comes from a
# trial; both are clinical judgement written down here so that they can be reviewed.
WEEK = 7
DAILY = 1


def questions(tiers: Iterable[str] | None = None) -> list[Question]:
    """The questions of the given tiers (all of them by default), in the table's order."""
    wanted = set(Tier.values if tiers is None else tiers)
    return [question for question in QUESTIONS if question.tier in wanted]


def has_leg_symptoms(location: str | None) -> bool:
    """Symptoms reaching the buttock or further out: the emergency tier is then daily."""
    return bool(location) and LOCATION_RANK[location] >= LOCATION_RANK[Location.BUTTOCK]


def tiers_due(
    *, today: date, leg_symptoms: bool, asked_on: Iterable[tuple[date, Iterable[str]]]
) -> list[str]:
    """The tiers to ask now, given the codes asked on each earlier day (`asked_on`).

    A tier is due when none of its questions was asked within its interval: a day for
    the emergency tier while the patient has leg symptoms, else a week.
    """
    last: dict[str, date] = {}
    for day, codes in asked_on:
        for code in codes:
            tier = TIER_OF.get(code)
            if tier is not None and day <= today and (tier not in last or day > last[tier]):
                last[tier] = day
    interval = {Tier.EMERGENCY: DAILY if leg_symptoms else WEEK, Tier.TODAY: WEEK}
    return [
        tier
        for tier in Tier.values
        if tier not in last or last[tier] <= today - timedelta(days=interval[tier])
    ]


def tiers_answered_yes(answered_yes: Iterable[str]) -> list[str]:
    """The tiers of the yes answers, emergency first."""
    tiers = {TIER_OF.get(code) for code in answered_yes}
    return [tier for tier in Tier.values if tier in tiers]
