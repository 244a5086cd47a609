"""The safety rules, one pure function each, applied to every log on every path.

`store_logs` (services.py, for a log alone or a session's logs) has the facts about
each log gathered into `LogFacts` (baseline.py: the reference location, the recent level
of pain), calls `evaluate_log`, stores the findings beside the patient's answers and
raises the alerts. Red-flag
answers go through `red_flag_answers`, by the tiers of red_flags.py. Nothing here reads
the database or the clock, so each rule can be read, reviewed and tested alone.

The first paragraph of each rule's docstring is what docs/clinical/safety-rules.md
lists; a test keeps the two the same.
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
RECURRENCE = "recurrence"
WORSE = "worse"
NEUROLOGICAL = "neurological"
PAIN_RISE = "pain_rise"
RED_FLAG = "red_flag"
RED_FLAG_TODAY = "red_flag_today"

# Nerve symptoms the red-flag screen also names: a yes is urgent, not only a stop.
URGENT_NEURO_SYMPTOMS = frozenset({"weakness", "both_legs"})

# How many days back "the recent level" of pain reaches, and how far back a log
# further out than the reference keeps progression suggestions away.
RECENT_DAYS = 7

# Where a log's reference location comes from (`ReferenceSource` in models.py).
HELD = "held"
PERSISTING = "persisting"
STARTING_LOCATION = "starting_location"
PREVIOUS_LOG = "previous_log"

# From no pain back to these is a recurrence, not peripheralization (MDT: restart).
RECURRENCE_LOCATIONS = frozenset({Location.CENTRAL, Location.ONE_SIDE})


def rank(location: str) -> int:
    return LOCATION_RANK[location]


def choose_reference(
    *,
    held: Iterable[str] = (),
    persisting: str | None = None,
    starting_location: str | None = None,
    previous_location: str | None = None,
) -> tuple[str, str] | None:
    """The location a log is compared with, and where it comes from.

    `held` are the locations held on the recent whole days (a day holds the furthest
    location it logged, and counts only if none of its logs was peripheralization);
    `persisting` the reference of the latest earlier log when that log lay further out
    than it (the peripheralization has not ended). The most central of these wins.
    Without either: the starting location the therapist recorded, else the previous log.
    """
    candidates = [(rank(code), 0, code, HELD) for code in held]
    if persisting:
        candidates.append((rank(persisting), 1, persisting, PERSISTING))
    if candidates:
        _rank, _order, code, source = min(candidates)
        return code, source
    if starting_location:
        return starting_location, STARTING_LOCATION
    if previous_location:
        return previous_location, PREVIOUS_LOG
    return None


def contradiction(*, pain: int | None, location: str | None) -> tuple[str, str] | None:
    """A field and a plain message when the pain score and where the pain reaches
    contradict each other, else None. Every path refuses such a log before it is stored:
    pain above 0 with "no pain", or pain 0 with a location."""
    if pain is None or not location:
        return None
    if pain > 0 and location == Location.NONE:
        return "location", _(
            'You gave a pain score above 0 but chose "no pain". Choose where the pain '
            "reaches, or give a pain score of 0."
        )
    if pain == 0 and location != Location.NONE:
        return "pain", _(
            "You gave a pain score of 0 but chose where the pain reaches. Give the pain "
            'score, or choose "no pain".'
        )
    return None


# Where the pain reaches when it reaches no further than the low back: no leg pain.
BACK_ONLY = frozenset({Location.NONE, Location.CENTRAL, Location.ONE_SIDE})
# From the thigh outwards the pain is in the leg (the buttock may be felt as either).
LEG_LOCATIONS = frozenset({Location.THIGH, Location.BELOW_KNEE, Location.FOOT})


def parts_contradiction(
    *, back_pain: int | None, leg_pain: int | None, location: str | None
) -> tuple[str, str] | None:
    """A field and a plain message when back pain, leg pain and where the pain reaches
    contradict each other, else None: pain with "no pain", no pain with a location, leg
    pain with pain only in the low back, or pain down the leg with no leg pain."""
    if back_pain is None or leg_pain is None or not location:
        return None
    if location == Location.NONE and (back_pain or leg_pain):
        return "location", _(
            'You gave a pain score above 0 but chose "no pain". Choose where the pain '
            "reaches, or give pain scores of 0."
        )
    if location != Location.NONE and not (back_pain or leg_pain):
        return "back_pain", _(
            "You gave pain scores of 0 but chose where the pain reaches. Give the pain "
            'scores, or choose "no pain".'
        )
    if leg_pain and location in BACK_ONLY:
        return "location", _(
            "You gave leg pain above 0 but chose pain only in your low back. Choose how far "
            "down the pain reaches, or give leg pain 0."
        )
    if not leg_pain and location in LEG_LOCATIONS:
        return "leg_pain", _(
            "You chose pain reaching down your leg but gave leg pain 0. Give your leg pain, "
            "or choose where the pain reaches."
        )
    return None


def back_and_leg(
    *, pain: int, back_pain: int | None, leg_pain: int | None, location: str
) -> tuple[int | None, int | None]:
    """Back and leg pain of a stored log, for the recent levels: as answered in a
    session; for a log sent alone, its one score is the back's while the pain reaches no
    further than the low back (the leg then has none), and the leg's when it reaches the
    buttock or further."""
    if back_pain is not None and leg_pain is not None:
        return back_pain, leg_pain
    if location == Location.NONE:
        return 0, 0
    if location in BACK_ONLY:
        return pain, 0
    return None, pain


def session_response(
    *,
    before_back_pain: int | None,
    before_leg_pain: int | None,
    before_location: str | None,
    after_back_pain: int | None,
    after_leg_pain: int | None,
    after_location: str,
) -> str:
    """What a session did to the symptoms, before against after, like with like: where
    the pain reaches first (further out: peripheralizing; closer in, or leg pain giving
    way to back pain: centralizing), then the back and leg scores."""
    facts = LogFacts(
        pain=max(after_back_pain or 0, after_leg_pain or 0),
        location=after_location,
        during="",
        after="",
        back_pain=after_back_pain,
        leg_pain=after_leg_pain,
        before_back_pain=before_back_pain,
        before_leg_pain=before_leg_pain,
        before_location=before_location,
    )
    if not before_location:
        return "not_compared"
    if facts.session_further_out:
        return "peripheralizing"
    if facts.session_closer_in or facts.shifted_to_back:
        return "centralizing"
    changes = [
        after - before
        for before, after in (
            (before_back_pain, after_back_pain),
            (before_leg_pain, after_leg_pain),
        )
        if before is not None and after is not None
    ]
    if any(change > 0 for change in changes):
        return "worse"
    if any(change < 0 for change in changes):
        return "better"
    return "unchanged"


@dataclass(frozen=True)
class LogFacts:
    """What the rules know about one log: the patient's answers and the references.

    `held`, `persisting`, `starting_location` and `previous_location` choose the reference
    location (see `choose_reference`); `recent_levels` are the levels of pain (`day_level`)
    of the days of the last `RECENT_DAYS` days with a log before this one.
    """

    pain: int
    location: str
    during: str
    after: str
    new_symptoms: tuple[str, ...] = ()
    held: tuple[str, ...] = ()
    persisting: str | None = None
    starting_location: str | None = None
    previous_location: str | None = None
    recent_levels: tuple[int, ...] = ()
    pain_rise_threshold: int = 3
    # A session's answers, back and leg apart (None for a log sent alone): after (this
    # log's) and before the session, and the recent levels of each.
    back_pain: int | None = None
    leg_pain: int | None = None
    before_back_pain: int | None = None
    before_leg_pain: int | None = None
    before_location: str | None = None
    recent_back_levels: tuple[int, ...] = ()
    recent_leg_levels: tuple[int, ...] = ()

    @property
    def reference(self) -> tuple[str, str] | None:
        """The location this log is compared with, and where it comes from."""
        return choose_reference(
            held=self.held,
            persisting=self.persisting,
            starting_location=self.starting_location,
            previous_location=self.previous_location,
        )

    @property
    def is_recurrence(self) -> bool:
        reference = self.reference
        return (
            reference is not None
            and reference[0] == Location.NONE
            and self.location in RECURRENCE_LOCATIONS
        )

    @property
    def further_out(self) -> bool:
        """Further from the spine than the reference, a recurrence aside."""
        reference = self.reference
        return (
            reference is not None
            and rank(self.location) > rank(reference[0])
            and not self.is_recurrence
        )

    @property
    def closer_in(self) -> bool:
        reference = self.reference
        return reference is not None and rank(self.location) < rank(reference[0])

    @property
    def session_further_out(self) -> bool:
        """Further out after the session than before it (no pain to the low back aside)."""
        if not self.before_location:
            return False
        if self.before_location == Location.NONE and self.location in RECURRENCE_LOCATIONS:
            return False
        return rank(self.location) > rank(self.before_location)

    @property
    def session_closer_in(self) -> bool:
        return bool(self.before_location) and rank(self.location) < rank(self.before_location)

    @property
    def shifted_to_back(self) -> bool:
        """Less leg pain and more back pain after the session than before: the pain is
        moving towards the spine, the good response, even where it reaches is the same."""
        known = (self.back_pain, self.leg_pain, self.before_back_pain, self.before_leg_pain)
        if any(value is None for value in known) or self.session_further_out:
            return False
        return self.leg_pain < self.before_leg_pain and self.back_pain > self.before_back_pain

    @property
    def centralizing(self) -> bool:
        """Closer in than the reference or than before the session, or pain shifting from
        the leg to the back within it."""
        return self.closer_in or self.session_closer_in or self.shifted_to_back

    @property
    def recent_level(self) -> int | None:
        """The recent level of pain: the lowest of the recent days' levels."""
        return min(self.recent_levels, default=None)


