"""helpers.feedback: checks that pass silently, and failures that say what was called, what came back, what
was expected and, for a known mistake, a hint."""

import numpy as np
import pytest

from helpers.feedback import (
    CheckFailed,
    Checklist,
    Score,
    call_quietly,
    describe,
    expect_close,
    expect_raises,
    expect_true,
    grading,
    matches,
)


def test_matches_needs_same_shape_and_exact_infinities():
    assert matches([1.0, -np.inf], [1.0 + 1e-9, -np.inf])
    assert not matches([1.0, np.inf], [1.0, -np.inf])
    assert not matches(np.ones((3, 1)), np.ones(3))
    assert not matches("text", 1.0)
    assert matches(np.nan, np.nan)


def test_expect_close_passes_and_fails_with_the_call_values_and_hint():
    expect_close("f(1)", 2.0, 2.0)
    with pytest.raises(CheckFailed) as failure:
        expect_close("f(1)", 3.0, 2.0, hints=[(4.0, "doubled"), (3.0, "off by one")])
    message = str(failure.value)
    assert "Called:   f(1)" in message and "Returned: 3.0" in message and "Expected: 2.0" in message
    assert "Hint:     off by one" in message and "doubled" not in message


def test_expect_close_explains_a_shape_mismatch_and_accepts_predicate_hints():
    with pytest.raises(CheckFailed, match=r"shape \(3, 3\)"):
        expect_close("f(x)", np.zeros((3, 3)), np.zeros(3))
    with pytest.raises(CheckFailed, match="nan found"):
        expect_close("f(x)", [np.nan], [1.0], hints=[(lambda g: np.isnan(g).any(), "nan found")])
    with pytest.raises(CheckFailed) as failure:  # a predicate that raises is no match, not a crash
        expect_close("f(x)", [2.0], [1.0], hints=[(lambda g: g.nope, "never")])
    assert "Hint" not in str(failure.value)


def test_expect_true_uses_the_first_matching_hint():
    expect_true(True, "f()", 1, "anything")
    with pytest.raises(CheckFailed, match="Hint:     specific"):
        expect_true(False, "f()", 1.0, "positive", "generic", hints=[(1.0, "specific")])
    with pytest.raises(CheckFailed, match="Hint:     generic"):
        expect_true(False, "f()", 5.0, "positive", "generic", hints=[(1.0, "specific")])


def test_expect_raises_wants_the_error_and_the_parameter_name():
    def strict(sigma):
        if sigma <= 0:
            raise ValueError("sigma must be positive")
        return sigma

    expect_raises(strict, -1.0, call="strict(-1)", names=["sigma"])
    with pytest.raises(CheckFailed, match="invalid input must raise"):
        expect_raises(strict, 1.0, call="strict(1)", names=["sigma"])

    def vague(sigma):
        raise ValueError("bad input")

    with pytest.raises(CheckFailed, match="names 'sigma'"):
        expect_raises(vague, -1.0, call="vague(-1)", names=["sigma"])

    def wrong_kind(sigma):
        raise TypeError("sigma")

    with pytest.raises(CheckFailed, match="TypeError"):
        expect_raises(wrong_kind, -1.0, call="wrong_kind(-1)", names=["sigma"])

    def unsolved(sigma):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        expect_raises(unsolved, -1.0, call="unsolved(-1)")


def test_names_must_be_whole_words():
    def message_with_a_in_a_word(a, b):
        raise ValueError("values are wrong")  # 'a' occurs only inside words

    with pytest.raises(CheckFailed):
        expect_raises(message_with_a_in_a_word, 1, 0, call="g(1, 0)", names=["a", "b"])


def test_call_quietly_fails_on_overflow_but_not_on_underflow():
    assert call_quietly("exp(-1000)", np.exp, -1000.0) == 0.0
    with pytest.raises(CheckFailed, match="RuntimeWarning"):
        call_quietly("exp(1000)", np.exp, 1000.0)


def test_describe_shows_shape_and_dtype():
    assert "shape (2, 2)" in describe(np.eye(2)) and "float64" in describe(np.eye(2))
    assert describe(1.5) == "1.5"
    assert len(describe(object.__new__(type("Long", (), {"__repr__": lambda s: "x" * 500})))) <= 200


