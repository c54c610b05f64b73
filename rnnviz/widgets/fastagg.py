"""Moved to `rnnviz.draw.fastagg` (every picture uses it now); kept so old imports work."""

from ..draw.fastagg import TextCachingCanvas, TextCachingRenderer

__all__ = ["TextCachingCanvas", "TextCachingRenderer"]
