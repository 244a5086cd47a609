"""Adherence: sessions logged against sessions prescribed.

How it is counted (docs/clinical/adherence.md says the same for clinics):

- A program prescribes a number of *sessions a day*: the largest among its
  exercises of `times_per_day`, or, for "every N hours", the number of times N
  hours fit into the patient's waking hours (08:00-20:00 unless changed), so
  every two hours over 08:00-20:00 is six sessions (08, 10, 12, 14, 16, 18).
- The waking hours are cut into that many equal *slots*. One logged session is
  a slot with at least one log of the program in it, whatever the number of
  exercises logged: a whole "Log this session" submit, one exercise logged on its
  own, or a log typed in from paper all count once for their slot, and a second
  submit in the same slot does not count twice. A log before waking hours counts
  for the first slot, one after them for the last.
- A slot is *due* once it has ended, or earlier if it is already logged, so the
  morning does not count against a patient. The period starts at activation: a
  slot that ended before the program was activated is not prescribed, so a
  patient activated minutes ago has nothing due yet ("new"). A revision of the
  program does not restart the count; each day uses the version in force at
  its end.
- Days are the patient's days: their own time zone, else their clinic's
  (`Patient.zone`); the waking hours are wall clock hours, so a daylight-saving
  change moves nothing.
- Waking hours may cross midnight (a night shift, 22:00-06:00): the hours count as
  one day of sessions, the day they start. A day of such hours runs from the middle
  of the time asleep to the next, so a log at 02:00 counts for the night that began
  the evening before, and one at 15:00 for the first session of the coming night.
- A change of waking hours counts from the day it is made: each earlier day keeps
  the hours it had (`Patient.earlier_waking_hours`), its slots, and, for "every N
  hours", its number of sessions. What was kept up stays kept up.

What a write changes is stored on the patient (`Patient.adherence`, refreshed by
`summary.refresh_summary` in the write's transaction): the program periods and,
per day, which slots have a log. Everything that depends on "now" (what is due,
the last 7 days, the streak) is worked out at read time from that, without a
query, so the figures never go stale at midnight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEK = 7
DEFAULT_WAKE_START = time(8, 0)
DEFAULT_WAKE_END = time(20, 0)


# --- pure arithmetic ---------------------------------------------------------


DAY_MINUTES = 24 * 60


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def waking_minutes(wake_start: time, wake_end: time) -> int:
    """How long the waking hours last; hours that cross midnight go on to the next day."""
    return max(60, (_minutes(wake_end) - _minutes(wake_start)) % DAY_MINUTES)


def day_start_minutes(wake_start: time, wake_end: time) -> int:
    """When (minutes after midnight) a day of sessions starts: midnight, or for hours
    that cross midnight the middle of the time asleep, so that the whole of the waking
    hours falls in the day they start."""
    start, end = _minutes(wake_start), _minutes(wake_end)
    if end > start:
        return 0
    return end + (start - end) // 2


def session_day(moment: datetime, wake_start: time, wake_end: time) -> date:
    """The day of sessions a log at `moment` counts for (in the current time zone)."""
    shift = timedelta(minutes=day_start_minutes(wake_start, wake_end))
    return (timezone.localtime(moment).replace(tzinfo=None) - shift).date()


def item_sessions(
    *, times_per_day: int | None, every_hours: int | None, wake_start: time, wake_end: time
) -> int:
    """Sessions a day one exercise asks for."""
    if times_per_day:
        return max(1, times_per_day)
    if every_hours:
        return max(1, math.ceil(waking_minutes(wake_start, wake_end) / (every_hours * 60)))
    return 1


def sessions_per_day(items: Iterable[Any], wake_start: time, wake_end: time) -> int:
    """Sessions a day of a program: its most frequent exercise (0 without exercises)."""
    return max(
        (
            item_sessions(
                times_per_day=item.times_per_day,
                every_hours=item.every_hours,
                wake_start=wake_start,
                wake_end=wake_end,
            )
            for item in items
        ),
        default=0,
    )


def _day_edge(day: date, wake_start: time, wake_end: time, tz: Any) -> datetime:
    """Where the day of sessions `day` starts (see `day_start_minutes`)."""
    minutes = day_start_minutes(wake_start, wake_end)
    return _aware(day, time(minutes // 60, minutes % 60), tz)


def _aware(day: date, moment: time, tz: Any = None) -> datetime:
    # zoneinfo time zones (Django's) need no normalising: combine with tzinfo is exact.
    return datetime.combine(day, moment, tzinfo=tz or timezone.get_current_timezone())


def slot_bounds(
    day: date, index: int, sessions: int, wake_start: time, wake_end: time, tz: Any = None
) -> tuple[datetime, datetime]:
    """Start and end of slot `index` of `day`, in wall-clock time."""
    length = waking_minutes(wake_start, wake_end) / sessions
    start = datetime.combine(day, wake_start)
    tz = tz or timezone.get_current_timezone()
    return (
        (start + timedelta(minutes=length * index)).replace(tzinfo=tz),
        (start + timedelta(minutes=length * (index + 1))).replace(tzinfo=tz),
    )


@lru_cache(maxsize=256)
def _slot_edges(
    day: date, sessions: int, wake_start: time, wake_end: time, tz: Any
) -> tuple[datetime, ...]:
    """Where each slot of `day` starts, and where the last ends: the same for every
    patient with these waking hours and sessions, so worked out once."""
    return (
        *(
            slot_bounds(day, index, sessions, wake_start, wake_end, tz)[0]
            for index in range(sessions)
        ),
        slot_bounds(day, sessions - 1, sessions, wake_start, wake_end, tz)[1],
    )


def slot_of(moment: datetime, sessions: int, wake_start: time, wake_end: time) -> int:
    """The slot of its day of sessions (`session_day`) a log at `moment` counts for."""
    local = timezone.localtime(moment)
    day_start = day_start_minutes(wake_start, wake_end)
    minutes = (local.hour * 60 + local.minute + local.second / 60 - day_start) % DAY_MINUTES
    offset = minutes - (_minutes(wake_start) - day_start) % DAY_MINUTES
    length = waking_minutes(wake_start, wake_end) / sessions
    return min(sessions - 1, max(0, int(offset // length)))


# --- waking hours over time ----------------------------------------------------

Hours = tuple[time, time]


def hours_before_today(earlier: list[Any], before: Hours, after: Hours, today: date) -> list[Any]:
    """`earlier` (see `Patient.earlier_waking_hours`) once the hours change from
    `before` to `after` today: `before` applied until yesterday. A second change on
    the same day keeps what applied yesterday."""
    if before == after:
        return list(earlier)
    yesterday = (today - timedelta(days=1)).isoformat()
    if earlier and earlier[-1][0] >= yesterday:
        return list(earlier)
    return [*earlier, [yesterday, before[0].isoformat(), before[1].isoformat()]]


def _earlier_hours(earlier: list[Any]) -> list[tuple[date, Hours]]:
    """`Patient.earlier_waking_hours` read: (last day they applied, hours), oldest first."""
    return [
        (date.fromisoformat(until), (time.fromisoformat(start), time.fromisoformat(end)))
        for until, start, end in earlier or ()
    ]


def hours_by_day(earlier: list[Any], current: Hours) -> Any:
    """A function giving the waking hours of a day: the earlier hours of the first
    change after it, else `current`."""
    return _hours_on(_earlier_hours(earlier), current)


def _hours_on(changes: list[tuple[date, Hours]], current: Hours) -> Any:
    if not changes:
        return lambda day: current

    def hours_on(day: date) -> Hours:
        for until, hours in changes:
            if day <= until:
                return hours
        return current

    return hours_on


def _hour_spans(
    changes: list[tuple[date, Hours]], current: Hours, tz: Any = None
) -> list[tuple[Any, Hours]]:
    """The stretches of time each set of hours applied: (from, hours), from None
    (the beginning) onwards, each until the next one's start."""
    spans: list[tuple[Any, Hours]] = []
    start = None
    for until, hours in changes:
        spans.append((start, hours))
        start = _aware(until + timedelta(days=1), time.min, tz)
    spans.append((start, current))
    return spans


