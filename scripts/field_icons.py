"""Draw the field app's icons (社工外勤): 192 and 512 px, and a maskable 512 px whose drawing keeps
inside the central safe circle (80 %). Run once; the PNGs are committed as the project's own.

    python scripts/field_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "src/shegong/field/static/field/icons"
BLUE = (10, 88, 173)  # the platform's primary colour (static/shegong/app.css)
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


def draw(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), BLUE + (255,) if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    inner = 0.62 if maskable else 0.78  # maskable: within the 80 % safe zone
    box = big * inner
    left = (big - box) / 2
    # A map pin (the visit on the spot) ...
    cx, top = big / 2, left
    radius = box * 0.36
    pen.ellipse((cx - radius, top, cx + radius, top + 2 * radius), fill="white")
    pen.polygon(
        [(cx - radius * 0.82, top + radius * 1.55), (cx + radius * 0.82, top + radius * 1.55),
         (cx, top + box * 0.98)],
        fill="white",
    )  # fmt: skip
    # ... with 社 inside it.
    font = ImageFont.truetype(FONT, int(radius * 1.25), index=0)
    pen.text((cx, top + radius), "社", font=font, fill=BLUE, anchor="mm")
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
