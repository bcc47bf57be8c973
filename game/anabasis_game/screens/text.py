"""Lines of (style, text) from `game.describe` as the HTML subset pygame_gui text boxes draw."""

from __future__ import annotations

import html

from anabasis_game.describe import Line
from anabasis_game.uiscale import px

TITLE = 18  # px at UI scale 1: a title line's text
STYLES = {
    "title": ("<font pixel_size={title}><b>", "</b></font>"),
    "head": ("<b>", "</b>"),
    "text": ("", ""),
    "dim": ("<font color='#aab2be'>", "</font>"),
    "good": ("<font color='#9be39f'>", "</font>"),
    "bad": ("<font color='#ff9a8f'>", "</font>"),
    "warn": ("<font color='#ffd27f'>", "</font>"),
}


def to_html(lines: list[Line], scale: float = 1.0) -> str:
    """Join lines into one block of text-box HTML, escaping what the player's data says; titles grow with the UI
    `scale` as the theme's text does."""
    out = []
    for style, text in lines:
        start, end = STYLES.get(style, ("", ""))
        out.append(f"{start.format(title=px(TITLE, scale))}{html.escape(text, quote=False)}{end}")
    return "<br>".join(out)


def markdown_html(text: str) -> str:
    """The little Markdown the help uses (headings, paragraphs, bullets, `keys`, **bold**) as text-box HTML."""
    blocks: list[tuple[str, str]] = []  # (kind, text); a wrapped line continues the block before it
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            blocks.append(("gap", ""))
        elif line.startswith("## "):
            blocks.append(("h2", line[3:]))
        elif line.startswith("# "):
            blocks.append(("h1", line[2:]))
        elif line.startswith("- "):
            blocks.append(("item", line[2:]))
        elif blocks and blocks[-1][0] in ("item", "para"):
            blocks[-1] = (blocks[-1][0], f"{blocks[-1][1]} {line}")
        else:
            blocks.append(("para", line))
    out: list[str] = []
    for kind, body in blocks:
        html_body = _pairs(_pairs(html.escape(body, quote=False), "**", "<b>", "</b>"), "`", "<b>", "</b>")
        if kind == "h1":
            out.append(f"<font size=5><b>{html_body}</b></font>")
        elif kind == "h2":
            out.append(f"<font size=4.5><b>{html_body}</b></font>")
        elif kind == "item":
            out.append(f"  •  {html_body}")
        elif kind == "para":
            out.append(html_body)
        elif out and out[-1]:
            out.append("")
    return "<br>".join(out)


def _pairs(line: str, mark: str, start: str, end: str) -> str:
    parts = line.split(mark)
    if len(parts) < 3 or len(parts) % 2 == 0:
        return line
    return "".join(p if k % 2 == 0 else f"{start}{p}{end}" for k, p in enumerate(parts))
