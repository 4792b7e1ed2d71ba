"""Tables for people: ``table(df, columns=[...])`` and the ``Table`` it returns.

Part of the house style (read ``deirezzor/style.py`` first; notebooks call
it as ``style.table``).  Headers for people, codes labelled
(``deirezzor/labels.py``), missing values as "not stated", times in UTC,
abbreviations spelled out under the table; shown as an HTML table in
JupyterLab and as aligned text elsewhere.
"""
from __future__ import annotations

import html
import re

from .labels import _SNAKE, ABBREVIATIONS, COLUMN_LABELS, _codes, _label, humanize

__all__ = ["table", "Table", "MISSING", "MAX_TABLE_COLUMNS"]

MAX_TABLE_COLUMNS = 7
MISSING = "not stated"


class Table:
    """What ``table()`` returns: shown as an HTML table with a note under it in
    JupyterLab, as aligned text elsewhere.  ``.frame`` is the DataFrame shown."""

    def __init__(self, frame, note: str = ""):
        self.frame = frame
        self.note = note

    def _repr_html_(self) -> str:
        # Text reads from a straight left edge, numbers line up on the right
        # (JupyterLab right-aligns every cell of a plain DataFrame).
        import numbers
        import re

        number = re.compile(r"[-+]?[\d,]*\.?\d+( ?%)?")

        def align(col) -> str:
            shown = [v for v in self.frame[col] if not (isinstance(v, str) and v == MISSING)]
            numeric = bool(shown) and all(
                (isinstance(v, numbers.Number) and not isinstance(v, bool))
                or (isinstance(v, str) and number.fullmatch(v.strip())) for v in shown)
            return "right" if numeric else "left"

        aligns = [align(c) for c in self.frame.columns]
        # single quotes and no space: a notebook stores each attribute once a cell, and
        # JSON would escape double quotes (every notebook stays under 200 KB)
        head = "".join(f"<th style='text-align:{a}'>{html.escape(str(c))}</th>"
                       for c, a in zip(self.frame.columns, aligns))
        rows = "".join("<tr>" + "".join(f"<td style='text-align:{a}'>{html.escape(str(v))}</td>"
                                        for v, a in zip(row, aligns)) + "</tr>"
                       for row in self.frame.itertuples(index=False, name=None))
        out = f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        if self.note:
            out += f'\n<p style="font-size: 0.9em; margin-top: 0.3em">{html.escape(self.note)}</p>'
        return out

    def __repr__(self) -> str:
        out = self.frame.to_string(index=False)
        return out + ("\n" + self.note if self.note else "")


def _is_coded(values) -> bool:
    """A column of codes: every value a known code or a snake_case word."""
    strings = [v for v in values if isinstance(v, str)]
    codes = _codes()
    return bool(strings) and len(strings) == len(values) and all(
        v in codes or _SNAKE.fullmatch(v) for v in strings)


def _format_datetimes(col):
    if col.dt.tz is not None:
        fmt = "%Y-%m-%d %H:%M %Z"
    else:
        fmt = "%Y-%m-%d %H:%M"
    valid = col.dropna()
    if len(valid) and (valid.dt.hour == 0).all() and (valid.dt.minute == 0).all() and col.dt.tz is None:
        fmt = "%Y-%m-%d"
    return col.dt.strftime(fmt)


def table(df, columns=None, *, headers: dict | None = None, missing: str = MISSING,
          note: str | None = None, max_columns: int = MAX_TABLE_COLUMNS) -> Table:
    """A DataFrame shown for students.

    * ``columns``: the columns that matter, in order (default: all; more than
      ``max_columns`` is refused -- a wide table wraps every row on a laptop);
    * headers from ``COLUMN_LABELS`` (else humanised), overridden by ``headers``;
    * columns of codes labelled with ``label`` ("coalition_government" ->
      "Coalition governments");
    * missing values (NaN, NaT, <NA>, None) shown as ``missing`` ("not stated");
    * times as "2016-09-17 14:00 UTC", whole floats as integers;
    * a note under the table: every abbreviation it shows spelled out
      (``ABBREVIATIONS``), then ``note``.
    """
    import pandas as pd

    if columns is None:
        columns = list(df.columns)
    else:
        columns = list(columns)
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise KeyError(f"table(): no column(s) {unknown}; the table has {list(df.columns)}")
    if len(columns) > max_columns:
        raise ValueError(f"table(): {len(columns)} columns are too wide for a laptop (at most "
                         f"{max_columns}); pass columns=[...] with the ones that matter")
    out = pd.DataFrame(index=range(len(df)))
    for c in columns:
        col = df[c].reset_index(drop=True)
        if isinstance(col.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(col):
            shown = _format_datetimes(col)
        elif pd.api.types.is_float_dtype(col) and col.dropna().apply(float.is_integer).all():
            shown = col.astype("Int64")
        elif pd.api.types.is_bool_dtype(col):
            shown = col.map({True: "yes", False: "no"})
        elif _is_coded(list(col.dropna())):
            codes = _codes()
            shown = col.map(lambda v: _label(v, codes), na_action="ignore")
        else:
            shown = col
        shown = shown.astype(object).where(shown.notna(), missing)
        header = (headers or {}).get(c) or COLUMN_LABELS.get(c) or humanize(c)
        if header in out.columns:
            raise ValueError(f"table(): two columns would both be headed {header!r}; "
                             "give one another header with headers={...}")
        out[header] = shown.values
    text = " ".join([*map(str, out.columns)] + [str(v) for v in out.to_numpy().ravel()])
    found = [f"{a} = {ABBREVIATIONS[a]}" for a in ABBREVIATIONS
             if re.search(rf"(?<![\w&/]){re.escape(a)}(?![\w&])", text)]
    parts = []
    if found:
        parts.append("; ".join(found) + ".")
    if note:
        parts.append(note.strip())
    return Table(out, " ".join(parts))
