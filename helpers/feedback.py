"""Feedback checks for the labs' test cells.

A failing check reads like a tutor: what was called, what came back, what was expected and, when the
result matches a known mistake, a hint. Introduced in Lab 1 and used by every lab's visible and hidden
tests.

    >>> expect_close("square(3)", 9, 9.0)            # passes silently
    >>> expect_close("square(3)", 6, 9.0, hints=[(6, "did you compute 2 * x?")])
    Traceback (most recent call last):
    ...
    helpers.feedback.CheckFailed: ...
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

__all__ = [
    "CheckFailed",
    "call_quietly",
    "describe",
    "expect_close",
    "expect_raises",
    "expect_true",
    "matches",
    "passed",
]

Hint = tuple[Any, str]
"""A known mistake: (the value that mistake returns, or a predicate on the returned value; the hint)."""


class CheckFailed(AssertionError):
    """A check did not hold; the message says what was called, what came back and what was expected."""


def describe(value: Any) -> str:
    """Short, readable text for a value; arrays show their shape and dtype."""
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything unprintable is shown by repr below
        array = None
    if array is not None and array.dtype != object and array.ndim == 0:
        return repr(array.item())
    if array is not None and array.dtype != object:
        text = np.array2string(array, precision=6, threshold=12, edgeitems=3, separator=", ")
        if array.ndim:
            text += f"  (shape {array.shape}, dtype {array.dtype})"
        return text
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def fail(call: str, got: Any, expected: Any, hint: str | None = None) -> None:
    """Raise CheckFailed with the call, the value returned, the value expected and an optional hint."""
    lines = [
        f"Called:   {call}",
        f"Returned: {got if isinstance(got, str) else describe(got)}",
        f"Expected: {expected if isinstance(expected, str) else describe(expected)}",
    ]
    if hint:
        lines.append(f"Hint:     {hint}")
    raise CheckFailed("\n" + "\n".join(lines))


def matches(got: Any, expected: Any, rtol: float = 1e-7, atol: float = 0.0) -> bool:
    """True when ``got`` has the shape of ``expected`` and equals it elementwise within
    ``|got - expected| <= atol + rtol * |expected|``; infinities and nan must match exactly."""
    try:
        got_array = np.asarray(got, dtype=float)
        expected_array = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if got_array.shape != expected_array.shape:
        return False
    return bool(np.allclose(got_array, expected_array, rtol=rtol, atol=atol, equal_nan=True))


def _hint_for(got: Any, hints: Iterable[Hint], rtol: float, atol: float) -> str | None:
    for mistake, hint in hints:
        if callable(mistake):
            try:
                if mistake(got):
                    return hint
            except Exception:  # noqa: BLE001 - a predicate that cannot judge this value does not match
                continue
        elif matches(got, mistake, rtol, atol):
            return hint
    return None


def expect_close(
    call: str,
    got: Any,
    expected: Any,
    *,
    rtol: float = 1e-7,
    atol: float = 0.0,
    hints: Iterable[Hint] = (),
) -> None:
    """Check that ``got`` equals ``expected`` (same shape, within tolerance), else explain.

    ``hints`` lists known mistakes as (wrong value or predicate, hint); the first that matches ``got``
    is shown. A shape mismatch with no matching hint is reported as such.
    """
    if matches(got, expected, rtol, atol):
        return
    hint = _hint_for(got, hints, rtol, atol)
    if hint is None and np.shape(got) != np.shape(expected):
        hint = f"the result has shape {np.shape(got)}, the expected one {np.shape(expected)}."
    fail(call, got, expected, hint)


def expect_true(
    condition: bool, call: str, got: Any, expected: str, hint: str | None = None, *, hints: Iterable[Hint] = ()
) -> None:
    """Check a property (``condition``) of what ``call`` returned; ``expected`` says the property in words.

    The hint shown is the first of ``hints`` that matches ``got``, else ``hint``.
    """
    if not condition:
        fail(call, got, expected, _hint_for(got, hints, 1e-7, 0.0) or hint)


def expect_raises(
    func: Callable[..., Any],
    *args: Any,
    call: str,
    names: Iterable[str] = (),
    exception: type[BaseException] = ValueError,
    **kwargs: Any,
) -> None:
    """Check that ``func(*args, **kwargs)`` raises ``exception`` whose message names each of ``names``
    (as whole words, so that the student's message says which parameter is wrong)."""
    names = list(names)
    wanted = f"a {exception.__name__}" + (f" whose message names {', '.join(map(repr, names))}" if names else "")
    try:
        result = func(*args, **kwargs)
    except exception as error:
        message = str(error)
        missing = [name for name in names if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message)]
        if missing:
            fail(call, f"{type(error).__name__}({message!r})", wanted,
                 f"say which parameter is invalid, e.g. {missing[0]!r} in the message.")
        return
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - the wrong kind of error is what this check reports
        fail(call, f"{type(error).__name__}: {error}", wanted,
             f"check the parameter yourself and raise {exception.__name__} before computing anything.")
    fail(call, result, wanted, "invalid input must raise, not return a value.")


def call_quietly(call: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Return ``func(*args, **kwargs)``, failing the check if it emits any warning (overflow, divide by
    zero, invalid value): a stable implementation computes without them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", divide="warn", invalid="warn"):  # underflow to 0 is harmless
            result = func(*args, **kwargs)
    if caught:
        first = caught[0]
        fail(call, f"a result, with the warning {first.category.__name__}: {first.message}",
             "the same result without any warning",
             "an intermediate value overflowed or divided by zero; rearrange the computation so that it "
             "never forms a huge or undefined number.")
    return result


def passed(name: str) -> None:
    """Tell the student that the visible checks of ``name`` passed and what happens next."""
    print(f"\N{HEAVY CHECK MARK} {name}: all visible checks passed. "
          "Hidden checks on edge cases run when your lab is graded.")
