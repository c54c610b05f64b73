"""An automated look at a picture: text that runs off the figure or overlaps other text.

Used by the tests and the gallery. A picture passes when every visible, non-empty Text lies inside
the figure and no two such texts overlap (a 1-pixel tolerance absorbs anti-aliasing).
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .style import to_png


def visible_texts(fig: Figure) -> list[Text]:
    """Every Text that is drawn and says something (tick labels included)."""
    found = []
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        if artist.axes is not None and not artist.axes.get_visible():
            continue
        found.append(artist)
    return found


def _runs_off(bb: Bbox, frame: Bbox, tolerance: float) -> bool:
    """Whether `bb` reaches past any edge of `frame` by more than `tolerance` pixels."""
    return (
        bb.x0 < frame.x0 - tolerance
        or bb.y0 < frame.y0 - tolerance
        or bb.x1 > frame.x1 + tolerance
        or bb.y1 > frame.y1 + tolerance
    )


def layout_problems(fig: Figure, *, tolerance: float = 1.0) -> list[str]:
    """Texts outside the figure, texts overlapping each other, patches off the figure.

    Returns human-readable problems (empty when the picture is clean). Renders the figure once.
    """
    to_png(fig)  # lay out and draw, so every extent is final
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    problems: list[str] = []
    boxes: list[tuple[Text, Bbox]] = []
    for t in visible_texts(fig):
        bb = t.get_window_extent(renderer)
        if _runs_off(bb, frame, tolerance):
            problems.append(f"text {t.get_text()!r} runs off the figure: {_fmt(bb)}")
        boxes.append((t, bb))
    for i, (ti, bi) in enumerate(boxes):
        for tj, bj in boxes[i + 1 :]:
            overlap_x = min(bi.x1, bj.x1) - max(bi.x0, bj.x0)
            overlap_y = min(bi.y1, bj.y1) - max(bi.y0, bj.y0)
            if overlap_x > tolerance and overlap_y > tolerance:
                problems.append(f"texts {ti.get_text()!r} and {tj.get_text()!r} overlap")
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for patch in ax.patches:
            if not isinstance(patch, Patch) or not patch.get_visible():
                continue
            bb = patch.get_window_extent(renderer)
            if _runs_off(bb, frame, tolerance):
                problems.append(f"{type(patch).__name__} runs off the figure: {_fmt(bb)}")
    return problems


def _fmt(bb: Bbox) -> str:
    return f"x {bb.x0:.0f}..{bb.x1:.0f}, y {bb.y0:.0f}..{bb.y1:.0f} px"
