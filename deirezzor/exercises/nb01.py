"""Checks for notebooks/01-siege-background.ipynb (convention: deirezzor/checks.py)."""
from deirezzor import load
from deirezzor.checks import exercise, expect


@exercise("1.1", checks="the answer is a whole number equal to the number of rows of data/events")
def _(answer):
    if not expect(isinstance(answer, int) and not isinstance(answer, bool),
                  "the answer is a whole number", "len(...) of a table gives a whole number."):
        return
    expect(answer == len(load("events")),
           "it equals the number of rows in the events table",
           "Count the rows of the table the notebook loaded, e.g. with len(...).")
