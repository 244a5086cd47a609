"""The proposal of an assessment, looked up in the clinic's catalog for the builder."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clinics.models import Clinic
from exercises.models import Exercise, Progression

from .models import Assessment
from .proposal import NAMES, Findings, Proposal, propose


def findings_of(assessment: Assessment) -> Findings:
    return Findings(
        classification=assessment.classification,
        directional_preference=assessment.directional_preference,
        dysfunction_direction=assessment.dysfunction_direction,
        other_subtype=assessment.other_subtype,
        painful_side=assessment.painful_side,
        lateral_shift=assessment.lateral_shift,
        tests={test.movement: (test.during, test.after) for test in assessment.tests.all()},
    )


@dataclass(frozen=True)
class ProposedProgram:
    assessment: Assessment
    proposal: Proposal
    progression: Progression | None
    first: int | None
    exercises: list[Exercise]
    # Exercises named by the proposal that this catalog does not hold.
    missing: list[str]

    @property
    def reassess(self) -> bool:
        return self.progression is None and not self.exercises

    @property
    def missing_names(self) -> str:
        return ", ".join(str(NAMES.get(slug, slug)) for slug in self.missing)

    @property
    def why(self) -> str:
        """One sentence naming the assessment's findings behind the proposal."""
        return _("Assessment of %(date)s: %(classification)s; %(findings)s.") % {
            "date": date_format(self.assessment.assessed_on),
            "classification": self.assessment.classification_label,
            "findings": "; ".join(self.proposal.reasons),
        }


def proposed_program(assessment: Assessment, clinic: Clinic) -> ProposedProgram:
    proposal = propose(findings_of(assessment))
    progression = None
    if proposal.progression:
        progression = (
            Progression.objects.for_clinic(clinic)
            .filter(slug=proposal.progression)
            .prefetch_related("steps__exercise")
            .order_by(F("clinic_id").asc(nulls_first=True))
            .first()
        )
    exercises: list[Exercise] = []
    missing: list[str] = []
    if progression is None and proposal.exercises:
        # A progression the catalog lacks falls back to its exercises picked by hand.
        found = {
            exercise.slug: exercise
            for exercise in Exercise.objects.for_clinic(clinic)
            .filter(slug__in=proposal.exercises)
            # The built-in entry last, so that it wins over a clinic's copy of its slug.
            .order_by(F("clinic_id").asc(nulls_last=True))
        }
        exercises = [found[slug] for slug in proposal.exercises if slug in found]
        missing = [slug for slug in proposal.exercises if slug not in found]
    elif proposal.progression and progression is None:
        missing = [proposal.progression]
    return ProposedProgram(
        assessment=assessment,
        proposal=proposal,
        progression=progression,
        first=proposal.first,
        exercises=exercises,
        missing=missing,
    )
