"""The label-caching canvas draws what plain Agg draws (text may sit a pixel apart)."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import rnnviz
from rnnviz.draw import draw_cell, draw_states, draw_unrolled
from rnnviz.draw.fastagg import TextCachingCanvas


def pixels(fig, canvas_class) -> np.ndarray:
    canvas = canvas_class(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba(), dtype=float)[..., :3]


def pictures():
    trace = rnnviz.cell("LSTM", 8, 4).run(rnnviz.data.one_hot("hello"))
    yield draw_unrolled("LSTM", 50, 10, 30, return_sequences=True, return_state=True)
    yield draw_cell("LSTM", trace=trace, t=2)
    yield draw_states(trace, t=2)


def blur(image: np.ndarray, r: int = 2) -> np.ndarray:
    """Mean over (2r+1)² neighbours: a text one pixel apart blurs to nearly the same."""
    padded = np.pad(image, ((r, r), (r, r), (0, 0)), mode="edge")
    h, w = image.shape[:2]
    n = 2 * r + 1
    return sum(padded[i : i + h, j : j + w] for i in range(n) for j in range(n)) / n**2


@pytest.mark.parametrize("fig", list(pictures()))
def test_cached_text_looks_like_plain_agg(fig):
    plain = pixels(fig, FigureCanvasAgg)
    cached = pixels(fig, TextCachingCanvas)
    cached_again = pixels(fig, TextCachingCanvas)  # every label from the cache now
    np.testing.assert_array_equal(cached, cached_again)
    for text in fig.findobj(lambda a: hasattr(a, "get_text")):
        text.set_visible(False)
    no_text = pixels(fig, FigureCanvasAgg)
    assert plain.shape == cached.shape == no_text.shape
    # Away from the labels (2 px around them) the two canvases agree exactly.
    near_text = blur((np.abs(plain - no_text) + np.abs(cached - no_text)) > 0) > 0
    np.testing.assert_array_equal(plain[~near_text], cached[~near_text])
    # Near them, the labels are the same up to a pixel's shift: blurred, the difference is
    # small next to what the labels themselves contribute.
    text_weight = np.abs(blur(plain) - blur(no_text)).mean()
    assert text_weight > 1.0
    assert np.abs(blur(plain) - blur(cached)).mean() < 0.2 * text_weight


def test_widgets_import_still_works():
    from rnnviz.widgets.fastagg import TextCachingCanvas as Old

    assert Old is TextCachingCanvas
