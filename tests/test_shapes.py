"""Shape and parameter-count rules (no TensorFlow): internal truth and clear errors.

Parity of these rules with real Keras layers is in test_parity_keras.py; the figures the seed
notebooks print are in test_seed_figures.py.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnnviz

KINDS = ("SimpleRNN", "LSTM", "GRU")
BAD_SIZES = [0, -1, 2.5, True, "3"]


def _eval_formula(text: str, **names: int) -> int:
    """Evaluate a displayed formula such as '4 × (50·(30+50) + 50)' or '3 × (h·(h+i) + 2h)'."""
    expr = text.replace("×", "*").replace("·", "*").replace(",", "")
    expr = re.sub(r"(\d)([a-z])", r"\1*\2", expr)  # 2h -> 2*h
    assert re.fullmatch(r"[\d\shi+*()]+", expr), expr
    return eval(expr, {"__builtins__": {}}, names)


@given(
    kind=st.sampled_from(KINDS),
    units=st.integers(1, 300),
    input_dim=st.integers(1, 300),
    use_bias=st.booleans(),
    reset_after=st.booleans(),
)
def test_param_count_pieces_formula_and_symbolic_agree(
    kind, units, input_dim, use_bias, reset_after
):
    pc = rnnviz.param_count(kind, units, input_dim, use_bias=use_bias, reset_after=reset_after)
    pieces = [pc.kernel, pc.recurrent_kernel] + ([pc.bias] if pc.bias is not None else [])
    assert pc.total == sum(math.prod(shape) for shape in pieces)
    assert rnnviz.count_params(
        kind, units, input_dim, use_bias=use_bias, reset_after=reset_after
    ) == (pc.total)
    # The formula shown to learners is arithmetic that really gives the total.
    body, total = pc.formula.rsplit(" = ", 1)
    assert int(total.replace(",", "")) == pc.total
    assert _eval_formula(body) == pc.total
    assert str(pc) == pc.formula
    assert rnnviz.param_formula(
        kind, units, input_dim, use_bias=use_bias, reset_after=reset_after
    ) == (pc.formula)
    assert _eval_formula(pc.symbolic, h=units, i=input_dim) == pc.total
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    assert pc.kernel == (input_dim, gates * units)
    assert pc.recurrent_kernel == (units, gates * units)
    two_rows = kind == "GRU" and reset_after
    assert pc.bias == (None if not use_bias else (2, 3 * units) if two_rows else (gates * units,))


def test_formulas_read_as_documented():
    assert rnnviz.param_formula("LSTM", 50, 30) == "4 × (50·(30+50) + 50) = 16,200"
    assert rnnviz.param_formula("GRU", 50, 30) == "3 × (50·(30+50) + 2·50) = 12,300"
    assert (
        rnnviz.param_formula("GRU", 50, 30, reset_after=False) == "3 × (50·(30+50) + 50) = 12,150"
    )
    assert rnnviz.param_formula("SimpleRNN", 2, 4) == "2·(4+2) + 2 = 14"
    assert rnnviz.param_count("SimpleRNN", 3, 1).symbolic == "h·(h+i) + h"
    assert rnnviz.param_count("GRU", 3, 1, use_bias=False).symbolic == "3 × h·(h+i)"


@given(
    kind=st.sampled_from(KINDS),
    units=st.integers(1, 500),
    timesteps=st.none() | st.integers(1, 500),
    input_dim=st.integers(1, 500),
    batch=st.none() | st.integers(1, 500),
    return_sequences=st.booleans(),
    return_state=st.booleans(),
)
def test_output_shapes_structure(
    kind, units, timesteps, input_dim, batch, return_sequences, return_state
):
    shapes = rnnviz.output_shapes(
        kind,
        units,
        timesteps,
        input_dim,
        batch=batch,
        return_sequences=return_sequences,
        return_state=return_state,
    )
    states = rnnviz.STATE_NAMES[kind] if return_state else ()
    assert list(shapes) == ["output", *states]
    assert shapes["output"][0] == batch and shapes["output"][-1] == units
    assert shapes["output"] == ((batch, timesteps, units) if return_sequences else (batch, units))
    for name in states:
        assert shapes[name] == (batch, units)


def test_kind_is_case_insensitive_and_canonical():
    for spelling in ("lstm", "Lstm", " LSTM "):
        assert rnnviz.param_count(spelling, 2, 2).kind == "LSTM"
    assert list(rnnviz.output_shapes("simplernn", 2, 3, 4, return_state=True)) == [
        "output",
        "hidden_state",
    ]
    assert rnnviz.count_params("gru", 2, 2) == rnnviz.count_params("GRU", 2, 2)
    assert rnnviz.KINDS == KINDS


@pytest.mark.parametrize("shape, text", [((None, 10, 50), "(None, 10, 50)"), ((None,), "(None,)"),
                                         ([3, 2], "(3, 2)")])  # fmt: skip
def test_format_shape(shape, text):
    assert rnnviz.format_shape(shape) == text


def test_format_shape_of_numpy_sizes_and_bad_shapes():
    assert rnnviz.format_shape(np.zeros((3, 5, 4)).shape) == "(3, 5, 4)"
    assert rnnviz.format_shape((None, np.int64(10))) == "(None, 10)"
    for bad in (3, "abc", None):
        with pytest.raises(TypeError, match=rf"shape.*{re.escape(repr(bad))}"):
            rnnviz.format_shape(bad)
    with pytest.raises(ValueError, match=r"shape\[1\].*-1"):
        rnnviz.format_shape((None, -1))
    with pytest.raises(TypeError, match=r"shape\[0\].*2\.5"):
        rnnviz.format_shape((2.5, 3))


# ---------------------------------------------------------------- bad input

SIZE_CALLS = {
    "output_shapes": lambda **kw: rnnviz.output_shapes(
        "LSTM",
        kw.get("units", 2),
        kw.get("timesteps", 3),
        kw.get("input_dim", 4),
        batch=kw.get("batch"),
    ),
    "count_params": lambda **kw: rnnviz.count_params(
        "GRU", kw.get("units", 2), kw.get("input_dim", 4)
    ),
    "param_count": lambda **kw: rnnviz.param_count(
        "SimpleRNN", kw.get("units", 2), kw.get("input_dim", 4)
    ),
    "param_formula": lambda **kw: rnnviz.param_formula(
        "LSTM", kw.get("units", 2), kw.get("input_dim", 4)
    ),
}
SIZE_ARGS = {
    "output_shapes": ("units", "timesteps", "input_dim", "batch"),
    "count_params": ("units", "input_dim"),
    "param_count": ("units", "input_dim"),
    "param_formula": ("units", "input_dim"),
}


@pytest.mark.parametrize("bad", BAD_SIZES, ids=repr)
@pytest.mark.parametrize(
    "func, arg", [(f, a) for f, args in SIZE_ARGS.items() for a in args], ids="-".join
)
def test_bad_sizes_name_the_argument_and_value(func, arg, bad):
    with pytest.raises((TypeError, ValueError)) as info:
        SIZE_CALLS[func](**{arg: bad})
    message = str(info.value)
    assert arg in message and repr(bad) in message
    assert type(info.value) is (ValueError if bad in (0, -1) else TypeError)


def test_none_only_where_keras_allows_unknown_sizes():
    assert rnnviz.output_shapes("GRU", 2, None, 4)["output"] == (None, 2)
    for arg in ("units", "input_dim"):
        with pytest.raises(TypeError, match=arg):
            SIZE_CALLS["output_shapes"](**{arg: None})
    with pytest.raises(TypeError, match="units"):
        rnnviz.count_params("LSTM", None, 3)


@pytest.mark.parametrize("kind", ["RNN", "Dense", "", "lstm2", None, 3, ["LSTM"]], ids=repr)
def test_unknown_kind_lists_the_three(kind):
    calls = [
        lambda: rnnviz.output_shapes(kind, 2, 3, 4),
        lambda: rnnviz.count_params(kind, 2, 4),
        lambda: rnnviz.param_count(kind, 2, 4),
        lambda: rnnviz.param_formula(kind, 2, 4),
        lambda: rnnviz.cell(kind, 2, 4),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="kind") as info:
            call()
        message = str(info.value)
        assert all(name in message for name in KINDS) and repr(kind) in message


@pytest.mark.parametrize("bad", [1, 0, "yes", None, "True"], ids=repr)
def test_flags_must_be_booleans(bad):
    with pytest.raises(TypeError, match=rf"return_sequences.*{re.escape(repr(bad))}"):
        rnnviz.output_shapes("LSTM", 2, 3, 4, return_sequences=bad)
    with pytest.raises(TypeError, match=rf"return_state.*{re.escape(repr(bad))}"):
        rnnviz.output_shapes("LSTM", 2, 3, 4, return_state=bad)
    with pytest.raises(TypeError, match="use_bias"):
        rnnviz.count_params("LSTM", 2, 4, use_bias=bad)
    with pytest.raises(TypeError, match="reset_after"):
        rnnviz.count_params("GRU", 2, 4, reset_after=bad)


@pytest.mark.parametrize("module", ["rnnviz.shapes", "rnnviz.data", "rnnviz.cells"])
def test_docstring_examples_are_true(module):
    import doctest
    import importlib

    # numpy's default print options (another test may have called rnnviz.setup()).
    with np.printoptions(precision=8, suppress=False, floatmode="maxprec"):
        result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
