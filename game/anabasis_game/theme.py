"""The look of buttons, panels and text boxes (a pygame_gui theme), set in DejaVu Sans from the assets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anabasis_game.uiscale import px

FONT = "dejavu"
# The font sizes of the widgets at UI scale 1: the usual, a title, a heading.
TEXT, TITLE, HEADING = 14, 34, 18


def theme(fonts: Path, scale: float = 1.0) -> dict[str, Any]:
    """A dark, quiet theme so the map stays the brightest thing on the screen; its text grows with `scale`."""
    regular, bold = fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf"
    font: dict[str, str] = {"name": FONT, "size": str(px(TEXT, scale))}
    if regular.is_file() and bold.is_file():
        font.update(
            regular_path=str(regular), bold_path=str(bold), italic_path=str(regular), bold_italic_path=str(bold)
        )
    else:
        font = {"name": "noto_sans", "size": str(px(TEXT, scale))}
    elements = (
        "button",
        "label",
        "text_box",
        "text_entry_line",
        "drop_down_menu",
        "selection_list",
        "tool_tip",
        "check_box",
    )
    return {
        **{element: {"font": font} for element in elements},
        "defaults": {
            "colours": {
                "normal_bg": "#2b313b",
                "hovered_bg": "#3a4350",
                "disabled_bg": "#23272e",
                "selected_bg": "#44536a",
                "active_bg": "#44536a",
                "dark_bg": "#1d2128",
                "normal_text": "#ecece4",
                "hovered_text": "#ffffff",
                "selected_text": "#ffffff",
                "disabled_text": "#777c84",
                "normal_border": "#59616d",
                "hovered_border": "#9aa4b2",
                "disabled_border": "#3a3f47",
                "selected_border": "#c9d2de",
                "active_border": "#c9d2de",
                "link_text": "#9cc8ff",
                "link_hover": "#c8e0ff",
                "link_selected": "#9cc8ff",
            },
            "font": font,
            "misc": {"shape": "rounded_rectangle", "shape_corner_radius": "4", "border_width": "1"},
        },
        "text_box": {"font": font, "misc": {"padding": f"{px(8, scale)},{px(6, scale)}", "line_spacing": "1.15"}},
        "label": {"font": font, "colours": {"dark_bg": "#00000000"}},
        "#title": {"font": {**font, "size": str(px(TITLE, scale)), "bold": "1"}},
        "#heading": {"font": {**font, "size": str(px(HEADING, scale)), "bold": "1"}},
        "#end_turn": {"colours": {"normal_bg": "#2e6b3a", "hovered_bg": "#3b8a4b"}},
        "#danger": {"colours": {"normal_bg": "#7a2a2a", "hovered_bg": "#9a3636"}},
        "#option": {"colours": {"normal_bg": "#33465e", "hovered_bg": "#46607f"}},
        "#error": {"colours": {"normal_text": "#ff8a80"}},
    }
