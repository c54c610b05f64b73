"""Helpers for the widget tests: value sweeps and PNG checks."""

from __future__ import annotations

import base64
import io

from PIL import Image


def spread(low: int, high: int, *, every_below: int = 8) -> list[int]:
    """All values of a small range; for a big one its ends, their neighbours and two between.

    >>> spread(1, 128)
    [1, 2, 43, 85, 127, 128]
    """
    if high - low < every_below:
        return list(range(low, high + 1))
    third = (high - low) // 3
    return sorted({low, low + 1, low + third, low + 2 * third, high - 1, high})


def assert_png(data: bytes | str) -> tuple[int, int]:
    """A real PNG (raw bytes or base64 text, as in a display bundle); returns (width, height)."""
    raw = base64.b64decode(data) if isinstance(data, str) else data
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    with Image.open(io.BytesIO(raw)) as im:
        im.load()
        assert im.width > 50 and im.height > 50
        return im.size
