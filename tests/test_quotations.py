"""Every quotation is a source's exact words, as the data record them.

Rule taught in exercises 4.4 and 6.5: only a source's exact words go inside
quotation marks.  This test finds every passage inside double quotation marks
(" " and “ ”) in

* the source notebooks' markdown cells (instructor/, the superset of the
  student edition), their stored text outputs (stream, text/markdown, the text
  of HTML tables) and their figures' text (every string of the stored
  application/vnd.plotly.v1+json: titles, annotations, trace text),
* lessons.md (outside code and HTML comments),
* the data's prose columns (description, note, derivation, ...),

and checks that it appears word for word in some row's ``passage`` in
data/*.csv.  The passages are the project's record of the sources' words;
tools/verify_passages.py checks them against the seed article by hand (this
test reads nothing outside the project).  One more record is accepted: a
row's verbatim column (``quote``, ``time_as_given``, ``number_as_given``) that
contains the row's own ``passage`` -- the source's whole words, of which the
passage is the cited part; verify_passages.py checks those against the seed too.

Normalised before comparing: whitespace, curly and straight quotes, "…" and
"...", the case of the first letter, "*" (markdown emphasis) and punctuation
at the quotation's two ends (a comma or full stop inside the closing mark is a
printer's convention).  An ellipsis stands for elided words: the pieces around
it must appear in one passage, in order.

Code is skipped (fenced blocks, inline code, code cells' source).  Every other
exception is in EXCEPTIONS / the rules just below, each with its reason.

Run as a script for the counts: python tests/test_quotations.py
"""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# The exceptions, in one place.
# ---------------------------------------------------------------------------
# Rule 1 (quoted code or data values): a quotation that is one token with a
# digit, an underscore, a slash or a colon in it ("E014", "time_utc",
# "2016-09-17", "31.5", "Asia/Damascus"): an id, a column, a code value or an
# answer the checker takes, not anyone's words.
TOKEN = re.compile(r"^[\w.:/%+\-]*[\d_/:][\w.:/%+\-]*$")
# Rule 2 (a student's sentence): in lessons.md, the quotation that opens a
# bullet under "Misconceptions to expect" is what a student might say; the
# bullet goes on to correct it.
MISCONCEPTIONS = re.compile(r"^(?:#### |\*\*)Misconceptions to expect\.?(?:\*\*)?\n(.*?)(?=\n\s*\n|^#)",
                            re.M | re.S)