@dataclass(frozen=True, slots=True)
class Period:
    """A version of the program in use from `start` until `end` (None: still in use)."""

    start: datetime
    end: datetime | None
    sessions: int


def _day_periods(periods: list[Period], day: date, tz: Any = None) -> list[Period]:
    day_start, day_end = _aware(day, time.min, tz), _aware(day + timedelta(days=1), time.min, tz)
    return [
        period
        for period in periods
        if period.start < day_end and (period.end is None or period.end > day_start)
    ]


def day_sessions(periods: list[Period], day: date) -> int:
    """Sessions prescribed on `day`: those of the version in force at its end."""
    current = _day_periods(periods, day)
    return max(current, key=lambda period: period.start).sessions if current else 0


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the calendar: for each prescribed slot, whether it is logged."""

    day: date
    slots: tuple[str, ...]  # per slot: "done", "missed", "open" (not due yet) or "off"

    @property
    def prescribed(self) -> int:
        return sum(1 for slot in self.slots if slot != "off")

    @property
    def logged(self) -> int:
        return self.slots.count("done")

    @property
    def due(self) -> int:
        return self.logged + self.slots.count("missed")

    @property
    def kept_up(self) -> bool:
        return self.prescribed > 0 and self.logged == self.prescribed


def build_day(
    day: date,
    periods: list[Period],
    mask: int,
    wake_start: time,
    wake_end: time,
    now: datetime,
    tz: Any = None,
) -> Day:
    tz = tz or timezone.get_current_timezone()
    current = _day_periods(periods, day, tz)
    if not current:
        return Day(day, ())
    sessions = max(current, key=lambda period: period.start).sessions
    first = min(period.start for period in current)
    ends = [period.end for period in current]
    last = None if None in ends else max(ends)
    day_start = _day_edge(day, wake_start, wake_end, tz)
    next_day = _day_edge(day + timedelta(days=1), wake_start, wake_end, tz)
    if first <= day_start and (last is None or last >= next_day) and next_day <= now:
        # A whole past day of the program (most days): every slot prescribed and over.
        return Day(
            day, tuple("done" if mask >> index & 1 else "missed" for index in range(sessions))
        )
    slots = []
    edges = _slot_edges(day, sessions, wake_start, wake_end, tz)
    for index in range(sessions):
        start, end = edges[index], edges[index + 1]
        logged = bool(mask >> index & 1)
        if end <= first or (last is not None and start >= last):
            slots.append("done" if logged else "off")
        elif logged:
            slots.append("done")
        elif end <= now:
            slots.append("missed")
        else:
            slots.append("open")
    return Day(day, tuple(slots))


@dataclass(frozen=True, slots=True)
class Ratio:
    logged: int
    due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.logged / self.due) if self.due else None


@dataclass(frozen=True)
class Figures:
    """A patient's adherence as of `today`."""

    today: Day
    week: Ratio
    previous_week: Ratio
    since_start: Ratio
    streak: int
    started: bool
    calendar: tuple[Day, ...]  # the last 7 days, oldest first

    @property
    def percent(self) -> int | None:
        return self.week.percent

    @property
    def level(self) -> str:
        percent = self.percent
        if percent is None:
            return "neutral"
        if percent >= 70:
            return "success"
        if percent >= 40:
            return "warning"
        return "danger"

    @property
    def label(self) -> str:
        if not self.started:
            return ""
        if self.percent is None:
            return str(_("New: nothing due yet"))
        return _("%(percent)s%% of sessions (%(logged)s of %(due)s)") % {
            "percent": self.percent,
            "logged": self.week.logged,
            "due": self.week.due,
        }

    @property
    def trend(self) -> str:
        """ "up", "down" or "same" against the 7 days before; "" without both weeks."""
        now, before = self.week.percent, self.previous_week.percent
        if now is None or before is None:
            return ""
        if now >= before + 10:
            return "up"
        if now <= before - 10:
            return "down"
        return "same"

    @property
    def trend_label(self) -> str:
        return {
            "up": _("better than the week before"),
            "down": _("worse than the week before"),
            "same": _("about the same as the week before"),
        }.get(self.trend, "")

    @property
    def trend_arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.trend, "")

    @property
    def max_slots(self) -> int:
        return max((len(day.slots) for day in self.calendar), default=0)

    @property
    def slot_numbers(self) -> range:
        return range(1, self.max_slots + 1)

    @property
    def rows(self) -> list[tuple[Day, range]]:
        """The calendar's days, each with the empty cells that fill its row."""
        return [(day, range(self.max_slots - len(day.slots))) for day in self.calendar]


