"""A faster Agg canvas for live pictures: each label's pixels are rendered once, then reused.

Why: matplotlib 3.11's Agg backend shapes and rasterises every label glyph by glyph on every draw,
about a millisecond per label, and a picture with a hundred labels spends most of its redraw time
there. A slider move changes a handful of labels; the others are the same strings in the same
fonts. `TextCachingCanvas` keeps the rendered bitmap of each (string, font, dpi) and pastes it, so
a redraw costs what the changed labels cost. The pixels are those of FreeType's whole-string
rendering (the approach of matplotlib up to 3.10), at whole-pixel positions.

Use: `TextCachingCanvas(figure)` (replaces the figure's canvas); `print_png` works as usual.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

_MAX_ENTRIES = 4096
_cache: OrderedDict[tuple, tuple[np.ndarray, float, float, float]] = OrderedDict()


class _TextCachingRenderer(RendererAgg):
    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not s.strip():
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        antialiased = bool(gc.get_antialiased())
        key = (s, hash(prop), self.dpi, antialiased, get_hinting_flag())
        entry = _cache.get(key)
        if entry is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=antialiased)
            image = np.array(font.get_image(), dtype=np.uint8)
            xo, yo = font.get_bitmap_offset()
            entry = (image, xo / 64.0, yo / 64.0, font.get_descent() / 64.0)
            _cache[key] = entry
            if len(_cache) > _MAX_ENTRIES:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(key)
        image, xo, yo, descent = entry
        # y is downwards here; draw_text_image wants the bottom-left corner of the bitmap.
        xd = descent * math.sin(math.radians(angle))
        yd = descent * math.cos(math.radians(angle))
        self._renderer.draw_text_image(image, round(x + xo + xd), round(y + yo + yd) + 1, angle, gc)
        return None


class TextCachingCanvas(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer reuses each label's bitmap between draws."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = getattr(self, "renderer", None)
        if getattr(self, "_lastKey", None) != key or not isinstance(renderer, _TextCachingRenderer):
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