def day_level(pains: Iterable[int]) -> int:
    """A day's level of pain: the median of its logs (the lower middle one of an even
    count), so that one good moment after an exercise is not the day's level."""
    ordered = sorted(pains)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class Finding:
    """What one rule concluded: its kind, whether the patient must stop the
    exercise, whether it is urgent, whether it raises an alert, and why.

    `further_out` marks a peripheralization the data shows (the log lies further out
    than its reference): it lasts until a log at or inside the reference."""

    rule: str
    kind: str
    reason: str
    stop: bool = False
    urgent: bool = False
    alert: bool = True
    further_out: bool = False

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _where(code: str) -> str:
    return str(Location(code).label).lower()


def _source(source: str) -> str:
    return {
        HELD: _("the location held in recent days"),
        PERSISTING: _("the reference in force since the pain spread"),
        STARTING_LOCATION: _("the starting location"),
        PREVIOUS_LOG: _("the previous log"),
    }[source]


def _answered(facts: LogFacts) -> str:
    return _('The patient answered "%(during)s" during and "%(after)s" after.') % {
        "during": str(DuringResponse(facts.during).label).lower(),
        "after": str(AfterResponse(facts.after).label).lower(),
    }


def peripheralization(facts: LogFacts) -> Finding | None:
    """Pain reaching further from the spine than the reference location (the most central
    location held in recent days, else the starting location the therapist recorded), further
    out after a session than before it, or an answer that the pain spread, is
    peripheralization: stop the exercise and alert the clinic, whatever the other answers say,
    on the first day and on every later log while it lasts.
    """
    further = facts.further_out
    said_spread = facts.during == "peripheralize"
    in_session = facts.session_further_out
    if not (further or said_spread or in_session):
        return None
    if in_session and not further:
        data = _(
            "The data: pain now reaches %(now)s, further out than %(then)s before the session."
        ) % {"now": _where(facts.location), "then": _where(facts.before_location)}
    elif further:
        reference = facts.reference
        data = _("The data: pain now reaches %(now)s, further out than %(then)s at %(ref)s.") % {
            "now": _where(facts.location),
            "then": _where(reference[0]),
            "ref": _source(reference[1]),
        }
    else:
        data = _("The data: pain now reaches %(now)s.") % {"now": _where(facts.location)}
    reason = _("Peripheralization.") + " " + _answered(facts) + " " + data
    return Finding("peripheralization", PERIPHERALIZATION, reason, stop=True, further_out=further)