def _ratio(days: Iterable[Day]) -> Ratio:
    days = list(days)
    return Ratio(sum(day.logged for day in days), sum(day.due for day in days))


@lru_cache(maxsize=4096)
def _past_slots(mask: int, sessions: int) -> tuple[str, ...]:
    """The slots of a day that is over: each logged or missed."""
    return tuple("done" if mask >> i & 1 else "missed" for i in range(sessions))


def figures(
    store: dict[str, Any],
    wake_start: time,
    wake_end: time,
    now: datetime | None = None,
    *,
    full: bool = True,
    streak: bool = True,
) -> Figures:
    """Everything shown about adherence, from what `store_for` stored; no query.
    `wake_start` and `wake_end` are today's hours (earlier days' are in the store).
    `full=False` leaves out the figure since the start and `streak=False` the days in
    a row (the patient list shows neither; both walk back to the start)."""
    now = now or timezone.now()
    hours_on = hours_by_day(store.get("hours", []), (wake_start, wake_end))
    today = session_day(now, wake_start, wake_end)
    tz = timezone.get_current_timezone()
    periods = stored_periods(store)
    masks = store.get("days", {})
    if not periods:
        empty = Day(today, ())
        return Figures(empty, Ratio(0, 0), Ratio(0, 0), Ratio(0, 0), 0, False, ())
    first_day = timezone.localdate(min(period.start for period in periods))

    # Each period's first and last local day, so that most days need no datetime work.
    spans = [
        (
            timezone.localdate(period.start),
            timezone.localdate(period.end - timedelta(microseconds=1)) if period.end else None,
            period,
        )
        for period in periods
    ]

    def day_at(offset: int) -> Day:
        day = today - timedelta(days=offset)
        if day < first_day:
            return Day(day, ())
        mask = masks.get(day.isoformat(), 0)
        if day < today:
            # A whole past day inside a version's period: every slot of the newest
            # version that day prescribed and over. (Plain loops: the patient list
            # runs this for 14 days of 25 patients on every request.)
            inside, newest = False, None
            for start, end, period in spans:
                if start <= day and (end is None or end >= day):
                    if newest is None or period.start > newest.start:
                        newest = period
                    inside = inside or (start < day and (end is None or end > day))
            if inside:
                return Day(day, _past_slots(mask, newest.sessions))
        return build_day(day, periods, mask, *hours_on(day), now, tz)

    span = max(0, (today - first_day).days)
    cache: dict[int, Day] = {}

    def back(offset: int) -> Day:
        if offset not in cache:
            cache[offset] = day_at(offset)
        return cache[offset]

    week = [back(offset) for offset in range(WEEK - 1, -1, -1)]
    previous = [back(offset) for offset in range(2 * WEEK - 1, WEEK - 1, -1)]
    kept = 0
    for offset in range(span + 1 if streak else 0):
        day = back(offset)
        if day.kept_up:
            kept += 1
        elif offset == 0 and (day.prescribed == 0 or "open" in day.slots):
            continue  # today is not lost while sessions are still to come
        else:
            break
    since_start = _ratio(back(offset) for offset in range(span + 1)) if full else Ratio(0, 0)
    started = any(period.end is None for period in periods) or any(day.prescribed for day in week)
    return Figures(
        today=week[-1],
        week=_ratio(week),
        previous_week=_ratio(previous),
        since_start=since_start,
        streak=kept,
        started=started,
        calendar=tuple(week),
    )


