"""Graded checks decided where student code never ran.

While grading, the test cells of a notebook are not executed in the student's kernel. They run here, in the
grading worker, with the course's own numpy, scipy and ``helpers.feedback``; every name a test cell uses that it
does not define (the functions the student wrote) is a ``RemoteFunction``: calling it sends the arguments to the
student's kernel, runs the student's function there, and brings back the result as plain data (numbers, strings,
numpy arrays of numeric dtype, tuples, lists, dicts; decoded without pickle), the exception it raised (by type
name and message) and the warnings it emitted. So a student can make their function return anything, but cannot
change how it is compared: monkeypatching ``np.isclose``, builtins, ``helpers`` or IPython in the notebook has no
effect on the verdict.

What still comes from the student's process, and could be forged there: a function's return value (forging the
right value means computing it), the exception it raises, and the warnings it reports (a student who replaces
Python's or numpy's warning machinery can hide a warning from ``call_quietly``; resetting numpy's error state
and warning filters, as the dispatcher does, defeats ``np.seterr`` and ``warnings.filterwarnings``).
"""

from __future__ import annotations

import ast
import base64
import builtins
import contextlib
import io
import json
import traceback
import warnings

import cloudpickle
import numpy as np
from nbformat import NotebookNode

#: Runs in the student's kernel: call ``name(*args, **kwargs)`` from the notebook's namespace and encode the
#: outcome as JSON text. Self-contained (the student can redefine anything in the kernel); sent with the first
#: call of every test cell and after a failed call (``GuardedExecute._judge_here``).
KERNEL_CALL = r'''
def __grading_call(payload):
    import base64, io, json, pickle, warnings
    import numpy
    name, args, kwargs = pickle.loads(base64.b64decode(payload))

    def encode(value, depth=0):
        if depth > 20:
            raise TypeError("the result is nested too deeply")
        if isinstance(value, (numpy.ndarray, numpy.generic)):
            array = numpy.asarray(value)
            if array.dtype.kind not in "biufc":
                raise TypeError(f"cannot return an array of dtype {array.dtype}")
            buffer = io.BytesIO()
            numpy.save(buffer, array, allow_pickle=False)
            kind = "ndarray" if isinstance(value, numpy.ndarray) else "scalar"
            return {"kind": kind, "value": base64.b64encode(buffer.getvalue()).decode()}
        if value is None or type(value) in (bool, int, str):
            return {"kind": type(value).__name__, "value": value}
        if type(value) is float:
            return {"kind": "float", "value": repr(value)}
        if type(value) in (tuple, list):
            return {"kind": type(value).__name__, "value": [encode(v, depth + 1) for v in value]}
        if type(value) is dict:
            return {"kind": "dict", "value": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
        raise TypeError(f"cannot return a {type(value).__name__}")

    result = {}
    with warnings.catch_warnings(record=True) as caught, numpy.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("always")
        try:
            function = get_ipython().user_ns.get(name)
            if function is None:
                raise NameError(f"name {name!r} is not defined")
            result["value"] = encode(function(*args, **kwargs))
        except Exception as error:
            result["error"] = {"types": [c.__name__ for c in type(error).__mro__], "message": str(error)[:4000]}
    result["warnings"] = [[w.category.__name__, str(w.message)[:500]] for w in caught[:20]]
    return json.dumps(result)
'''


class RemoteError(Exception):
    """The student's kernel could not run a call (it was redefined, broke the dispatcher, ...)."""


class RemoteTimeout(TimeoutError):
    """A call into the student's kernel did not return in time."""


def _decode(item):
    kind, value = item["kind"], item["value"]
    if kind in ("ndarray", "scalar"):
        array = np.load(io.BytesIO(base64.b64decode(value)), allow_pickle=False)
        return array if kind == "ndarray" else array[()]
    if kind == "float":
        return float(value)
    if kind in ("NoneType", "bool", "int", "str"):
        expected = {"NoneType": type(None), "bool": bool, "int": int, "str": str}[kind]
        if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
            raise RemoteError(f"malformed {kind} in a result")
        return value
    if kind in ("tuple", "list"):
        items = [_decode(v) for v in value]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {_decode(k): _decode(v) for k, v in value}
    raise RemoteError(f"unknown kind {kind!r} in a result")