# Rule 3 (exercises): the sentences an exercise asks the student to judge or to
# write -- drafts, some wrong on purpose -- and model answers written by the
# course, not quoted from a source.  Named by exercise; they count in the cells
# of that exercise (its "**Exercise N.k**" cell, its solution cells) and in
# lessons.md.
EXERCISE_SENTENCES: dict[str, str] = {
    "1.2": "a classmate's sentence that the student judges",
    "2.3": "the course's model caption",
    "2.6": "a sentence the student judges, and the course's model rewrite",
    "3.1": "sentences the student tests against a row; some reword it on purpose",
    "3.3": "the reasons offered to choose from",
    "3.5": "headlines and sentences a student might write, and the course's model",
    "4.4": "drafts the student compares word for word with the quotes; some misquote on purpose",
    "5.2": "a classmate's sentence that the student tests",
    "6.3": "the words the student's function must print",
    "6.4": "the two sentences a writer wants a statement for",
    "6.5": "the student's draft and the rewrites to choose from; some misquote on purpose",
}
# Everything else: the quotation (normalised), and why it is not a source's words.
_TERMS = "a term, a label or a scare quote (one to three words), not a quotation"
_LABEL = "a label the notebook or its table prints"
_CODE = "a message or value of the course's code, quoted as printed"
_SAY = "words the course suggests saying or asking in class, not a source's"
EXCEPTIONS: dict[str, str] = {
    # terms and scare quotes
    "Zulu": _TERMS, "wins": _TERMS, "exactly": _TERMS, "no limit": _TERMS, "the city point": _TERMS,
    "largest upper bound": _TERMS, "more than half of N": _TERMS, "context": _TERMS, "traditional": _TERMS,
    "By whose account": _TERMS, "About 9 km": _TERMS, "at least n": _TERMS, "Western media": _TERMS,
    "chain": _TERMS, "Points to": _TERMS, "anonymous": _TERMS, "institutional": _TERMS, "Unnamed": _TERMS,
    "unnamed": _TERMS, "First-hand": _TERMS, "honest": _TERMS, "highest": _TERMS,
    "dated": _TERMS, "scope": _TERMS, "at least 15": _TERMS, "15 killed": _TERMS, "not confirmed": _TERMS,
    "false": _TERMS, "cannot tell": _TERMS, "wrong": _TERMS, "suggests": _TERMS, "asserts": _TERMS,
    "breakdown": _TERMS, "Breakdown": _TERMS, "Timing": "a heading of this guide", "Versions": "a heading of this guide",
    "no other hands in between": "the wording of exercise 6.2's task, quoted in its key",
    "reported via": _TERMS, "error": _TERMS, "approximate": _TERMS, "lying": _TERMS,
    "Z": "the suffix of a Zulu (UTC) time, as the figure's text prints it", "the coalition denied it": "a misconception a student might voice",
    "the strikes damaged the ceasefire": "a student's reading, set against 'misidentification'",
    # labels printed by the notebooks
    "not dated": _LABEL, "not available": _LABEL, "Not stated": _LABEL, "not stated": _LABEL,
    "Inferred": "the opening word of a positions note, as the data prints it",
    "Contradicted": _LABEL, "Killed, at least": _LABEL, "Killed, at most": _LABEL,
    "Jabal Thardeh, not only the strikes": "a label of the range chart",
    "U.S. CENTCOM official (anonymous)": "a value of the role column",
    "the 'Russian Syrian government'": "a value of the reported_by column (C02), in the article's words",
    "the failure of the cessation of hostilities": "a row label of the grid (attributions, effect column)",
    "the breakdown of the ceasefire": "a row label of the grid (attributions, effect column)",
    "[better source needed]": "the encyclopedia's maintenance tag, printed in the extract S02 (P01's note)",
    "scheduled expiry vs. declared end": "a name the guide gives to discrepancy D10",
    "Russian call E013": _LABEL, "Russian call E014": _LABEL,
    # the course's code
    "Spawn failed": "JupyterHub's message", "not answered yet": _CODE, "All 5 checks passed": _CODE,
    "Exercise 0.1: not answered yet": _CODE, "right event, wrong offset or zone": _CODE,
    "You gave 12.0, a float: wrap your calculation in int(...)": _CODE,
    "the setup cell failed ... install the course package ... or set DEIREZZOR_DATA": _CODE,
    "return a tuple": _CODE, "return three": _CODE, "verdict": _CODE, "row": _CODE,
    # forms of words for class
    "according to the Russian Defence Ministry": _SAY, "the coalition's investigation says": _SAY,
    "the coalition investigation says": _SAY, "the Russian Defence Ministry said": _SAY,
    "the Russian Foreign Ministry's spokeswoman said": _SAY, "the coalition investigation states": _SAY,
    "according to the coalition investigation": _SAY, "the Russian Foreign Ministry said": _SAY,
    "SOHR said": _SAY, "who says so, and where?": _SAY, "who was closest": _SAY,
    "what in the data bears on that?": _SAY, "we can't put a dot there": _SAY, "according to whom?": _SAY,
    "where would you draw a vertical line that crosses every strikes row?": _SAY,
    "what would change your mind": _SAY, "we cannot know from this": _SAY,
    "An empty reported_via is not first-hand": _CODE,
    # the article's words kept in a column other than passage
    "a pro-Syrian government outlet": "the article's words, kept in Q14-Q16's reported_via column",
    "the Russian U.N. permanent representative": "the article's words, kept in T33's claimant column",
}


# ---------------------------------------------------------------------------
# Reading the quotations.
# ---------------------------------------------------------------------------
QUOTED = re.compile(r'"([^"]*)"')
FENCE = re.compile(r"```.*?```", re.S)
CODE = re.compile(r"``.*?``|`[^`\n]*`", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]+>")
PROSE_COLUMNS = {"description", "note", "notes", "derivation", "version_a", "version_b",
                 "to_resolve", "computed_check", "relative_location", "topic"}
# Columns that hold a source's words whole, of which `passage` is the cited part.
VERBATIM_COLUMNS = ("quote", "time_as_given", "number_as_given")
EXERCISE_CELL = re.compile(r"^\*\*Exercise (\d+\.\d+)\*\*", re.M)


