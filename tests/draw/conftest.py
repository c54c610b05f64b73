import pytest
from matplotlib.figure import Figure

import rnnviz


@pytest.fixture
def texts():
    """All text strings drawn in a figure."""

    def collect(fig: Figure) -> list[str]:
        from matplotlib.text import Text

        return [t.get_text() for t in fig.findobj(Text) if t.get_visible()]

    return collect


@pytest.fixture(scope="module")
def traces():
    """One small trace per kind: batch 2, 7 timesteps, 3 features, 5 units."""
    import numpy as np

    x = np.random.default_rng(1).normal(size=(2, 7, 3))
    return {k: rnnviz.cell(k, 5, 3, seed=2).run(x) for k in rnnviz.KINDS}
