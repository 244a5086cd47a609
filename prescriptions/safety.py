"""The safety rules, one pure function each, applied to every log on every path.

`record_symptom_log` (services.py) gathers the facts about a log into `LogFacts`,
calls `evaluate_log`, stores the findings beside the patient's answers and raises
the alerts. Red-flag answers go through `red_flag_answers`, by the tiers of
red_flags.py. Nothing here reads the database or the clock, so each rule can be
read, reviewed and tested alone.

The first line of each rule's docstring is what the README lists under "Safety
rules"; a test keeps the two the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from patients.models import LOCATION_RANK, Location

from . import red_flags
from .models import AfterResponse, DuringResponse, NeuroSymptom

# Kinds of finding; the ones that raise an alert match `Alert.Kind`.
PERIPHERALIZATION = "peripheralization"
CENTRALIZATION = "centralization"
WORSE = "worse"
NEUROLOGICAL = "neurological"
PAIN_RISE = "pain_rise"
RED_FLAG = "red_flag"
RED_FLAG_TODAY = "red_flag_today"

# Nerve symptoms the red-flag screen also names: a yes is urgent, not only a stop.
URGENT_NEURO_SYMPTOMS = frozenset({"weakness", "both_legs"})

# How many days back "the recent level" of pain reaches.
RECENT_DAYS = 7


@dataclass(frozen=True)
class LogFacts:
    """What the rules know about one log: the patient's answers and the references.

    `previous_location` is the location of the patient's most recent earlier log (any program
    version), `starting_location` the one the therapist recorded; `first_pain` the pain of the
    patient's first log and `recent_lowest_pain` the lowest pain of the last `RECENT_DAYS` days
    before this log (None when there is none).
    """

    pain: int
    location: str
    during: str
    after: str
    new_symptoms: tuple[str, ...] = ()
    previous_location: str | None = None
    starting_location: str | None = None
    first_pain: int | None = None
    recent_lowest_pain: int | None = None
    pain_rise_threshold: int = 3

    @property
    def reference(self) -> tuple[str, str] | None:
        """The location this log is compared with, and where it comes from.

        The previous log when there is one, else the therapist's starting location.
        """
        if self.previous_location:
            return self.previous_location, "previous_log"
        if self.starting_location:
            return self.starting_location, "starting_location"
        return None


@dataclass(frozen=True)
class Finding:
    """What one rule concluded: its kind, whether the patient must stop the
    exercise, whether it is urgent, whether it raises an alert, and why."""

    rule: str
    kind: str
    reason: str
    stop: bool = False
    urgent: bool = False
    alert: bool = True

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _where(code: str) -> str:
    return str(Location(code).label).lower()


def _answered(facts: LogFacts) -> str:
    return _('The patient answered "%(during)s" during and "%(after)s" after.') % {
        "during": str(DuringResponse(facts.during).label).lower(),
        "after": str(AfterResponse(facts.after).label).lower(),
    }


def peripheralization(facts: LogFacts) -> Finding | None:
    """Pain reaching further from the spine than the reference (the previous log, else the starting
    location the therapist recorded), or an answer that the pain spread, is peripheralization: stop
    the exercise and alert the clinic, whatever the other answers say.
    """
    reference = facts.reference
    further = reference is not None and LOCATION_RANK[facts.location] > LOCATION_RANK[reference[0]]
    said_spread = facts.during == "peripheralize"
    if not (further or said_spread):
        return None
    if further:
        compared = (
            _("the previous log") if reference[1] == "previous_log" else _("the starting location")
        )
        data = _("The data: pain now reaches %(now)s, further out than %(then)s at %(ref)s.") % {
            "now": _where(facts.location),
            "then": _where(reference[0]),
            "ref": compared,
        }
    else:
        data = _("The data: pain now reaches %(now)s.") % {"now": _where(facts.location)}
    reason = _("Peripheralization.") + " " + _answered(facts) + " " + data
    return Finding("peripheralization", PERIPHERALIZATION, reason, stop=True)


def centralization(facts: LogFacts) -> Finding | None:
    """Pain reaching closer to the spine than the reference is centralization, a good sign; it is
    shown as such but never hides a warning from another rule.
    """
    reference = facts.reference
    if reference is None or LOCATION_RANK[facts.location] >= LOCATION_RANK[reference[0]]:
        return None
    reason = _("Centralization: pain now reaches %(now)s, closer to the spine than %(then)s.") % {
        "now": _where(facts.location),
        "then": _where(reference[0]),
    }
    return Finding("centralization", CENTRALIZATION, reason, alert=False)


def worse_afterwards(facts: LogFacts) -> Finding | None:
    """Pain worse after the exercise and staying worse: stop the exercise and alert the clinic."""
    if facts.after != "worse":
        return None
    reason = _("Worse after the exercise and staying worse (pain %(pain)d/10).") % {
        "pain": facts.pain
    }
    return Finding("worse_afterwards", WORSE, reason, stop=True)


def new_nerve_symptoms(facts: LogFacts) -> Finding | None:
    """New numbness, pins and needles or weakness in a leg, or symptoms in both legs: stop the
    exercise and alert the clinic; weakness and both legs are urgent.
    """
    if not facts.new_symptoms:
        return None
    urgent = bool(URGENT_NEURO_SYMPTOMS & set(facts.new_symptoms))
    reason = _("New nerve symptoms reported: %(list)s.") % {
        "list": "; ".join(str(NeuroSymptom(code).label) for code in facts.new_symptoms)
    }
    return Finding("new_nerve_symptoms", NEUROLOGICAL, reason, stop=True, urgent=urgent)


def pain_rise(facts: LogFacts) -> Finding | None:
    """Pain at least the clinic's threshold (3 points unless changed) above the lowest pain of the
    last 7 days, or above the first log, raises an alert.
    """
    threshold = facts.pain_rise_threshold
    reasons = []
    if facts.recent_lowest_pain is not None and facts.pain >= facts.recent_lowest_pain + threshold:
        reasons.append(
            _("up from %(low)d/10, the lowest of the last %(days)d days")
            % {"low": facts.recent_lowest_pain, "days": RECENT_DAYS}
        )
    if facts.first_pain is not None and facts.pain >= facts.first_pain + threshold:
        reasons.append(_("up from %(first)d/10 at the first log") % {"first": facts.first_pain})
    if not reasons:
        return None
    reason = _("Pain %(now)d/10, %(why)s.") % {"now": facts.pain, "why": "; ".join(reasons)}
    return Finding("pain_rise", PAIN_RISE, reason)


# The rules applied to every log, in the order their findings are shown.
LOG_RULES: tuple[Callable[[LogFacts], Finding | None], ...] = (
    peripheralization,
    worse_afterwards,
    new_nerve_symptoms,
    pain_rise,
    centralization,
)


def evaluate_log(facts: LogFacts) -> list[Finding]:
    """Every finding the log rules reach for one log."""
    return [finding for rule in LOG_RULES if (finding := rule(facts)) is not None]


def red_flag_answers(answered_yes: Iterable[str], *, risk_history: bool) -> list[Finding]:
    """A yes to an "emergency now" red-flag question: seek urgent care now, an urgent alert, and
    the portal shows no exercises until a therapist has looked. A yes to a "see a doctor today"
    question: contact a doctor or the clinic today, and an alert, urgent when the patient has a
    risk history; the exercises go on. The tiers and questions are those of red_flags.py.
    """
    answers = list(answered_yes)
    findings = []
    for tier in red_flags.tiers_answered_yes(answers):
        labels = "; ".join(
            str(red_flags.RedFlag(code).label)
            for code in answers
            if red_flags.TIER_OF.get(code) == tier
        )
        if tier == red_flags.Tier.EMERGENCY:
            reason = _("Red flag, seek urgent care now: %(answers)s.") % {"answers": labels}
            findings.append(Finding("red_flag_answers", RED_FLAG, reason, stop=True, urgent=True))
        else:
            reason = _("Red flag, see a doctor today: %(answers)s.") % {"answers": labels}
            if risk_history:
                reason += " " + _("The patient has a risk history.")
            findings.append(
                Finding("red_flag_answers", RED_FLAG_TODAY, reason, urgent=risk_history)
            )
    return findings


# Every rule, for the README and its test.
ALL_RULES = (*LOG_RULES, red_flag_answers)


def stops(findings: Iterable[Finding]) -> bool:
    return any(finding.stop for finding in findings)