def patient_figures(
    patient: Any, now: datetime | None = None, *, full: bool = True, streak: bool = True
) -> Figures:
    """The patient's figures, counted in their days (`Patient.zone`)."""
    with timezone.override(patient.zone):
        return figures(
            patient.adherence or {},
            patient.wake_start,
            patient.wake_end,
            now,
            full=full,
            streak=streak,
        )


# --- the "not keeping up" rule ----------------------------------------------


@dataclass(frozen=True)
class NotKeepingUp:
    """Why a patient is not keeping up: no log for days, or too few sessions."""

    reason: str  # "no_logs" or "low_adherence"
    since: datetime | None = None
    week: Ratio | None = None


def not_keeping_up(
    *,
    figures: Figures,
    last_activity: datetime | None,
    now: datetime,
    inactivity_days: int,
    threshold_percent: int,
) -> NotKeepingUp | None:
    """The "not keeping up" rule: no log (nor activation) for the clinic's number of
    days, or under the clinic's share of the sessions prescribed over the last 7 full
    days of the program (a threshold of 0 turns that half off). Pure: no query, no
    clock."""
    if last_activity is not None and now - last_activity >= timedelta(days=inactivity_days):
        return NotKeepingUp("no_logs", since=last_activity)
    week = figures.week
    whole_week = bool(figures.calendar) and figures.calendar[0].prescribed > 0
    if threshold_percent and whole_week and week.due and week.percent < threshold_percent:
        return NotKeepingUp("low_adherence", week=week)
    return None


