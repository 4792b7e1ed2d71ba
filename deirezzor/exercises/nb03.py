"""Checks for notebooks/03-casualty-estimates.ipynb (convention: deirezzor/checks.py)."""
from deirezzor import load
from deirezzor.checks import exercise, expect


@exercise("3.1", checks="the answer is a whole number equal to the number of rows of data/casualty_estimates")
def _(answer):
    if not expect(isinstance(answer, int) and not isinstance(answer, bool),
                  "the answer is a whole number", "len(...) of a table gives a whole number."):
        return
    expect(answer == len(load("casualty_estimates")),
           "it equals the number of rows in the casualty_estimates table",
           "Count the rows of the table the notebook loaded, e.g. with len(...).")
