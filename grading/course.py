"""What a grader grades with: the course's version, and the check that students' kernels import the course's helpers.

``course_version(root)`` is a SHA-256 over everything that decides a grade: the settings of ``nbgrader_config.py``
(but where each machine keeps its gradebook), the instructor's ``solutions/`` (hidden tests), the student
``labs/``, and the ``grading`` and ``helpers`` packages the grader imports. Two checkouts of the same commit have
the same version; a worker compares it with a task's and refuses a task made for another version
(``grading.distributed``).

``check_kernel_helpers(settings)`` starts one kernel exactly as grading does (in the sandbox unless it is off) and
compares the ``helpers`` it imports with the grader's own, file by file (``tree_digest``). The test cells run in
the grader, but the student's notebook imports ``helpers`` for its plots and data: a kernel importing another copy
(or none, as when the venv's editable install points at another checkout) would fill every student's feedback
with ``ModuleNotFoundError``. A grading run calls it once before its first submission and refuses to start
otherwise, saying why.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
from pathlib import Path

import grading
import helpers

#: The folders ``course_version`` covers, besides the configuration and the packages.
VERSIONED = ("solutions", "labs")
#: Settings that differ from machine to machine without changing a grade.
LOCAL_SETTINGS = {"CourseDirectory": ("db_url", "root")}


def tree_digest(folder: str) -> str:
    """SHA-256 over the relative path and bytes of every ``.py`` file under ``folder`` (a file: of that file)."""
    import hashlib
    import os

    digest = hashlib.sha256()
    if os.path.isfile(folder):
        with open(folder, "rb") as handle:
            digest.update(handle.read())
        return digest.hexdigest()
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(top, name)
                digest.update(os.path.relpath(path, folder).encode() + b"\0")
                with open(path, "rb") as handle:
                    digest.update(handle.read() + b"\0")
    return digest.hexdigest()


def _files(path: Path):
    if path.is_file():
        yield path
    elif path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and "__pycache__" not in child.parts and ".ipynb_checkpoints" not in child.parts:
                yield child


def _plain(value):
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def course_version(root: Path) -> str:
    """SHA-256 of what decides a grade in the course at ``root``: its nbgrader settings but ``LOCAL_SETTINGS``,
    the files of ``VERSIONED``, and the grader's own ``grading`` and ``helpers`` packages."""
    from traitlets.config import PyFileConfigLoader

    root = Path(root)
    settings = _plain(PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config())
    for section, names in LOCAL_SETTINGS.items():
        for name in names:
            settings.get(section, {}).pop(name, None)
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for name in VERSIONED:
        for path in _files(root / name):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for package in (grading, helpers):
        digest.update(f"{package.__name__}:{tree_digest(package.__path__[0])}".encode())
    return digest.hexdigest()


_PROBE = f"""
{inspect.getsource(tree_digest)}
import json as _json
try:
    import helpers as _helpers
    _found = {{"path": _helpers.__path__[0], "digest": tree_digest(_helpers.__path__[0])}}
except Exception as _error:
    _found = {{"error": f"{{type(_error).__name__}}: {{_error}}"}}
print(_json.dumps(_found))
"""


def kernel_helpers(settings) -> dict:
    """What a kernel started as grading starts it imports as ``helpers``: {"path", "digest"} or {"error"}."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    from grading.run import kernel_environment, load_config

    config = load_config(settings)
    manager = AsyncKernelManager
    if settings.sandbox:
        from grading.sandbox import SandboxedKernelManager

        manager = SandboxedKernelManager
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_PROBE)])
    with tempfile.TemporaryDirectory(prefix="grading-probe-") as folder, kernel_environment(settings):
        client = NotebookClient(nb, config=config, kernel_manager_class=manager, kernel_name="python3", timeout=120,
                                allow_errors=True, resources={"metadata": {"path": folder}})
        try:
            client.execute()
        except Exception as error:  # noqa: BLE001 - why the kernel could not start is the answer
            return {"error": f"the kernel did not start: {type(error).__name__}: {error}"}
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout").strip()
    try:
        return json.loads(text.splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in nb.cells[0].outputs if o.output_type == "error"]
        return {"error": "; ".join(errors) or f"no answer from the kernel ({text[:200]!r})"}


def check_kernel_helpers(settings) -> str | None:
    """None if students' kernels import the grader's own ``helpers`` (and that is the course root's, when the
    course has a ``helpers`` folder), else why not, in a sentence for the instructor."""
    mine = helpers.__path__[0]
    own = Path(settings.root) / "helpers"
    if own.is_dir() and os.path.realpath(own) != os.path.realpath(mine):
        return (f"the course at {settings.root} has its own helpers, but the grader imports {mine}: run "
                f"`python -m grading` from the course root")
    found = kernel_helpers(settings)
    if "error" in found:
        return (f"students' kernels cannot import the course's helpers ({found['error']}); the grader imports "
                f"{mine}")
    if found["digest"] != tree_digest(mine):
        return (f"students' kernels import helpers from {found['path']}, which differs from the grader's {mine}")
    return None
