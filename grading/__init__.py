"""Grading a whole class: nbgrader's autograde run in parallel workers, with limits, honest outcomes, resumable
runs, feedback that hides hidden tests, and reports. Run ``python -m grading --help`` from the course root.

Modules:
    outcomes   the outcome of grading one submission, and the ledger that records it
    inspect    checks a submission before nbgrader sees it: valid notebook? cells missing or altered?
    preprocessors  GuardedExecute (nbgrader's Execute with a notebook budget, output caps and a record of
               where a notebook timed out or its kernel died) and OverwriteCellsSafely
    run        the parallel grading run: workers, progress, resume
    staging    a submission folder copied as plain files only, for nbgrader to grade from
    repair     the lab's cells restored in a submission (copied, deleted, retyped cells; edited metadata)
    trusted    test cells judged in the grader, calling the student's functions in the kernel
    sandbox    the bubblewrap sandbox for the student's kernel
    reports    grades CSV, per-exercise summary with a figure and every named check's pass rate
    feedback   student feedback HTML without hidden tests
    collect    a Canvas or Moodle export into submitted/
    export     grades and feedback back in the platform's import format
    similarity the most similar pairs of answer cells, with copydetect
    course     the course's version, and the check that students' kernels import the grader's own helpers
    distributed  grading on several machines: Celery tasks through Redis, signed, with late acknowledgement
    kernel_client  a kernel client ready when the kernel is, without jupyter_client's 0.2 s IOPub flush
    cli        the command line
"""

import sys

# nbformat imports jsonschema, whose format checkers import rfc3987_syntax when it is installed (jupyter-events
# asks for it): that module builds an Earley parser of RFC 3987 at import, 2.7 s of CPU in every grading process
# (the command, each worker) for the "iri" string format, which no notebook schema uses. Marked absent here,
# jsonschema leaves that one format unchecked (its own fallback when the package is missing).
sys.modules.setdefault("rfc3987_syntax", None)
