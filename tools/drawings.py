"""Make the drawings of the built-in exercises: static/exercises/drawings/<slug>.svg.

    python tools/drawings.py          (or: make drawings)

Pure Python, no downloads. Every drawing uses the same style: a stick figure with a
round head and thick black limbs (the limbs on the far side in grey), a grey floor,
black arrows for the movement, and a start and an end position side by side. Black,
white and one grey, so it prints clearly on any printer; few paths, so PDFs render
fast. The drawings of one-sided exercises show the patient's RIGHT side; for them
the script also writes <slug>-left.svg, each panel mirrored in place so that the start
stays on the left (see Exercise.illustration_for).

To change a drawing, edit its pose below and run the script again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "static" / "exercises" / "drawings"

INK = "#111"
FAR = "#8a8a8a"
FLOOR_FILL = "#dcdcdc"
FLOOR_LINE = "#555"
TRUNK = 14
LIMB = 8
HEAD = 9
PANEL = 200  # width of one panel; a drawing has one or two
MARGIN = 6  # white space around what is drawn

Point = tuple[float, float]
_OTHER_SIDE = {"left": "right", "right": "left"}


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(points: list[Point]) -> str:
    return " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in points)


@dataclass
class Pose:
    """One figure. Limbs are lists of joints, from the body outwards."""

    head: Point
    neck: Point
    hip: Point
    # A point the spine bends towards (a sagging or rounded back); None for straight.
    bend: Point | None = None
    near_arm: list[Point] = field(default_factory=list)
    far_arm: list[Point] = field(default_factory=list)
    near_leg: list[Point] = field(default_factory=list)
    far_leg: list[Point] = field(default_factory=list)
    # Extra thick lines in the trunk's ink, e.g. shoulders or pelvis seen from behind.
    girdles: list[list[Point]] = field(default_factory=list)
    # Drawn over the trunk (an arm across the body); the rest is drawn behind it.
    arm_in_front: bool = True
    # Which way the face looks (a unit vector), shown by a small nose; None when the
    # face is down or away.
    face: Point | None = None


class Drawing:
    def __init__(self, slug: str, title: str, desc: str, panels: int = 2):
        self.slug, self.title, self.desc = slug, title, desc
        self.width = PANEL * panels
        self.left = 0
        # What belongs to each panel (mirrored in place for the left side), and what
        # stands between them.
        self.panels: list[list[str]] = [[] for _ in range(panels)]
        # The highest and lowest points drawn: the picture is cropped to them, so that
        # it fills the space a page gives it.
        self.ys: list[float] = []
        self.shared: list[str] = []
        self.current = 0

    @property
    def parts(self) -> list[str]:
        return self.panels[self.current]

    # -- primitives --------------------------------------------------------------------

    def line(self, points: list[Point], width: float, color: str = INK, halo: bool = False):
        self.ys += [y for _x, y in points]
        d = "M" + _points(points)
        if halo:
            self.parts.append(
                f'<path d="{d}" fill="none" stroke="#fff" stroke-width="{_fmt(width + 5)}" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{_fmt(width)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def curve(self, start: Point, control: Point, end: Point, width: float, halo=False):
        self.ys += [start[1], (start[1] + 2 * control[1] + end[1]) / 4, end[1]]
        (x0, y0), (cx, cy), (x1, y1) = start, control, end
        d = f"M{_fmt(x0)} {_fmt(y0)} Q{_fmt(cx)} {_fmt(cy)} {_fmt(x1)} {_fmt(y1)}"
        if halo:
            self.parts.append(
                f'<path d="{d}" fill="none" stroke="#fff" stroke-width="{_fmt(width + 5)}" '
                'stroke-linecap="round"/>'
            )
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{_fmt(width)}" '
            'stroke-linecap="round"/>'
        )

    def head(self, center: Point, r: float = HEAD, face: Point | None = None):
        x, y = center
        self.ys += [y - r - 4, y + r + 4]
        if face is not None:
            fx, fy = face
            tip = (x + fx * (r + 3.5), y + fy * (r + 3.5))
            side1 = (x + fx * r * 0.7 - fy * r * 0.5, y + fy * r * 0.7 + fx * r * 0.5)
            side2 = (x + fx * r * 0.7 + fy * r * 0.5, y + fy * r * 0.7 - fx * r * 0.5)
            nose = f'<path d="M{_points([side1, tip, side2])} Z" fill="{INK}"/>'
        self.parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" fill="{INK}" '
            'stroke="#fff" stroke-width="2"/>'
        )
        if face is not None:
            self.parts.append(nose)

    def floor(self, x1: float, x2: float, y: float, depth: float = 6):
        self.ys += [y, y + depth]
        self.parts.append(
            f'<rect x="{_fmt(x1)}" y="{_fmt(y)}" width="{_fmt(x2 - x1)}" height="{_fmt(depth)}" '
            f'fill="{FLOOR_FILL}" stroke="{FLOOR_LINE}" stroke-width="1.5"/>'
        )

    def polygon(self, points: list[Point], fill: str = FLOOR_FILL, stroke: str = FLOOR_LINE):
        self.ys += [y for _x, y in points]
        self.parts.append(
            f'<path d="M{_points(points)} Z" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )

    def arrow(self, points: list[Point], width: float = 2.5):
        """A movement arrow along `points`, with its head at the last point."""
        self.line([*points[:-1], _shorten(points[-2], points[-1], 5)], width)
        (x1, y1), (x2, y2) = points[-2], points[-1]
        angle = math.atan2(y2 - y1, x2 - x1)
        size = 8
        left = (
            x2 - size * math.cos(angle - 0.45),
            y2 - size * math.sin(angle - 0.45),
        )
        right = (
            x2 - size * math.cos(angle + 0.45),
            y2 - size * math.sin(angle + 0.45),
        )
        self.parts.append(f'<path d="M{_points([(x2, y2), left, right])} Z" fill="{INK}"/>')

    def next_panel(self, y: float):
        """The chevron between the start and the end position."""
        x = PANEL
        d = f"M{_points([(x - 5, y - 9), (x + 4, y), (x - 5, y + 9)])}"
        self.shared.append(
            f'<path d="{d}" fill="none" stroke="{FAR}" stroke-width="3" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
        self.current = 1

    def figure(self, pose: Pose, dx: float = 0):
        def moved(points):
            return [(x + dx, y) for x, y in points]

        if pose.far_leg:
            self.line(moved(pose.far_leg), LIMB - 1, FAR)
        if pose.far_arm:
            self.line(moved(pose.far_arm), LIMB - 1, FAR)
        if pose.near_arm and not pose.arm_in_front:
            self.line(moved(pose.near_arm), LIMB)
        neck, hip = moved([pose.neck])[0], moved([pose.hip])[0]
        if pose.bend:
            self.curve(hip, moved([pose.bend])[0], neck, TRUNK)
        else:
            self.line([hip, neck], TRUNK)
        for girdle in pose.girdles:
            self.line(moved(girdle), TRUNK - 2)
        if pose.near_leg:
            self.line(moved(pose.near_leg), LIMB, halo=True)
        self.head(moved([pose.head])[0], face=pose.face)
        if pose.near_arm and pose.arm_in_front:
            self.line(moved(pose.near_arm), LIMB, halo=True)

    # -- output ------------------------------------------------------------------------

    def svg(self, side: str = "right") -> str:
        """The drawing, or with side="left" each panel mirrored in place."""
        slug, desc = self.slug, self.desc
        body = list(self.shared)
        for index, parts in enumerate(self.panels):
            if side == "left" and parts:
                shift = 2 * index * PANEL + PANEL
                body.append(f'<g transform="matrix(-1 0 0 1 {shift} 0)">')
                body.extend(parts)
                body.append("</g>")
            else:
                body.extend(parts)
        if side == "left":
            slug += "-left"
            desc = re.sub(r"\b(left|right)\b", lambda m: _OTHER_SIDE[m.group(1)], desc)
        body = "\n".join(body)
        top = math.floor(min(self.ys)) - MARGIN
        height = math.ceil(max(self.ys)) + MARGIN - top
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="{self.left} {top} {self.width} {height}" '
            f'width="{self.width}" height="{height}" role="img" '
            f'aria-labelledby="{slug}-title {slug}-desc">\n'
            f'<title id="{slug}-title">{self.title}</title>\n'
            f'<desc id="{slug}-desc">{desc}</desc>\n'
            f'<rect x="{self.left}" y="{top}" width="{self.width}" height="{height}" '
            'fill="#fff"/>\n'
            f"{body}\n</svg>\n"
        )


def _shorten(start: Point, end: Point, by: float) -> Point:
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1
    return (x2 - (x2 - x1) * by / length, y2 - (y2 - y1) * by / length)


# -- figures lying face down (head to the left, floor at y=100) ------------------------

FLOOR_Y = 100
LEGS_PRONE = [(92, 93), (122, 94), (151, 94), (160, 99)]


def prone_lying_pose(arms: str = "sides") -> Pose:
    near_arm = {
        "sides": [(40, 92), (62, 95), (84, 95)],
        # Elbows bent and pointing up, palms flat on the floor under the shoulders.
        "palms": [(42, 91), (57, 77), (44, 95), (36, 96)],
    }[arms]
    return Pose(
        head=(22, 89),
        neck=(37, 93),
        hip=(92, 93),
        near_arm=near_arm,
        near_leg=LEGS_PRONE,
        far_leg=[(92, 92), (121, 91), (150, 91), (158, 96)],
    )


def press_up_top_pose() -> Pose:
    """Arms straight, hands where they started, hips on the floor, the back sagging."""
    return Pose(
        head=(41, 45),
        neck=(52, 58),
        hip=(92, 93),
        bend=(80, 85),
        near_arm=[(52, 60), (47, 79), (44, 96), (36, 96)],
        near_leg=LEGS_PRONE,
        far_leg=[(92, 92), (121, 91), (150, 91), (158, 96)],
    )


def prone_lying() -> Drawing:
    d = Drawing(
        "prone-lying",
        "Prone lying",
        "A person lies face down on a mat, arms resting beside the body, head turned to one "
        "side, completely relaxed.",
    )
    # One position only: a narrower picture, so it is not lost in white space.
    d.left, d.width = 90, 220
    d.floor(106, 294, FLOOR_Y)
    d.figure(prone_lying_pose(), dx=108)
    return d


def prone_props() -> Drawing:
    d = Drawing(
        "prone-props",
        "Prone props (lying on elbows)",
        "Start lying face down; then lift the chest and rest on the forearms, elbows under "
        "the shoulders, hips staying on the mat and the lower back sagging.",
    )
    d.floor(6, 188, FLOOR_Y)
    d.figure(prone_lying_pose())
    d.next_panel(80)
    d.floor(PANEL + 6, PANEL + 188, FLOOR_Y)
    d.figure(
        Pose(
            head=(34, 57),
            neck=(46, 70),
            hip=(92, 93),
            bend=(78, 88),
            near_arm=[(47, 72), (47, 96), (20, 96)],
            near_leg=LEGS_PRONE,
            far_leg=[(92, 92), (121, 91), (150, 91), (158, 96)],
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 24, 84), (PANEL + 24, 66)])
    return d


def prone_press_up() -> Drawing:
    d = Drawing(
        "prone-press-up",
        "Prone press-up",
        "Start lying face down with the elbows bent and the palms flat on the mat under the "
        "shoulders; then straighten the arms to push the upper body up while the hips stay "
        "on the mat.",
    )
    d.floor(6, 188, FLOOR_Y)
    d.figure(prone_lying_pose(arms="palms"))
    d.next_panel(80)
    d.floor(PANEL + 6, PANEL + 188, FLOOR_Y)
    d.figure(press_up_top_pose(), dx=PANEL)
    d.arrow([(PANEL + 92, 70), (PANEL + 84, 56), (PANEL + 70, 48)])
    return d


def press_up_hips_off_centre() -> Drawing:
    d = Drawing(
        "prone-press-up-hips-off-centre",
        "Press-up with hips off-centre",
        "Seen from above: lying face down, the hips are moved to the right and the feet to "
        "the left, so the body makes a curve; then, seen from the side, the press-up is done "
        "with the hips kept there.",
    )
    # Seen from above: the mat is a rectangle, the head to the left, the patient's
    # right side at the top.
    d.polygon([(6, 14), (188, 14), (188, 106), (6, 106)])
    top = Pose(
        head=(22, 60),
        neck=(36, 60),
        hip=(90, 44),
        bend=(70, 62),
        near_arm=[(38, 72), (52, 84), (38, 86)],
        far_arm=[],
        girdles=[[(38, 48), (38, 72)], [(90, 36), (90, 52)]],
        near_leg=[(90, 51), (120, 64), (150, 80), (160, 82)],
        far_leg=[],
        arm_in_front=True,
    )
    d.figure(top)
    d.line([(38, 48), (52, 36), (38, 34)], LIMB, halo=True)
    d.line([(90, 37), (120, 50), (150, 66), (160, 67)], LIMB, halo=True)
    d.arrow([(90, 30), (90, 19)])
    d.arrow([(166, 84), (166, 99)])
    d.next_panel(60)
    d.floor(PANEL + 6, PANEL + 188, FLOOR_Y)
    d.figure(press_up_top_pose(), dx=PANEL)
    d.arrow([(PANEL + 92, 70), (PANEL + 84, 56), (PANEL + 70, 48)])
    return d


def press_up_sustained() -> Drawing:
    d = Drawing(
        "prone-press-up-sustained",
        "Press-up with sag and breath out",
        "At the top of the press-up, arms straight and hips on the mat; then, breathing out, "
        "the lower back and belly sink further towards the mat while the arms stay straight.",
    )
    d.floor(6, 188, FLOOR_Y)
    d.figure(press_up_top_pose())
    d.next_panel(70)
    d.floor(PANEL + 6, PANEL + 188, FLOOR_Y)
    sagging = press_up_top_pose()
    sagging.head, sagging.neck, sagging.bend = (39, 41), (50, 54), (84, 98)
    sagging.near_arm = [(50, 56), (46, 77), (44, 96), (36, 96)]
    d.figure(sagging, dx=PANEL)
    # The sag: the lower back sinks towards the mat.
    d.arrow([(PANEL + 80, 62), (PANEL + 80, 80)])
    return d


# -- standing and sitting (side view facing left, floor at y=140) ----------------------

GROUND = 140
LEGS_STANDING = [(100, 82), (100, 111), (100, 138), (88, 139)]


def standing_lumbar_extension() -> Drawing:
    d = Drawing(
        "standing-lumbar-extension",
        "Standing lumbar extension",
        "Start standing upright with both hands on the lower back; then bend backwards over "
        "the hands and come back up.",
    )
    d.floor(30, 170, GROUND)
    d.figure(
        Pose(
            head=(99, 27),
            neck=(100, 42),
            hip=(100, 82),
            near_arm=[(100, 45), (116, 62), (108, 80)],
            near_leg=LEGS_STANDING,
            face=(-1, 0),
            far_leg=[(101, 82), (103, 111), (104, 138), (92, 139)],
        )
    )
    d.next_panel(80)
    d.floor(PANEL + 30, PANEL + 170, GROUND)
    d.figure(
        Pose(
            head=(126, 34),
            neck=(118, 47),
            hip=(96, 83),
            bend=(100, 58),
            near_arm=[(117, 50), (132, 66), (110, 80)],
            near_leg=[(96, 83), (98, 111), (100, 138), (88, 139)],
            face=(-0.5, -0.87),
            far_leg=[(97, 83), (102, 111), (104, 138), (92, 139)],
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 112, 22), (PANEL + 128, 14), (PANEL + 140, 22)])
    return d


def standing_lumbar_flexion() -> Drawing:
    d = Drawing(
        "standing-lumbar-flexion",
        "Standing forward bend",
        "Start standing upright, arms by the sides; then let the upper body fold forward "
        "with the arms hanging down towards the floor.",
    )
    d.floor(30, 170, GROUND)
    d.figure(
        Pose(
            head=(99, 27),
            neck=(100, 42),
            hip=(100, 82),
            near_arm=[(100, 45), (101, 66), (102, 86)],
            near_leg=LEGS_STANDING,
            face=(-1, 0),
            far_leg=[(101, 82), (103, 111), (104, 138), (92, 139)],
        )
    )
    d.next_panel(80)
    d.floor(PANEL + 30, PANEL + 170, GROUND)
    d.figure(
        Pose(
            head=(68, 116),
            neck=(76, 102),
            hip=(108, 80),
            bend=(86, 76),
            near_arm=[(78, 102), (77, 120), (78, 134)],
            near_leg=[(108, 80), (104, 110), (100, 138), (88, 139)],
            face=(0.2, 1),
            far_leg=[(109, 80), (107, 110), (104, 138), (92, 139)],
            arm_in_front=True,
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 80, 50), (PANEL + 62, 62), (PANEL + 56, 82)])
    return d


def _chair(d: Drawing, dx: float = 0):
    d.line([(dx + 86, 96), (dx + 128, 96)], 5, FLOOR_LINE)
    d.line([(dx + 126, 96), (dx + 130, 52)], 5, FLOOR_LINE)
    d.line([(dx + 90, 96), (dx + 90, GROUND)], 4, FLOOR_LINE)
    d.line([(dx + 124, 96), (dx + 124, GROUND)], 4, FLOOR_LINE)


def seated_lumbar_flexion() -> Drawing:
    d = Drawing(
        "seated-lumbar-flexion",
        "Seated forward bend",
        "Start sitting upright on a chair, feet flat and apart, hands on the thighs; then "
        "bend forward so the upper body folds down between the knees and hold the ankles.",
    )
    d.floor(30, 170, GROUND)
    _chair(d)
    d.figure(
        Pose(
            head=(110, 37),
            neck=(112, 51),
            hip=(114, 89),
            near_arm=[(112, 54), (108, 74), (92, 84)],
            near_leg=[(114, 89), (80, 89), (78, 138), (66, 139)],
            far_leg=[(114, 87), (82, 86), (84, 138), (72, 139)],
            face=(-1, 0),
        )
    )
    d.next_panel(80)
    d.floor(PANEL + 30, PANEL + 170, GROUND)
    _chair(d, PANEL)
    d.figure(
        Pose(
            head=(88, 124),
            neck=(93, 111),
            hip=(116, 88),
            bend=(100, 74),
            near_arm=[(93, 113), (90, 126), (81, 134)],
            face=(-0.3, 1),
            near_leg=[(116, 89), (80, 89), (78, 138), (66, 139)],
            far_leg=[(116, 87), (82, 86), (84, 138), (72, 139)],
            arm_in_front=False,
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 106, 36), (PANEL + 82, 48), (PANEL + 70, 72)])
    return d


def sitting_lumbar_roll() -> Drawing:
    d = Drawing(
        "sitting-lumbar-roll",
        "Sitting with a lumbar roll",
        "Sitting upright, right back on a chair, with a small roll between the small of the "
        "back and the backrest, so that the lower back keeps a gentle inward curve.",
        panels=1,
    )
    d.floor(30, 170, GROUND)
    _chair(d)
    d.figure(
        Pose(
            head=(116, 35),
            neck=(117, 49),
            hip=(119, 89),
            bend=(111, 70),
            near_arm=[(117, 52), (104, 70), (90, 84)],
            near_leg=[(119, 89), (82, 89), (80, 138), (68, 139)],
            far_leg=[(119, 87), (84, 86), (86, 138), (74, 139)],
            face=(-1, 0),
        )
    )
    # The roll, behind the small of the back.
    d.ys += [71, 83]
    d.parts.append(
        f'<circle cx="125" cy="77" r="6" fill="{FLOOR_FILL}" stroke="{INK}" stroke-width="2"/>'
    )
    return d


def _stool(d: Drawing, dx: float = 0):
    d.line([(dx + 90, 96), (dx + 128, 96)], 5, FLOOR_LINE)
    d.line([(dx + 94, 96), (dx + 94, GROUND)], 4, FLOOR_LINE)
    d.line([(dx + 124, 96), (dx + 124, GROUND)], 4, FLOOR_LINE)


def slouch_overcorrect() -> Drawing:
    d = Drawing(
        "slouch-overcorrect",
        "Slouch-overcorrect",
        "Sitting on a stool: first slumped, the lower back rounded and the head dropped "
        "forward; then sitting up as tall as possible with the lower back drawn in and the "
        "head level.",
    )
    legs = {
        "near_leg": [(116, 89), (80, 89), (78, 138), (66, 139)],
        "far_leg": [(116, 87), (82, 86), (84, 138), (72, 139)],
    }
    d.floor(30, 170, GROUND)
    _stool(d)
    d.figure(
        Pose(
            head=(100, 48),
            neck=(108, 60),
            hip=(118, 90),
            bend=(126, 70),
            near_arm=[(108, 62), (100, 78), (90, 86)],
            face=(-0.7, 0.7),
            **legs,
        )
    )
    d.next_panel(80)
    d.floor(PANEL + 30, PANEL + 170, GROUND)
    _stool(d, PANEL)
    d.figure(
        Pose(
            head=(114, 31),
            neck=(115, 45),
            hip=(116, 89),
            bend=(106, 68),
            near_arm=[(115, 48), (110, 70), (94, 84)],
            face=(-1, 0),
            **legs,
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 138, 60), (PANEL + 138, 40), (PANEL + 128, 28)])
    return d


def supine_lumbar_flexion() -> Drawing:
    d = Drawing(
        "supine-lumbar-flexion",
        "Knees to chest",
        "Start lying on the back with the knees bent and the feet flat; then bring both knees "
        "up towards the chest and hold them there with the hands.",
    )
    d.floor(6, 188, FLOOR_Y)
    d.figure(
        Pose(
            head=(22, 89),
            neck=(37, 93),
            hip=(92, 93),
            near_arm=[(40, 93), (62, 95), (84, 95)],
            near_leg=[(92, 93), (116, 70), (138, 96), (150, 96)],
            far_leg=[(92, 92), (118, 69), (142, 96), (154, 96)],
            face=(0, -1),
        )
    )
    d.next_panel(80)
    d.floor(PANEL + 6, PANEL + 188, FLOOR_Y)
    d.figure(
        Pose(
            head=(22, 89),
            neck=(37, 93),
            hip=(92, 93),
            near_arm=[(40, 92), (56, 82), (72, 68)],
            near_leg=[(92, 93), (70, 71), (95, 71), (101, 65)],
            far_leg=[(92, 92), (73, 69), (98, 69), (104, 63)],
            face=(0, -1),
        ),
        dx=PANEL,
    )
    d.arrow([(PANEL + 130, 70), (PANEL + 120, 46), (PANEL + 98, 40)])
    return d


# -- the standing side glide, seen from behind ----------------------------------------


def _wall(d: Drawing, dx: float):
    x = dx + 172
    d.polygon([(x, 8), (x + 14, 8), (x + 14, GROUND), (x, GROUND)], fill=FLOOR_FILL)


def standing_side_glide() -> Drawing:
    d = Drawing(
        "standing-side-glide",
        "Standing side glide",
        "Seen from behind: stand with the right side towards a wall, feet together, the right "
        "shoulder leaning on the wall and that elbow tucked in; then the left hand pushes the "
        "hips sideways towards the wall.",
    )
    d.floor(60, 172, GROUND)
    _wall(d, 0)
    # Start: the whole body leans over so the right shoulder rests on the wall.
    d.figure(
        Pose(
            head=(150, 27),
            neck=(151, 42),
            hip=(140, 85),
            girdles=[[(137, 43), (163, 47)], [(133, 87), (148, 85)]],
            near_arm=[(137, 44), (123, 64), (133, 86)],
            far_arm=[],
            near_leg=[(133, 87), (129, 112), (126, 138), (116, 139)],
            far_leg=[],
        )
    )
    d.line([(163, 47), (158, 68)], LIMB, halo=True)
    d.line([(148, 85), (142, 112), (136, 138), (146, 139)], LIMB, halo=True)
    d.next_panel(80)
    d.floor(PANEL + 60, PANEL + 172, GROUND)
    _wall(d, PANEL)
    # End: the shoulder stays on the wall and the hips glide towards it.
    d.figure(
        Pose(
            head=(146, 27),
            neck=(149, 42),
            hip=(158, 86),
            bend=(144, 66),
            girdles=[[(135, 45), (162, 45)], [(151, 88), (165, 86)]],
            near_arm=[(135, 46), (128, 68), (150, 88)],
            near_leg=[(151, 88), (138, 113), (126, 138), (116, 139)],
        ),
        dx=PANEL,
    )
    d.line([(PANEL + 162, 46), (PANEL + 160, 68)], LIMB, halo=True)
    d.line(
        [(PANEL + 165, 86), (PANEL + 148, 113), (PANEL + 136, 138), (PANEL + 146, 139)],
        LIMB,
        halo=True,
    )
    d.arrow([(PANEL + 112, 98), (PANEL + 142, 98)])
    return d


# -- flexion rotation: lying on the right side, seen from above -------------------------
# Seen from the ceiling, as the press-up with hips off-centre: the head to the left, the
# patient's front towards the bottom of the picture. The shoulders, stacked at the start
# (a short line), lie flat at the end (a long line across the body): that is the turn.


def _flexion_rotation_legs(d: Drawing, dx: float):
    # Bottom leg straight along the mat (underneath, grey); top leg bent, its knee
    # forward and its foot hooked behind the bottom knee.
    d.line([(dx + 100, 62), (dx + 134, 63), (dx + 166, 63), (dx + 170, 72)], LIMB - 1, FAR)
    d.line([(dx + 100, 58), (dx + 124, 86), (dx + 138, 58), (dx + 142, 52)], LIMB, halo=True)
    d.line([(dx + 100, 50), (dx + 100, 70)], TRUNK - 2)  # the pelvis, stacked: stays put


def flexion_rotation() -> Drawing:
    d = Drawing(
        "flexion-rotation",
        "Flexion rotation stretch",
        "Seen from above: lying on the right side, the bottom leg straight and the top foot "
        "hooked behind the bottom knee, the top hand on the shoulder blade; then the upper "
        "body turns so that the top shoulder goes back and down to the mat and the chest "
        "faces the ceiling, while the hips and legs stay where they are.",
    )
    d.polygon([(6, 14), (188, 14), (188, 106), (6, 106)])
    _flexion_rotation_legs(d, 0)
    # Start: shoulders stacked, the bottom arm forward on the mat, the top hand on the
    # shoulder blade, the face towards the front.
    d.line([(40, 62), (44, 84), (30, 92)], LIMB - 1, FAR)
    d.line([(100, 60), (40, 60)], TRUNK)
    d.line([(40, 54), (40, 66)], TRUNK - 2)
    d.head((24, 60), face=(0, 1))
    d.line([(40, 56), (58, 40), (56, 56)], LIMB, halo=True)
    d.next_panel(60)
    # End: the top shoulder has gone back to the mat, the shoulders lie across the body,
    # the chest faces up and the head turns with it.
    dx = PANEL
    d.polygon([(dx + 6, 14), (dx + 188, 14), (dx + 188, 106), (dx + 6, 106)])
    _flexion_rotation_legs(d, dx)
    d.line([(dx + 40, 66), (dx + 44, 86), (dx + 30, 94)], LIMB - 1, FAR)
    d.line([(dx + 100, 60), (dx + 40, 60)], TRUNK)
    d.line([(dx + 40, 30), (dx + 40, 68)], TRUNK - 2)
    d.head((dx + 24, 58), face=(-0.2, -1))
    d.line([(dx + 40, 32), (dx + 58, 22), (dx + 54, 42)], LIMB, halo=True)
    # The turn: the top shoulder from above the spine back to the mat.
    d.arrow([(dx + 72, 50), (dx + 74, 38), (dx + 66, 28)])
    return d


DRAWINGS = [
    prone_lying,
    prone_props,
    prone_press_up,
    press_up_hips_off_centre,
    press_up_sustained,
    standing_side_glide,
    flexion_rotation,
    standing_lumbar_extension,
    supine_lumbar_flexion,
    seated_lumbar_flexion,
    standing_lumbar_flexion,
    sitting_lumbar_roll,
    slouch_overcorrect,
]


# Done to one side: these also get a drawing for the left side.
SIDED = {"prone-press-up-hips-off-centre", "standing-side-glide", "flexion-rotation"}


def files() -> dict[str, str]:
    """Every drawing file by name, with its content."""
    made = {}
    for make in DRAWINGS:
        drawing = make()
        made[f"{drawing.slug}.svg"] = drawing.svg()
        if drawing.slug in SIDED:
            made[f"{drawing.slug}-left.svg"] = drawing.svg(side="left")
    return made


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in files().items():
        (OUT / name).write_text(content)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
