"""LengthExplorer: a slider over the sequence lengths of a `rnnviz.training.compare` result.

Moving the slider highlights that length in the comparison picture and redraws the bars (one per
kind, its test accuracy at that length). Nothing is trained here: the explorer only reads the
`Comparison` it is given, so it needs no TensorFlow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from .._checks import check_kind
from ..draw.training import ComparisonPicture
from .base import Explorer

if TYPE_CHECKING:
    from ..training import Comparison


class LengthExplorer(Explorer):
    """The comparison picture with a `timesteps` slider over the trained lengths.

    `LengthExplorer(comparison, timesteps=5)` starts at length 5 (default: the longest).
    controls: "timesteps" (a SelectionSlider over `comparison.lengths`); `picture` is the live
    `ComparisonPicture`; `accuracy(kind)` the test accuracy shown for `kind` at that length.
    """

    _hint = "run the cell to move the slider"

    def __init__(self, comparison: Comparison, *, timesteps: int | None = None) -> None:
        self.comparison = comparison
        self.picture = ComparisonPicture(comparison, timesteps=timesteps)
        slider = w.SelectionSlider(
            options=list(comparison.lengths),
            value=self.picture.timesteps,
            description="timesteps",
            style={"description_width": "initial"},
        )
        super().__init__({"comparison": self.picture.figure}, {"timesteps": slider}, [])
        self.refresh()

    def _update(self) -> None:
        self.picture.update(timesteps=self.controls["timesteps"].value)

    def accuracy(self, kind: str) -> float:
        """The test accuracy shown for `kind` at the selected length."""
        return self.comparison.accuracy[check_kind(kind), self.picture.timesteps]

    def summary(self) -> str:
        t = self.picture.timesteps
        return (
            f"timesteps = {t}: every network must carry the first step's sign across "
            f"{t - 1} noisy steps"
        )

    def describe(self) -> str:
        return f"LengthExplorer(timesteps={self.picture.timesteps})"