_WARNINGS = {name: getattr(builtins, name) for name in dir(builtins)
             if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name), Warning)}


def _exception_from(error: dict) -> Exception:
    """The same kind of exception as the student's (the first built-in type in its class hierarchy)."""
    for name in error.get("types", []):
        kind = getattr(builtins, str(name), None)
        if isinstance(kind, type) and issubclass(kind, Exception):
            return kind(str(error.get("message", "")))
    return RemoteError(str(error.get("message", "")))


class RemoteFunction:
    """Stands for the student's function ``name`` in a test cell evaluated by the grader."""

    def __init__(self, name: str, call):
        self.name = name
        self._call = call  # (payload: str) -> JSON text from KERNEL_CALL, raising RemoteTimeout / RemoteError

    def __call__(self, *args, **kwargs):
        payload = base64.b64encode(cloudpickle.dumps((self.name, args, kwargs))).decode()
        text = self._call(payload)
        try:
            result = json.loads(text)
            caught = [(str(category), str(message)) for category, message in result.get("warnings", [])]
            error = result.get("error")
            value = None if error is not None else _decode(result["value"])
            if error is not None and not isinstance(error, dict):
                raise TypeError("malformed error")
        except (AttributeError, KeyError, TypeError, ValueError) as problem:  # JSONDecodeError is a ValueError
            raise RemoteError(f"{self.name}: unreadable answer from the notebook ({problem})") from None
        for category, message in caught:
            warnings.warn(message, _WARNINGS.get(category, RuntimeWarning), stacklevel=2)
        if error is not None:
            raise _exception_from(error)
        return value

    def __reduce__(self):  # passed as an argument to another student function: the kernel's own object
        return (eval, (f"get_ipython().user_ns[{self.name!r}]",))

    def __repr__(self):
        return f"<the student's {self.name}>"


def free_names(source: str) -> set[str]:
    """Names a test cell reads but neither assigns, imports nor gets from builtins: the student's functions."""
    tree = ast.parse(source)
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read - bound - set(dir(builtins))


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"{category.__name__}: {message}")


def evaluate(source: str, namespace: dict, call, passthrough: tuple = ()) -> list[NotebookNode]:
    """Run a test cell's code here with ``namespace`` (shared by the notebook's test cells) and the student's
    functions as RemoteFunctions; return the cell's outputs: what it printed, and the error if it failed.
    Exceptions of the ``passthrough`` types (the kernel died) are raised, not reported as the cell's error."""
    for name in free_names(source) - set(namespace):
        namespace[name] = RemoteFunction(name, call)
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    stdout = io.StringIO()
    outputs = []
    value = None
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stdout), warnings.catch_warnings():
            # a warning (the student's function re-emits its own) is shown without the grader's file and line
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
            exec(compile(tree, "<test cell>", "exec"), namespace)  # noqa: S102 - the instructor's test code
            if last is not None:  # the cell's value, as IPython shows it: nbgrader reads a number as partial credit
                value = eval(compile(ast.Expression(last.value), "<test cell>", "eval"), namespace)  # noqa: S307
    except passthrough:
        raise
    except Exception as error:  # noqa: BLE001 - a failed check is the cell's result, not the grader's failure
        if stdout.getvalue():
            outputs.append(NotebookNode(output_type="stream", name="stdout", text=stdout.getvalue()))
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        outputs.append(NotebookNode(output_type="error", ename=type(error).__name__, evalue=str(error),
                                    traceback=[line.rstrip("\n") for line in lines]))
        return outputs
    if stdout.getvalue():
        outputs.append(NotebookNode(output_type="stream", name="stdout", text=stdout.getvalue()))
    if value is not None:
        checks = getattr(value, "checks", None)  # a helpers.feedback.Score: the result of every named check
        metadata = {"checks": checks} if isinstance(checks, list) else {}
        outputs.append(NotebookNode(output_type="execute_result", execution_count=None, metadata=metadata,
                                    data={"text/plain": repr(value)}))
    return outputs
