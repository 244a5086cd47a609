"""What an assessment proposes: a pure, table-driven mapping from the classification,
the directional preference and the repeated-movement tests to a starting program.

The therapist decides: the builder opens with the proposal and every part of it can
be changed. Nothing here reads the database; `assessments.program` looks the slugs
up in the clinic's catalog.

The mapping follows the MDT management principles as the catalog's source article
describes them (derangement: the direction that centralizes, most of the time
extension; one-sided symptoms that do not centralize in the sagittal plane: the
lateral procedures; stenosis and flexion preference: flexion; dysfunction: the
dysfunctional direction at end range; postural syndrome: posture correction).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Responses that mean a test helped: centralization, abolition or reduction during,
# and nothing worse afterwards.
GOOD_DURING = {"centralize", "abolish", "decrease"}
BAD_DURING = {"peripheralize"}
BAD_AFTER = {"worse"}
SAGITTAL = ("extension_lying", "extension_standing", "flexion_lying", "flexion_standing")

# Progression and exercise slugs. `lateral`, `sitting-lumbar-roll` and
# `slouch-overcorrect` may be missing from an older catalog: the proposal then says
# what to pick by hand (see assessments.program).
EXTENSION = "extension"
FLEXION = "flexion"
LATERAL = "lateral"
LATERAL_BY_HAND = ("prone-press-up-hips-off-centre", "standing-side-glide")
POSTURE = ("sitting-lumbar-roll", "slouch-overcorrect")
# What to look for by hand when a slug is not in the catalog.
NAMES = {
    LATERAL: gettext_lazy("the lateral branch (press-up with hips off-centre, side glide)"),
    "sitting-lumbar-roll": gettext_lazy("sitting with a lumbar roll"),
    "slouch-overcorrect": gettext_lazy("slouch-overcorrect"),
    "prone-press-up-hips-off-centre": gettext_lazy("press-up with hips off-centre"),
    "standing-side-glide": gettext_lazy("side glide in standing"),
    EXTENSION: gettext_lazy("the extension progression"),
    FLEXION: gettext_lazy("the flexion progression"),
}


@dataclass(frozen=True)
class Findings:
    """What the proposal reads from one assessment."""

    classification: str
    directional_preference: str = ""
    dysfunction_direction: str = ""
    other_subtype: str = ""
    painful_side: str = ""
    lateral_shift: str = ""
    # movement code -> (during, after)
    tests: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def helped(self, movement: str) -> bool:
        during, after = self.tests.get(movement, ("", ""))
        return during in GOOD_DURING and after not in BAD_AFTER

    def harmed(self, movement: str) -> bool:
        during, after = self.tests.get(movement, ("", ""))
        return during in BAD_DURING or after in BAD_AFTER

    @property
    def one_sided(self) -> bool:
        return self.painful_side in ("left", "right")


@dataclass(frozen=True)
class Proposal:
    """A progression (its first `first` steps; None: all) or named exercises, or
    nothing ("reassess"). `reasons` are the findings behind it, in words."""

    progression: str = ""
    first: int | None = None
    exercises: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def reassess(self) -> bool:
        return not (self.progression or self.exercises)


def _extension(findings: Findings) -> Proposal:
    if any(findings.harmed(movement) for movement in ("extension_lying", "extension_standing")):
        return _reassess(_("an extension test made the symptoms spread or worse"))
    if findings.one_sided and not any(findings.helped(m) for m in SAGITTAL):
        return _lateral(findings)
    if findings.helped("extension_lying"):
        return Proposal(
            EXTENSION,
            first=3,
            reasons=(_("repeated extension in lying reduced or centralized the symptoms"),),
        )
    if findings.helped("sustained_extension"):
        return Proposal(
            EXTENSION,
            first=2,
            reasons=(_("lying face down reduced or centralized the symptoms"),),
        )
    return Proposal(
        EXTENSION,
        first=1,
        reasons=(_("no extension test in lying helped yet: start with the gentlest step"),),
    )


def _flexion(findings: Findings) -> Proposal:
    if any(findings.harmed(movement) for movement in ("flexion_lying", "flexion_standing")):
        return _reassess(_("a flexion test made the symptoms spread or worse"))
    if findings.helped("flexion_standing"):
        return Proposal(
            FLEXION,
            reasons=(_("repeated flexion in standing reduced or centralized the symptoms"),),
        )
    return Proposal(
        FLEXION,
        first=1,
        reasons=(_("start flexion lying on the back, where it loads the spine least"),),
    )


def _lateral(findings: Findings) -> Proposal:
    if findings.lateral_shift:
        reason = _("a lateral shift")
    elif findings.directional_preference.startswith("lateral"):
        reason = _("a lateral directional preference")
    else:
        reason = _("one-sided symptoms that did not centralize with movements forwards or back")
    return Proposal(LATERAL, first=1, exercises=LATERAL_BY_HAND, reasons=(reason,))


def _reassess(reason: str) -> Proposal:
    return Proposal(reasons=(reason,))


def _derangement(findings: Findings) -> Proposal:
    if findings.lateral_shift:
        return _lateral(findings)
    preference = findings.directional_preference
    if preference == "extension":
        return _extension(findings)
    if preference == "flexion":
        return _flexion(findings)
    if preference in ("lateral_left", "lateral_right"):
        return _lateral(findings)
    return _reassess(_("no directional preference was found"))


# The direction's end-range exercise for a dysfunction.
DYSFUNCTION_EXERCISES = {
    "extension": "prone-press-up",
    "flexion": "supine-lumbar-flexion",
    "side_glide_left": "standing-side-glide",
    "side_glide_right": "standing-side-glide",
}


def _dysfunction(findings: Findings) -> Proposal:
    slug = DYSFUNCTION_EXERCISES.get(findings.dysfunction_direction)
    if slug is None:
        return _reassess(_("the direction of the dysfunction is not recorded"))
    return Proposal(
        exercises=(slug,),
        reasons=(_("the stiff direction is moved to its end range"),),
    )


def _postural(findings: Findings) -> Proposal:
    return Proposal(exercises=POSTURE, reasons=(_("posture correction"),))


def _other(findings: Findings) -> Proposal:
    if findings.other_subtype == "stenosis":
        return _flexion(findings)
    return _reassess(_("none of the three MDT syndromes"))


# One row per classification; the row reads the preference and the tests.
TABLE: dict[str, Callable[[Findings], Proposal]] = {
    "derangement": _derangement,
    "dysfunction": _dysfunction,
    "postural": _postural,
    "other": _other,
}


def propose(findings: Findings) -> Proposal:
    """The program the findings point to; a Proposal with nothing in it means reassess."""
    rule = TABLE.get(findings.classification)
    return rule(findings) if rule else _reassess(_("no classification is recorded"))