# --- the query entry point ----------------------------------------------------


def stored_periods(store: dict[str, Any]) -> list[Period]:
    """The program versions a store (from `store_for`) counts against."""
    return [
        Period(
            datetime.fromisoformat(start),
            datetime.fromisoformat(end) if end else None,
            sessions,
        )
        for start, end, sessions in store.get("periods", [])
    ]


def with_log(
    store: dict[str, Any], moment: datetime, wake_start: time, wake_end: time
) -> dict[str, Any] | None:
    """`store` with one more log, at `moment`, counted: what `store_for` gives once
    that log is in, without reading all the patient's logs again (a log write costs
    the same on the thousandth log as on the first). None when `store` has no program
    to count against: `store_for` then."""
    periods = stored_periods(store)
    if not periods:
        return None
    if moment < _aware(timezone.localdate(min(period.start for period in periods)), time.min):
        return store
    hours_on = hours_by_day(store.get("hours", []), (wake_start, wake_end))
    day = _day_of(moment, hours_on)
    sessions = day_sessions(periods, day)
    if not sessions:
        return store
    days = dict(store.get("days", {}))
    key = day.isoformat()
    hours = hours_on(day)
    days[key] = days.get(key, 0) | 1 << slot_of(moment, sessions, *hours)
    return {**store, "days": dict(sorted(days.items()))}


def _day_of(moment: datetime, hours_on: Any) -> date:
    """The day of sessions of a log: by the hours of its calendar day, which for hours
    that cross midnight may be the day before."""
    return session_day(moment, *hours_on(timezone.localdate(moment)))


def store_for(patient: Any, *, prescription: Any = None, log: Any = None) -> dict[str, Any]:
    """What `figures` needs, read from the patient's programs and logs (two queries),
    in the patient's days. The models can be swapped for a migration's historical
    ones (which know no time zone: the server's then)."""
    with timezone.override(getattr(patient, "zone", None)):
        return _store_for(patient, prescription=prescription, log=log)


def _store_for(patient: Any, *, prescription: Any, log: Any) -> dict[str, Any]:
    if prescription is None or log is None:
        from .models import Prescription, SymptomLog

        prescription, log = prescription or Prescription, log or SymptomLog
    programs = list(
        prescription.objects.filter(patient_id=patient.pk, activated_at__isnull=False)
        .prefetch_related("items")
        .order_by("activated_at", "pk")
    )
    earlier = getattr(patient, "earlier_waking_hours", None) or []
    changes = _earlier_hours(earlier)
    current = (patient.wake_start, patient.wake_end)
    spans = _hour_spans(changes, current)
    periods = []
    for program in programs:
        start = program.activated_at
        end = program.ended_at if program.status != "active" else None
        # A version in use across a change of hours: one period per set of hours,
        # as "every N hours" makes a different number of sessions of each.
        for index, (since, hours) in enumerate(spans):
            until = spans[index + 1][0] if index + 1 < len(spans) else None
            if (since is not None and end is not None and end <= since) or (
                until is not None and start >= until
            ):
                continue
            begins = start if since is None else max(start, since)
            ends = until if end is None else (end if until is None else min(end, until))
            periods.append(Period(begins, ends, sessions_per_day(program.items.all(), *hours)))
    periods = [period for period in periods if period.sessions]
    hours_on = _hours_on(changes, current)
    days: dict[str, int] = {}
    if periods:
        first = min(period.start for period in periods)
        first_midnight = _aware(timezone.localdate(first), time.min)
        logged = log.objects.filter(patient_id=patient.pk, logged_at__gte=first_midnight)
        sessions_on: dict[date, int] = {}
        for moment in logged.values_list("logged_at", flat=True):
            day = _day_of(moment, hours_on)
            if day not in sessions_on:
                sessions_on[day] = day_sessions(periods, day)
            sessions = sessions_on[day]
            if sessions:
                key = day.isoformat()
                days[key] = days.get(key, 0) | 1 << slot_of(moment, sessions, *hours_on(day))
    return {
        # The hours before each change, when there was one (see `hours_by_day`).
        **({"hours": earlier} if earlier else {}),
        "periods": [
            [
                period.start.isoformat(),
                period.end.isoformat() if period.end else None,
                period.sessions,
            ]
            for period in periods
        ],
        "days": dict(sorted(days.items())),
    }
