"""Argument checks shared by every public function: clear errors that name what was wrong."""

from __future__ import annotations

import numbers

KINDS: tuple[str, ...] = ("SimpleRNN", "LSTM", "GRU")
_KIND_BY_LOWER = {k.lower(): k for k in KINDS}


def check_kind(kind: object) -> str:
    """Return the canonical spelling of `kind` ("SimpleRNN", "LSTM" or "GRU")."""
    if isinstance(kind, str) and kind.strip().lower() in _KIND_BY_LOWER:
        return _KIND_BY_LOWER[kind.strip().lower()]
    raise ValueError(f"kind must be one of 'SimpleRNN', 'LSTM', 'GRU' (any case); got {kind!r}")


def check_size(
    name: str, value: object, *, allow_none: bool = False, minimum: int = 1
) -> int | None:
    """A whole number of at least `minimum` (e.g. units, timesteps); `None` where allowed."""
    if value is None:
        if allow_none:
            return None
        raise TypeError(f"{name} must be a whole number >= {minimum}; got None")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            raise TypeError(
                f"{name} must be a whole number (an int); "
                f"got {value!r} of type {type(value).__name__}"
            )
        extra = " or None" if allow_none else ""
        raise TypeError(
            f"{name} must be a whole number{extra}; got {value!r} of type {type(value).__name__}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def check_flag(name: str, value: object) -> bool:
    """A True/False option such as return_sequences."""
    if isinstance(value, bool):
        return value
    # numpy booleans count as booleans too
    if type(value).__name__ == "bool_":
        return bool(value)
    raise TypeError(f"{name} must be True or False; got {value!r}")
