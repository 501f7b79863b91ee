"""The visible checks of each lab's exercises, one module per lab (``distributions`` for Lab 1, ...).

A lab's test cell names its checks and their points in a ``helpers.feedback.Checklist`` and calls these
functions with the student's function; each raises ``CheckFailed`` with the call, the result, what was expected
and, for a known mistake, a hint. They test properties and public values, never hold an answer, and are the
same in the student's notebook and while grading. Hidden checks stay in the test cells (nbgrader removes them
from the student's lab) and try the same rules on other values.
"""
