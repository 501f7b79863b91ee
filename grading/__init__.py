"""Grading a whole class: nbgrader's autograde run in parallel workers, with limits, honest outcomes, resumable
runs, feedback that hides hidden tests, and reports. Run ``python -m grading --help`` from the course root.

Modules:
    outcomes   the outcome of grading one submission, and the ledger that records it
    inspect    checks a submission before nbgrader sees it: valid notebook? cells missing or altered?
    preprocessors  GuardedExecute (nbgrader's Execute with a notebook budget, output caps and a record of
               where a notebook timed out or its kernel died) and OverwriteCellsSafely
    run        the parallel grading run: workers, progress, resume
    reports    grades CSV, per-exercise summary with a figure
    feedback   student feedback HTML without hidden tests
    cli        the command line
"""
