"""Feedback checks for the labs' test cells.

A failing check reads like a tutor: what was called, what came back, what was expected and, when the
result matches a known mistake, a hint. Introduced in Lab 1 and used by every lab's visible and hidden
tests.

    >>> expect_close("square(3)", 9, 9.0)            # passes silently
    >>> expect_close("square(3)", 6, 9.0, hints=[(6, "did you compute 2 * x?")])
    Traceback (most recent call last):
    ...
    helpers.feedback.CheckFailed: ...

A test cell is a ``Checklist``: an exercise's points split over a few named checks, each a ``with`` block of
expectations. The hidden part of a check (``checks.hidden(name)``, inside the cell's hidden tests) runs the same
rule on other values; it can never add a check of its own. The cell ends with ``checks.result()``:

    checks = Checklist("square")
    with checks("squares numbers", points=1):
        expect_close("square(3)", square(3), 9)
    with checks("squares arrays elementwise", points=1):
        expect_close("square([1, 2])", square([1, 2]), [1, 4])
    ### BEGIN HIDDEN TESTS
    with checks.hidden("squares arrays elementwise"):
        expect_close("square(np.arange(5))", square(np.arange(5)), np.arange(5) ** 2)
    ### END HIDDEN TESTS
    checks.result()

In the student's notebook ``result()`` prints the checklist, or raises it if a check failed (so that Validate
reports the cell with every check and its message); while grading (``grading()``, set by the grader) it returns
the points earned, which nbgrader takes as the cell's partial credit.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "CheckFailed",
    "Checklist",
    "call_quietly",
    "describe",
    "expect_close",
    "expect_raises",
    "expect_true",
    "fail",
    "grading",
    "matches",
    "result_or_hint",
]

Hint = tuple[Any, str]
"""A known mistake: (the value that mistake returns, or a predicate on the returned value; the hint)."""


class CheckFailed(AssertionError):
    """A check did not hold; the message says what was called, what came back and what was expected.
    ``hint`` is the hint alone (shown for a hidden check, whose values stay hidden)."""

    def __init__(self, message: str = "", hint: str | None = None):
        super().__init__(message)
        self.hint = hint


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
    raise CheckFailed("\n" + "\n".join(lines), hint=hint)


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
    any_of: Iterable[str] = (),
    exception: type[BaseException] = ValueError,
    **kwargs: Any,
) -> None:
    """Check that ``func(*args, **kwargs)`` raises ``exception`` whose message names each of ``names``
    (as whole words, so that the student's message says which parameter is wrong), and at least one of
    ``any_of`` (where several parameters are invalid at once and naming either is right)."""
    names, any_of = list(names), list(any_of)
    wanted = f"a {exception.__name__}"
    if names:
        wanted += f" whose message names {', '.join(map(repr, names))}"
    if any_of:
        wanted += (" and" if names else " whose message names") + f" one of {', '.join(map(repr, any_of))}"
    try:
        result = func(*args, **kwargs)
    except exception as error:
        message = str(error)

        def named(name: str) -> bool:
            return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message) is not None

        missing = [name for name in names if not named(name)]
        if any_of and not any(named(name) for name in any_of):
            missing.append(any_of[0])
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


def result_or_hint(call: str, func: Callable[..., Any], *args: Any, hint: str, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``; if it raises (anything but NotImplementedError), fail the check with ``hint``.

    For inputs the text allows (a list, a NumPy integer, n = 0) where a known mistake raises instead of
    returning: the failure then says why, not only which exception came out."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - the exception is what this check reports
        fail(call, f"{type(error).__name__}: {error}", "a result: this input is allowed", hint)


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


_GRADING = contextvars.ContextVar("grading", default=False)


@contextlib.contextmanager
def grading():
    """While grading: ``Checklist.result()`` returns the points earned instead of raising. Set by the grader
    (``grading.preprocessors``) around each test cell it judges."""
    token = _GRADING.set(True)
    try:
        yield
    finally:
        _GRADING.reset(token)


class Score(float):
    """The points a checklist earned (nbgrader's partial credit), with the result of every check in
    ``checks``: a list of {"name", "points", "passed"} for the grader's reports."""

    checks: list[dict]

    def __new__(cls, value: float, checks: list[dict]):
        score = super().__new__(cls, value)
        score.checks = checks
        return score

    def __repr__(self) -> str:
        return repr(float(self))


@dataclass
class CheckResult:
    """One named check of a Checklist: its points, and the first failure of its visible and hidden parts."""

    name: str
    points: float
    failure: BaseException | None = None  # the first failed expectation of the visible part
    hidden_failure: BaseException | None = None  # the first of the hidden part
    hidden_parts: int = field(default=0)

    @property
    def passed(self) -> bool:
        return self.failure is None and self.hidden_failure is None


def _explain(error: BaseException) -> str:
    """What a failed expectation tells the student: its message, or the exception the code raised."""
    if isinstance(error, CheckFailed):
        return str(error).strip("\n")
    if isinstance(error, NotImplementedError):
        return "not written yet: the function still raises NotImplementedError."
    text = f"{type(error).__name__}: {error}".strip()
    return f"the code raised {text}" if len(text) <= 600 else f"the code raised {text[:597]}..."


class Checklist:
    """The named checks of one exercise; each earns its points when every expectation in it holds.

    ``checks(name, points=...)`` is a ``with`` block: the first expectation that fails (or any exception the
    student's code raises) fails the check, and the rest of the block is skipped; the next check still runs.
    ``checks.hidden(name)`` adds hidden values to a check already named; its failure shows the check's name and
    hint, never the values. ``result()`` reports every check."""

    def __init__(self, exercise: str):
        self.exercise = exercise
        self._checks: dict[str, CheckResult] = {}

    @contextlib.contextmanager
    def __call__(self, name: str, points: float):
        if name in self._checks:
            raise ValueError(f"check {name!r} of {self.exercise} is named twice; use checks.hidden() to add values")
        if not points > 0:
            raise ValueError(f"check {name!r} needs positive points, got {points!r}")
        check = self._checks[name] = CheckResult(name, float(points))
        try:
            yield check
        except Exception as error:  # noqa: BLE001 - a failed expectation or the student's exception fails the check
            check.failure = error

    @contextlib.contextmanager
    def hidden(self, name: str):
        check = self._checks.get(name)
        if check is None:
            raise ValueError(f"hidden values for {name!r}, which {self.exercise} has no visible check for")
        check.hidden_parts += 1
        try:
            yield check
        except Exception as error:  # noqa: BLE001 - as in __call__
            if check.hidden_failure is None:
                check.hidden_failure = error

    @property
    def results(self) -> tuple[CheckResult, ...]:
        """The checks in the order they were named."""
        return tuple(self._checks.values())

    @property
    def points(self) -> float:
        return sum(check.points for check in self._checks.values())

    @property
    def earned(self) -> float:
        return sum(check.points for check in self._checks.values() if check.passed)

    def report(self) -> str:
        """The checklist as text: each check passed (\N{HEAVY CHECK MARK}) or failed (\N{HEAVY BALLOT X}),
        with its points and, for a failure, what went wrong."""
        graded = _GRADING.get()
        head = f"{self.exercise}: {self.earned:g} of {self.points:g} points" if graded \
            else f"{self.exercise}: visible checks"
        lines = [head]
        for check in self._checks.values():
            unit = "point" if check.points == 1 else "points"
            mark = "\N{HEAVY CHECK MARK}" if check.passed else "\N{HEAVY BALLOT X}"
            lines.append(f"  {mark} {check.name} ({check.points:g} {unit})")
            if check.failure is not None:
                lines.extend("      " + line for line in _explain(check.failure).splitlines())
            elif check.hidden_failure is not None:
                lines.append("      passed on the visible values, failed on the hidden ones.")
                hint = getattr(check.hidden_failure, "hint", None)
                if isinstance(check.hidden_failure, CheckFailed) and hint:
                    lines.append(f"      Hint: {hint}")
                elif not isinstance(check.hidden_failure, CheckFailed):
                    lines.append(f"      Your code raised {type(check.hidden_failure).__name__}.")
        if not graded:
            lines.append("Hidden checks try the same rules on other values when your lab is graded.")
        return "\n".join(lines)

    def result(self) -> Score | None:
        """While grading, print the checklist and return the points earned. In the student's notebook print it
        when every visible check passed; otherwise raise it (so that Validate shows every check and its message):
        NotImplementedError while the function is not written, CheckFailed if a check failed."""
        report = self.report()
        if _GRADING.get():
            print(report)
            return Score(self.earned, [{"name": c.name, "points": c.points, "passed": c.passed}
                                       for c in self._checks.values()])
        failures = [check.failure for check in self._checks.values() if check.failure is not None]
        if any(isinstance(error, NotImplementedError) for error in failures):
            raise NotImplementedError(f"{self.exercise} is not written yet\n{report}")
        if failures:
            raise CheckFailed(f"{len(failures)} of {len(self._checks)} checks of {self.exercise} failed\n{report}")
        print(report)
        return None
