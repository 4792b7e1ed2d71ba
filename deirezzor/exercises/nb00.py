"""Checks for notebooks/00-start-here.ipynb (convention: deirezzor/checks.py)."""

from deirezzor import load
from deirezzor.checks import exercise, expect, is_whole


@exercise("0.1", checks="the answer is a whole number: the rows of data/sources.csv "
                        "whose kind is news_report")
def _(answer):
    if not expect(is_whole(answer),
                  "the answer is a whole number",
                  "Counting gives a whole number; .sum() of True/False values is one."):
        return
    sources = load("sources")
    expect(0 <= answer <= len(sources),
           "it is between 0 and the number of rows in the sources table",
           "You are counting rows of sources, so it cannot be negative or exceed the table's size.")
    expect(answer == int((sources["kind"] == "news_report").sum()),
           "it equals the number of sources whose kind is news_report",
           'Compare the kind column with "news_report" and sum the result.')
