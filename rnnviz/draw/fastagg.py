"""A faster Agg canvas: each label is rasterised once, then its pixels are reused.

Why: matplotlib 3.11's Agg backend lays out and rasterises every label glyph by glyph on every
draw, about a millisecond per label. A picture has a hundred labels, and a slider move changes a
handful of them. `TextCachingCanvas` keeps the bitmap of each (string, font, dpi) and pastes it,
so a redraw costs only what the new labels cost (an unrolled network: ~135 -> ~30 ms).

The bitmap is FreeType's rendering of the whole string, placed at whole pixels, which is what
matplotlib did up to 3.10: against plain Agg, text may sit one pixel apart; everything else is
identical (tests/draw/test_fastagg.py compares the two). Math text (`$...$`) and the font
features / language options of matplotlib 3.11 are not cached: those labels use plain Agg.

Every rnnviz picture's Figure gets this canvas (`style.new_figure`); `TextCachingCanvas(fig)`
gives it to any other Figure.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

MAX_LABELS = 4096  # bitmaps kept (least recently used dropped first): a few MB at most
_bitmaps: OrderedDict[tuple, tuple[np.ndarray, float, float, float]] = OrderedDict()


def _bitmap(renderer: RendererAgg, s: str, prop, antialiased: bool) -> tuple:
    """(pixels, x offset, y offset, descent) of a whole string, from the cache or FreeType."""
    key = (s, hash(prop), renderer.dpi, antialiased, get_hinting_flag())
    if key in _bitmaps:
        _bitmaps.move_to_end(key)
        return _bitmaps[key]
    font = renderer._prepare_font(prop)  # the font at this size and dpi, with fallbacks
    font.set_text(s, 0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=antialiased)
    xo, yo = font.get_bitmap_offset()
    entry = (np.array(font.get_image(), dtype=np.uint8), xo / 64, yo / 64, font.get_descent() / 64)
    _bitmaps[key] = entry
    if len(_bitmaps) > MAX_LABELS:
        _bitmaps.popitem(last=False)
    return entry


class TextCachingRenderer(RendererAgg):
    """RendererAgg whose `draw_text` pastes cached bitmaps (the colour comes from `gc`)."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s.strip():
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        image, xo, yo, descent = _bitmap(self, s, prop, bool(gc.get_antialiased()))
        # As matplotlib <= 3.10 did: y grows downwards, the bitmap's corner sits below the
        # baseline by the descent, turned with the text.
        xd = descent * math.sin(math.radians(angle))
        yd = descent * math.cos(math.radians(angle))
        self._renderer.draw_text_image(image, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc)
        return None


class TextCachingCanvas(FigureCanvasAgg):
    """FigureCanvasAgg with a TextCachingRenderer; `TextCachingCanvas(fig)` installs it."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = getattr(self, "renderer", None)
        if self._lastKey != key or not isinstance(renderer, TextCachingRenderer):
            self.renderer = TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