def straighten(text: str) -> str:
    text = html.unescape(text)
    for curly, plain in (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'"),
                         ("\u00a0", " "), ("…", "...")):
        text = text.replace(curly, plain)
    return text


def prose(markdown: str) -> str:
    """Markdown without code and comments, where quotation marks are code's, not prose's."""
    def blank(m):  # keep the line count, so that lessons.md's line numbers stay right
        return "\n" * m.group().count("\n") or " "
    return CODE.sub(blank, FENCE.sub(blank, COMMENT.sub(blank, markdown)))


def quotations(text: str, where: str, exercise: str | None = None) -> list[dict]:
    text = straighten(text)
    found = [{"where": where, "text": m.group(1), "exercise": exercise} for m in QUOTED.finditer(text)]
    if text.count('"') % 2:
        found.append({"where": where, "text": None, "exercise": exercise,
                      "unbalanced": text[:120]})
    return found


def strings(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
    elif isinstance(node, str):
        yield node


def notebook_quotations(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out, exercise = [], None
    for i, cell in enumerate(nb["cells"]):
        where = f"instructor/{path.name} cell {i}"
        src = "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown":
            m = EXERCISE_CELL.search(src)
            if m:
                exercise = m.group(1)
            elif not ({"solution", "check"} & set(tags)):
                exercise = None
            out += quotations(prose(src), where, exercise)
        elif not ({"solution", "check"} & set(tags)):
            exercise = None
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out += quotations("".join(o["text"]), f"{where} (output)", exercise)
            data = o.get("data", {})
            if "text/markdown" in data:
                out += quotations(prose("".join(data["text/markdown"])), f"{where} (output)", exercise)
            if "text/html" in data:
                out += quotations(TAG.sub(" ", "".join(data["text/html"])), f"{where} (table)", exercise)
            elif "text/plain" in data and "application/vnd.plotly.v1+json" not in data:
                out += quotations("".join(data["text/plain"]), f"{where} (output)", exercise)
            if "application/vnd.plotly.v1+json" in data:
                for s in strings(data["application/vnd.plotly.v1+json"]):
                    out += quotations(s, f"{where} (figure)", exercise)
    return out


def lessons_quotations() -> list[dict]:
    text = (ROOT / "lessons.md").read_text(encoding="utf-8")
    misconceptions = set()
    for block in MISCONCEPTIONS.finditer(prose(text)):
        for line in block.group(1).splitlines():
            m = re.match(r'^- \*{0,2}["“]([^"”]*)["”]', line.strip())
            if m:
                misconceptions.add(normal(m.group(1)))
    out, lineno = [], 1
    for block in re.split(r"\n(?=- |\d+\. |#|\s*\n)", prose(text)):  # paragraphs and list items
        m = re.search(r"\*\*(\d+\.\d+) \(", block)
        exercise = m.group(1) if m else None
        start, lineno = lineno, lineno + block.count("\n") + 1
        for q in quotations(block, f"lessons.md line {start}", exercise):
            if q["text"] is not None:
                at = straighten(block).find(q["text"])
                q["where"] = f"lessons.md line {start + straighten(block)[:max(at, 0)].count(chr(10))}"
                if normal(q["text"]) in misconceptions:
                    q["rule"] = "misconception"
            out.append(q)
    return out


def data_quotations() -> list[dict]:
    out = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                first = next(iter(row.values()))
                for col in PROSE_COLUMNS & set(row):
                    if row[col]:
                        out += quotations(row[col], f"data/{path.name} {first} {col}")
    return out


# ---------------------------------------------------------------------------
# Matching.
# ---------------------------------------------------------------------------
def normal(text: str) -> str:
    text = straighten(text).replace("*", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:")


def record() -> list[str]:
    """Every row's passage, and statements' quotes that extend their passage."""
    out = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                passage = normal(row.get("passage") or "")
                if passage:
                    out.append(passage)
                for col in VERBATIM_COLUMNS:
                    words = normal(row.get(col) or "")
                    if passage and words and in_passage(passage, [words]):
                        out.append(words)
    return out


def pieces(quote: str) -> list[str]:
    return [p.strip(" .,;:") for p in normal(quote).split("...") if p.strip(" .,;:")]


def in_passage(quote: str, passages: list[str]) -> bool:
    """True if the quote's pieces appear in one passage, in order (first letter's case free)."""
    parts = pieces(quote)
    if not parts:
        return True
    # each piece whole: "held" is not found inside "withheld"
    first, *rest = [re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)") for p in parts]
    first_other_case = re.compile(r"(?<!\w)" + re.escape(parts[0][:1].swapcase() + parts[0][1:]) + r"(?!\w)")
    for passage in passages:
        for start in (first, first_other_case):
            m = start.search(passage)
            if not m:
                continue
            pos = m.end()
            for piece in rest:
                m = piece.search(passage, pos)
                if not m:
                    break
                pos = m.end()
            else:
                return True
    return False


def excused(q: dict) -> str | None:
    text = normal(q["text"])
    if TOKEN.match(text) or not text:
        return "code or data value"
    if q.get("rule") == "misconception":
        return "a misconception a student might voice"
    if q.get("exercise") in EXERCISE_SENTENCES:
        return f"exercise {q['exercise']}: {EXERCISE_SENTENCES[q['exercise']]}"
    return EXCEPTIONS.get(text)


def all_quotations() -> list[dict]:
    out = []
    for path in sorted((ROOT / "instructor").glob("*.ipynb")):
        out += notebook_quotations(path)
    return out + lessons_quotations() + data_quotations()


def audit():
    passages = record()
    checked, excepted, failures = 0, 0, []
    for q in all_quotations():
        if q["text"] is None:
            failures.append(f"{q['where']}: unbalanced quotation marks near {q['unbalanced']!r}")
            continue
        checked += 1
        if in_passage(q["text"], passages):
            continue
        if excused(q):
            excepted += 1
            continue
        failures.append(f"{q['where']}: “{normal(q['text'])}” is in no row's passage")
    return checked, excepted, failures


# ---------------------------------------------------------------------------
# Tests.
# ---------------------------------------------------------------------------
def test_every_quotation_is_a_passage(capsys):
    checked, excepted, failures = audit()
    with capsys.disabled():
        print(f"\nquotations checked: {checked} ({checked - excepted - len(failures)} found in a "
              f"passage, {excepted} allowed exceptions, {len(failures)} failures)")
    assert checked > 300, f"only {checked} quotations found: is the extraction broken?"
    assert not failures, (f"{len(failures)} quotation(s) are not a source's exact words as the data "
                          "record them. Use the exact words, or drop the quotation marks and credit "
                          "the paraphrase:\n" + "\n".join(failures))


def test_exceptions_are_still_needed():
    """An exception whose quotation no longer appears, or now matches a passage, is dead: remove it."""
    passages = record()
    texts = {normal(q["text"]) for q in all_quotations() if q["text"] is not None}
    dead = [t for t in EXCEPTIONS if t not in texts or in_passage(t, passages)]
    assert not dead, f"exceptions no longer needed: {dead}"


def test_matcher_rejects_paraphrase_and_accepts_elision():
    passages = [normal("led to a delay of 27 minutes, during which 15 of the 37 strikes were conducted")]
    assert in_passage("15 of the 37 strikes", passages)
    assert in_passage("Led to a delay of 27 minutes … 15 of the 37 strikes were conducted.", passages)
    assert in_passage("led to a delay ... were conducted", passages)
    assert not in_passage("15 of 37 strikes", passages)                    # a word dropped, no ellipsis
    assert not in_passage("were conducted ... led to a delay", passages)    # pieces out of order
    assert not in_passage("could only confirm 15", passages)
    assert not in_passage("ay of 27", passages)                            # pieces are whole words


def test_extraction_finds_curly_and_straight_quotes_and_skips_code():
    found = [q["text"] for q in quotations(prose('He said “a stunt”. `x = "code"` and "at least" 62.'), "t")]
    assert found == ["a stunt", "at least"]
    assert quotations('one "unbalanced quotation', "t")[-1].get("unbalanced")


if __name__ == "__main__":
    checked, excepted, failures = audit()
    print("\n".join(failures))
    print(f"quotations checked: {checked}; found in a passage: {checked - excepted - len(failures)}; "
          f"allowed exceptions: {excepted}; failures: {len(failures)}")