# --- Checklist: an exercise's points over named checks -----------------------------------------------------------


def _checklist(value_ok: bool, hidden_ok: bool) -> Checklist:
    checks = Checklist("square")
    with checks("squares numbers", points=1):
        expect_close("square(3)", 9 if value_ok else 6, 9, hints=[(6, "did you compute 2 * x?")])
    with checks("squares arrays", points=0.5):
        expect_true(True, "square([1, 2])", [1, 4], "elementwise squares")
    with checks.hidden("squares arrays"):
        expect_close("square(np.arange(7))", 0 if hidden_ok else 1, 0, hints=[(1, "square each element")])
    return checks


def test_checklist_while_grading_returns_the_points_of_the_checks_that_pass(capsys):
    with grading():
        score = _checklist(value_ok=False, hidden_ok=True).result()
    assert isinstance(score, Score) and float(score) == 0.5 and repr(score) == "0.5"
    assert score.checks == [{"name": "squares numbers", "points": 1.0, "passed": False},
                            {"name": "squares arrays", "points": 0.5, "passed": True}]
    text = capsys.readouterr().out
    assert "square: 0.5 of 1.5 points" in text and "\N{HEAVY BALLOT X} squares numbers (1 point)" in text
    assert "Called:   square(3)" in text and "did you compute 2 * x?" in text


def test_a_failed_hidden_part_shows_the_check_and_its_hint_never_the_values(capsys):
    with grading():
        assert float(_checklist(value_ok=True, hidden_ok=False).result()) == 1.0
    text = capsys.readouterr().out
    assert "\N{HEAVY BALLOT X} squares arrays (0.5 points)" in text and "failed on the hidden ones" in text
    assert "Hint: square each element" in text and "np.arange(7)" not in text and "Expected" not in text


def test_in_the_students_notebook_a_failed_check_raises_and_all_passing_prints(capsys):
    with pytest.raises(CheckFailed, match="1 of 2 checks of square failed") as failure:
        _checklist(value_ok=False, hidden_ok=True).result()
    assert "\N{HEAVY BALLOT X} squares numbers (1 point)" in str(failure.value)
    assert "did you compute 2 * x?" in str(failure.value)
    assert "\N{HEAVY CHECK MARK} squares arrays" in str(failure.value)
    assert _checklist(value_ok=True, hidden_ok=False).result() is None  # the hidden part is not there for a student
    assert "Hidden checks try the same rules on other values" in capsys.readouterr().out


def test_an_unwritten_function_raises_not_implemented_and_exceptions_fail_only_their_check(capsys):
    def unwritten(x):
        raise NotImplementedError()

    checks = Checklist("square")
    with checks("squares numbers", points=1):
        unwritten(3)
    with checks("no crash", points=1):
        pass
    with pytest.raises(NotImplementedError, match="square is not written yet"):
        checks.result()
    checks = Checklist("square")
    with checks("squares numbers", points=1):
        {}["missing"]
    with checks("no crash", points=2):
        pass
    with grading():
        assert float(checks.result()) == 2.0
    assert "the code raised KeyError: 'missing'" in capsys.readouterr().out


def test_a_hidden_part_can_never_add_a_check_and_names_are_unique():
    checks = Checklist("square")
    with checks("squares numbers", points=1):
        pass
    with pytest.raises(ValueError, match="no visible check"):
        with checks.hidden("a rule of its own"):
            pass
    with pytest.raises(ValueError, match="named twice"):
        with checks("squares numbers", points=1):
            pass
    with pytest.raises(ValueError, match="positive points"):
        with checks("free points", points=0):
            pass


def test_expect_raises_any_of_accepts_either_parameter():
    def both_bad(a, b):
        raise ValueError("b must exceed a")

    expect_raises(both_bad, 1, 0, call="f(1, 0)", any_of=["a", "b"])
    with pytest.raises(CheckFailed, match="one of 'sigma1', 'sigma2'"):
        expect_raises(both_bad, 1, 0, call="f(1, 0)", any_of=["sigma1", "sigma2"])