def recurrence(facts: LogFacts) -> Finding | None:
    """Pain back in the centre or on one side of the low back after no pain is a recurrence,
    not peripheralization: no stop, the patient restarts the exercises as prescribed, and the
    therapist gets a quiet note.
    """
    if not facts.is_recurrence:
        return None
    reason = _("Recurrence: pain back, reaching %(now)s, after no pain.") % {
        "now": _where(facts.location)
    }
    return Finding("recurrence", RECURRENCE, reason)


def centralization(facts: LogFacts) -> Finding | None:
    """Pain reaching closer to the spine than the reference location or than before the
    session, or leg pain giving way to back pain within a session, is centralization, a good
    sign; it is shown as such but never hides a warning from another rule.
    """
    if not facts.centralizing or facts.further_out or facts.session_further_out:
        return None
    if facts.closer_in:
        reason = _(
            "Centralization: pain now reaches %(now)s, closer to the spine than %(then)s."
        ) % {"now": _where(facts.location), "then": _where(facts.reference[0])}
    elif facts.session_closer_in:
        reason = _(
            "Centralization: pain now reaches %(now)s, closer to the spine than %(then)s "
            "before the session."
        ) % {"now": _where(facts.location), "then": _where(facts.before_location)}
    else:
        reason = _(
            "Centralization: leg pain down from %(leg_before)d/10 to %(leg)d/10 as back pain "
            "went from %(back_before)d/10 to %(back)d/10 during the session."
        ) % {
            "leg_before": facts.before_leg_pain,
            "leg": facts.leg_pain,
            "back_before": facts.before_back_pain,
            "back": facts.back_pain,
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
    """Pain at least the clinic's threshold (3 points unless changed) above its recent level
    (the lowest daily median of the last 7 days) raises an alert, unless the pain centralized (more
    pain in the back as it leaves the leg is the good response) or came back after none. A
    session compares like with like: back pain with back pain and leg pain with leg pain, after
    the session with before it, then with their recent levels.
    """
    if facts.centralizing or facts.is_recurrence:
        return None
    if facts.back_pain is None or facts.leg_pain is None:
        level = facts.recent_level
        if level is None or facts.pain < level + facts.pain_rise_threshold:
            return None
        reason = _(
            "Pain %(now)d/10, up from its recent level of %(level)d/10 (last %(days)d days)."
        ) % {"now": facts.pain, "level": level, "days": RECENT_DAYS}
        return Finding("pain_rise", PAIN_RISE, reason)
    reasons = []
    for part, now, before, levels in (
        ("back", facts.back_pain, facts.before_back_pain, facts.recent_back_levels),
        ("leg", facts.leg_pain, facts.before_leg_pain, facts.recent_leg_levels),
    ):
        level = min(levels, default=None)
        if before is not None and now >= before + facts.pain_rise_threshold:
            reasons.append(_part_rose_in_session(part, now, before))
        elif level is not None and now >= level + facts.pain_rise_threshold:
            reasons.append(_part_above_level(part, now, level))
    if not reasons:
        return None
    return Finding("pain_rise", PAIN_RISE, " ".join(reasons))


def _part_rose_in_session(part: str, now: int, before: int) -> str:
    if part == "back":
        message = _("Back pain %(now)d/10 after the session, up from %(before)d/10 before it.")
    else:
        message = _("Leg pain %(now)d/10 after the session, up from %(before)d/10 before it.")
    return message % {"now": now, "before": before}


def _part_above_level(part: str, now: int, level: int) -> str:
    values = {"now": now, "level": level, "days": RECENT_DAYS}
    if part == "back":
        message = _(
            "Back pain %(now)d/10, up from its recent level of %(level)d/10 (last %(days)d days)."
        )
    else:
        message = _(
            "Leg pain %(now)d/10, up from its recent level of %(level)d/10 (last %(days)d days)."
        )
    return message % values


# The rules applied to every log, in the order their findings are shown.
LOG_RULES: tuple[Callable[[LogFacts], Finding | None], ...] = (
    peripheralization,
    recurrence,
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


# Every rule, for the safety-rules page and its test.
ALL_RULES = (*LOG_RULES, red_flag_answers)


def stops(findings: Iterable[Finding]) -> bool:
    return any(finding.stop for finding in findings)
