"""Draw the portal's app icons (static/portal/icons/) with Pillow: `python tools/icons.py`.

A white "C" arc with a dot, on the portal's teal; the maskable icon keeps the mark
inside the central safe zone so a phone may crop it to any shape.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "portal" / "icons"
TEAL = (15, 94, 102)  # --c-primary
WHITE = (255, 255, 255)


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), TEAL)
    pen = ImageDraw.Draw(image)
    mark = 0.5 if maskable else 0.68  # the share of the icon the mark spans
    box = big * (1 - mark) / 2
    width = int(big * mark * 0.16)
    pen.arc((box, box, big - box, big - box), start=45, end=315, fill=WHITE, width=width)
    dot = big * mark * 0.09
    centre = big / 2
    pen.ellipse((centre - dot, centre - dot, centre + dot, centre + dot), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
