"""Helpers for the course *Probability for Deep Learning*: plots, widgets, data and feedback checks.

Import the module you need explicitly, e.g. ``from helpers import plots``. Importing changes no global
state. Nothing here is the answer to a graded exercise (``tests/test_helpers_hold_no_answers.py``).
"""
