"""rnnviz.setup: the first call of every lesson."""

import subprocess
import sys

import numpy as np
import pytest

import rnnviz


@pytest.fixture
def restore_numpy_printing():
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)


def test_setup_rounds_printed_numbers_and_seeds_numpy(restore_numpy_printing):
    # Lessons call np.random.* directly, so the legacy global generator is what must be seeded.
    rnnviz.setup(seed=3, precision=2)
    first = np.random.random(3)  # noqa: NPY002
    assert np.array2string(np.array([1 / 3, -2 / 3])) == "[ 0.33 -0.67]"
    rnnviz.setup(seed=3, precision=2)
    np.testing.assert_array_equal(np.random.random(3), first)  # noqa: NPY002


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"precision": -2}, ValueError, "precision"),
        ({"keras": "yes"}, TypeError, "keras"),
    ],
)
def test_setup_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        rnnviz.setup(**kwargs)


def test_setup_without_keras_leaves_tensorflow_unloaded():
    code = "import sys, rnnviz; rnnviz.setup(); print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_figures_display_as_png_inside_ipython():
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import rnnviz\n"
        "rnnviz.setup()\n"
        "from rnnviz import draw\n"
        "data, _ = shell.display_formatter.format(draw.draw_task('many-to-one'))\n"
        "print(data['image/png'][:4] == b'\\x89PNG')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("True"), out.stdout + out.stderr
