"""`import rnnviz` and `import rnnviz.widgets` stay light: no TensorFlow, no Keras.

Each check runs in a fresh interpreter, since this test process may already hold TensorFlow.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("tensorflow", "keras", "tf_keras", "jax", "torch")

PROBE = """
import json, sys, time
start = time.perf_counter()
import {module}
seconds = time.perf_counter() - start
{after}
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps({{"seconds": seconds, "heavy": heavy}}))
"""


def _probe(module: str, after: str = "") -> dict:
    code = PROBE.format(module=module, after=after, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["rnnviz", "rnnviz.widgets"])
def test_import_loads_no_tensorflow_or_keras(module):
    assert _probe(module)["heavy"] == []


def test_using_the_numpy_core_loads_no_tensorflow():
    after = (
        "rnnviz.setup()\n"
        "c = rnnviz.cell('LSTM', 3, 2, return_sequences=True)\n"
        "c.run([[0.0, 1.0], [1.0, 0.0]])\n"
        "rnnviz.output_shapes('GRU', 50, 10, 30); rnnviz.param_count('LSTM', 50, 30).formula\n"
        "import rnnviz.data; rnnviz.data.one_hot('hello')"
    )
    assert _probe("rnnviz", after)["heavy"] == []


def test_import_rnnviz_is_quick():
    # The target is well under a second (benchmarks/bench_cells.py prints the figure); this
    # generous bound only catches an accidental heavy import on a busy machine.
    assert _probe("rnnviz")["seconds"] < 3.0
