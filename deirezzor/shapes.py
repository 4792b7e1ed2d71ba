"""Answer shapes: the small shared set every exercise's answer takes (docs/writing-an-exercise.md).

An exercise's *spec* (a raw cell tagged ``spec`` in its instructor notebook) names
one shape and its parameters.  The shape brings three things:

* its **public first checks** (:func:`form_checks`): is the answer a list, are the
  ids ids of the table, is it sorted ...  Each failing check has its own hint.
  They need no key, so the student's package runs them.
* its **normal form** (:data:`NORMAL`): one Python expression over the answer
  ``a`` that uses builtins only.  The same text is evaluated here (to hash a
  student's answer for the self-check) and pasted into the hidden nbgrader test,
  which compares it with the literal normal forms of the accepted answers, so
  the grade does not rest on any function a student could redefine.
* for functions, the answer is first *called* on the spec's inputs and each
  output is normalised; mistakes can then be told per input.

Standard library only.
"""
from __future__ import annotations

import hashlib
import inspect
import numbers
from typing import Any

__all__ = ["SHAPES", "NORMAL", "normal_form", "output_forms", "digest", "form_checks", "unanswered",
           "type_name"]

SHAPES = ("ids", "letters", "choice", "text", "whole", "number", "numbers", "pairs", "record", "groups",
          "tuple", "function", "custom")

# One expression per shape, over the answer `a` (builtins only; `@digits@`, `@inputs@` and
# `@expr@` are filled in from the spec).  A value of the wrong kind gives None, never a pass.
_LISTS = "(type([]), type(()), type(set()))"
_SCALAR = ("(lambda v: v if v is None or type(v) in (type(''), type(True)) else "
           "(int(v) if float(v) == int(v) else float(v)))")
_OUTPUT = (f"(lambda o: tuple({_SCALAR}(v) for v in o) if type(o) in (type(()), type([])) "
           f"else {_SCALAR}(o))")
NORMAL = {
    # a collection of ids / letters: which ones, not their order (the self-check asks for sorted)
    "ids": f"repr(sorted({{str(v) for v in a}})) if type(a) in {_LISTS} else None",
    "letters": f"repr(sorted({{str(v) for v in a}})) if type(a) in {_LISTS} else None",
    "choice": "repr(str(a)) if type(a) is type('') else None",
    "groups": ("repr(sorted((str(k), sorted({str(x) for x in v})) for k, v in a.items())) "
               f"if type(a) is type({{}}) and all(type(v) in {_LISTS} for v in a.values()) else None"),
    "tuple": "repr(tuple(str(x) for x in a)) if type(a) in (type(()), type([])) else None",
    "text": "repr(str(a).strip()) if type(a) is type('') else None",
    "numbers": ("repr(sorted((str(k), round(float(v), @digits@)) for k, v in a.items())) "
                "if type(a) is type({}) and all(type(v) not in (type(True), type('')) for v in a.values()) else None"),
    "whole": "repr(int(a)) if type(a) not in (type(True), type('')) and float(a) == int(a) else None",
    "number": "repr(round(float(a), @digits@)) if type(a) not in (type(True), type('')) else None",
    "pairs": ("repr([tuple(str(x) for x in t) for t in a]) if type(a) in (type([]), type(())) "
              "and all(type(t) in (type(()), type([])) for t in a) else None"),
    "record": "repr(sorted((str(k), str(v)) for k, v in a.items())) if type(a) is type({}) else None",
    "function": f"repr([{_OUTPUT}(a(*i)) for i in @inputs@])",
    "custom": "@expr@",
}


def expression(spec: dict) -> str:
    """The normal-form expression of this spec's shape, parameters filled in."""
    shape = spec["shape"]
    if shape not in NORMAL:
        raise ValueError(f"exercise {spec.get('exercise')}: unknown shape {shape!r}; one of {', '.join(SHAPES)}")
    return (NORMAL[shape].replace("@digits@", str(int(spec.get("digits", 0))))
            .replace("@inputs@", repr(_inputs(spec))).replace("@expr@", spec.get("normal", "None")))


def _inputs(spec: dict) -> list[tuple]:
    return [tuple(i) for i in spec.get("inputs") or []]


def normal_form(spec: dict, answer: Any) -> str | None:
    """The answer's normal form (None when it has none, e.g. the wrong type or a crash)."""
    try:
        value = eval(expression(spec), {"__builtins__": __builtins__, "a": answer})  # noqa: S307
    except Exception:  # noqa: BLE001 - an answer that cannot be normalised is no answer
        return None
    return value if isinstance(value, str) else None


def output_forms(spec: dict, function: Any) -> list[str | None]:
    """For a function: the normal form of its output on each input (None where it raised)."""
    forms = []
    for args in _inputs(spec):
        one = dict(spec, inputs=[args])
        form = normal_form(one, function)
        forms.append(form[1:-1] if form else None)      # one-element list → its element
    return forms


def part_form(value: Any) -> str | None:
    """The normal form of one part of an answer (an item of a list, a value of a dict)."""
    try:
        if type(value) in (tuple, list):
            return repr(tuple(str(x) for x in value))
        return repr(str(value))
    except Exception:  # noqa: BLE001
        return None


def digest(salt: str, exercise_id: str, form: str, part: str = "") -> str:
    """A salted hash of a normal form: what the package stores instead of the form."""
    text = "\x1f".join((salt, exercise_id, part, form))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def unanswered(answer: Any) -> str | None:
    """'' for a blank answer (... or None), a detail if part of it is ..., else None."""
    if answer is ... or answer is None:
        return ""
    parts: Any = ()
    if isinstance(answer, (tuple, list)):
        parts = answer
    elif isinstance(answer, dict):
        parts = answer.values()
    if any(p is ... for p in parts):
        return " (part of the answer is still ...)"
    return None


# ------------------------------------------------------------------ public first checks
_TYPE_NAMES = {"int": "a whole number (int)", "float": "a decimal number (float)", "str": "a text (str)",
               "list": "a list", "tuple": "a tuple", "dict": "a dict", "bool": "True/False (bool)",
               "NoneType": "None", "function": "a function", "set": "a set"}


def _whole(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def type_name(x: Any) -> str:
    t = type(x)
    if _whole(x):
        return _TYPE_NAMES["int"]
    if t.__module__.startswith(("pandas", "numpy")):
        return f"a {t.__module__.split('.')[0]} {t.__name__}"
    return _TYPE_NAMES.get(t.__name__, f"a {t.__name__}")


def _column_values(spec: dict, table: str | None = None, column: str | None = None) -> set[str] | None:
    table = table or spec.get("table")
    column = column or spec.get("column")
    if not table or not column:
        return None
    from deirezzor import load
    return {str(v) for v in load(table)[column].dropna()}


def _collection(spec: dict, answer: Any, item: str, example: str) -> list[tuple[str, bool, str]]:
    what = f"the answer is a list of {item}s"
    if isinstance(answer, str):
        return [(what, False, f"You gave one text ({answer!r}). Put each {item} in its own quotes, "
                              f"inside a list: {example}.")]
    if type(answer).__name__ in ("Series", "Index", "ndarray"):
        return [(what, False, f"You gave {type_name(answer)}; sorted(...) around it gives a list.")]
    if isinstance(answer, (tuple, set)):
        return [(what, False, f"You gave {type_name(answer)}; wrap it in sorted(...), which gives a list.")]
    if not isinstance(answer, list):
        return [(what, False, f"You gave {type_name(answer)}; give the {item}s in a list, e.g. {example}.")]
    if not all(isinstance(a, str) for a in answer):
        return [(what, False, f"Some items are not texts: give each {item} as written in the table, "
                              f"in quotes, e.g. {example}, not row numbers.")]
    out = [(what, True, "")]
    if not answer:
        return out + [("the list is not empty", False, f"Your list is empty. Which {item}s does the question ask for?")]
    allowed = _column_values(spec) if spec["shape"] == "ids" else set(spec.get("letters", ""))
    odd = sorted(a for a in answer if allowed is not None and a not in allowed)
    if spec["shape"] == "ids":
        where = f"{spec.get('column')} in {spec.get('table')}"
        out.append((f"every id is a value of {where}", not odd,
                    f"{odd[0]!r} is not one: copy the ids from the {spec.get('column')} column." if odd else ""))
    else:
        letters = ", ".join(spec.get("letters", ""))
        out.append((f"every item is one of the capital letters {letters}", not odd,
                    f"{odd[0]!r} is not one of them. Use the letters as printed, in capitals." if odd else ""))
    if odd:
        return out
    out.append((f"no {item} appears twice", len(set(answer)) == len(answer), f"List each {item} once."))
    out.append(("the list is sorted", list(answer) == sorted(answer), "Wrap it in sorted(...)."))
    return out


def _choice_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    choices = list(spec.get("choices", ""))
    words = ", ".join(choices)
    if isinstance(answer, (list, tuple)) and len(answer) == 1 and isinstance(answer[0], str):
        return [("the answer is one text", False,
                 f"You gave {type_name(answer)}. Give the choice itself as a text: \"X\", not [\"X\"].")]
    if not isinstance(answer, str):
        return [("the answer is one text", False,
                 f"You gave {type_name(answer)}. Give one choice as a text, between quotation marks.")]
    out = [("the answer is one text", True, "")]
    if len(answer) > 20:
        hint = "You wrote a sentence. Give only the choice, between quotation marks."
    elif answer.strip().upper() in choices and answer not in choices:
        hint = "Write it exactly as printed (capitals, no spaces)."
    else:
        hint = f"{answer!r} is not one of them. Choose one of {words}."
    out.append((f"it is one of {words}", answer in choices, "" if answer in choices else hint))
    return out


def _text_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    import re
    if not isinstance(answer, str):
        return [("the answer is a text", False, f"You gave {type_name(answer)}; give a text, in quotes.")]
    out = [("the answer is a text", True, "")]
    pattern = spec.get("pattern")
    if pattern:
        ok = re.fullmatch(pattern, answer.strip()) is not None
        out.append((f"it has the form {spec.get('form', pattern)}", ok, "" if ok else spec.get(
            "form_hint", f"Write it in the form {spec.get('form', pattern)}.")))
    return out


def _tuple_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    size = int(spec.get("size", 2))
    what = f"the answer is a tuple of {size} values"
    if isinstance(answer, list) and len(answer) == size:
        return [(what, False, "You gave a list; write it as a tuple, with round brackets: (x, y).")]
    if not isinstance(answer, tuple):
        return [(what, False, f"You gave {type_name(answer)}; give a tuple of {size}, e.g. (x, y).")]
    if len(answer) != size:
        return [(what, False, f"You gave {len(answer)} values; give exactly {size}.")]
    out = [(what, True, "")]
    if spec.get("items") == "whole":
        bad = [x for x in answer if not _whole(x)]
        out.append(("each value is a whole number", not bad,
                    f"You gave {bad[0]!r} ({type_name(bad[0])}); use .days or int(...)." if bad else ""))
    return out


def _numbers_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    if type(answer).__name__ == "Series":
        return [("the answer is a dict", False, "You gave a pandas Series; .to_dict() turns it into a dict.")]
    if not isinstance(answer, dict):
        return [("the answer is a dict", False, f"You gave {type_name(answer)}; give a dict {{id: number}}.")]
    out = [("the answer is a dict", True, "")]
    allowed = _column_values(spec)
    odd = [k for k in answer if not isinstance(k, str) or (allowed is not None and k not in allowed)]
    out.append((f"every key is a value of {spec.get('column')} in {spec.get('table')}", not odd,
                f"{odd[0]!r} is not one. Use the ids (texts) as keys, not row numbers." if odd else ""))
    if odd:
        return out
    bad = [k for k, v in answer.items() if not (isinstance(v, numbers.Real) and not isinstance(v, bool))]
    out.append(("every value is a number", not bad,
                f"The value of {bad[0]!r} is {type_name(answer[bad[0]])}; give a number." if bad else ""))
    return out


def _keyed_dict(answer: Any, keys: list, example: str, keys_line: str) -> list[tuple[str, bool, str]]:
    """The opening of a check whose answer is a dict with exactly ``keys``:
    "the answer is a dict", then ``keys_line`` (whether its keys are those);
    each hint shows ``example``.  The caller goes on only if the last line passed."""
    if not isinstance(answer, dict):
        return [("the answer is a dict", False, f"You gave {type_name(answer)}. Write {example}.")]
    ok = set(answer) == set(keys)
    return [("the answer is a dict", True, ""),
            (keys_line, ok, "" if ok else f"Use exactly these keys: {example}.")]


def _groups_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    keys = list(spec.get("keys", []))
    example = "{" + ", ".join(f'"{k}": [...]' for k in keys) + "}"
    out = _keyed_dict(answer, keys, example, "its keys are " + ", ".join(f'"{k}"' for k in keys))
    if not out[-1][1]:
        return out
    odd = [k for k in keys if not (isinstance(answer[k], list) and all(isinstance(x, str) for x in answer[k]))]
    out.append(("each value is a list of ids (texts)", not odd,
                f"The value of {odd[0]!r} is {type_name(answer[odd[0]])}; give a list of ids as texts."
                if odd else ""))
    if odd:
        return out
    allowed = _column_values(spec)
    unknown = sorted(x for k in keys for x in answer[k] if allowed is not None and x not in allowed)
    out.append((f"every id is a value of {spec.get('column')} in {spec.get('table')}", not unknown,
                f"{unknown[0]!r} is not one: copy the ids from the {spec.get('column')} column." if unknown else ""))
    if unknown:
        return out
    tidy = all(answer[k] == sorted(set(answer[k])) for k in keys)
    out.append(("each list is sorted and names each id once", tidy, "" if tidy else "Use sorted(...) on each list."))
    return out


def _whole_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    unit = spec.get("unit", "")
    what = f"the answer is a whole number of {unit}" if unit else "the answer is a whole number"
    if _whole(answer):
        return [(what, True, "")]
    if isinstance(answer, bool):
        hint = "You gave True or False. Give the number itself, not a comparison."
    elif isinstance(answer, numbers.Real) and float(answer).is_integer():
        hint = f"You gave {answer!r}, a float. Wrap your calculation in int(...)."
    elif isinstance(answer, numbers.Real):
        hint = f"You gave {answer!r}, which has a fractional part."
    elif isinstance(answer, str):
        hint = "You gave a text (in quotes). Give the number itself, without quotes."
    elif type(answer).__name__ in ("Series", "DataFrame"):
        hint = f"You gave {type_name(answer)}, one value per row. Count or add them up to one number."
    else:
        hint = f"You gave {type_name(answer)}."
    return [(what + " (an int)", False, hint)]


def _number_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    ok = isinstance(answer, numbers.Real) and not isinstance(answer, bool)
    return [("the answer is a number", ok, "" if ok else f"You gave {type_name(answer)}; give one number.")]


def _pairs_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    n = int(spec.get("count", 2))
    shape = f"a list of {n} tuples (id, reason), e.g. [(\"X01\", \"reason\"), ...]"
    what = f"the answer is a list of {n} tuples (id, reason)"
    if isinstance(answer, tuple) and len(answer) == 2 and all(isinstance(a, str) for a in answer):
        problem = f"You gave one tuple; give {shape}, one tuple per question, in order."
    elif not isinstance(answer, list):
        problem = f"You gave {type_name(answer)}; give {shape}."
    elif len(answer) != n:
        problem = f"Your list has {len(answer)} item(s); give one (id, reason) tuple per question, {n} in all."
    elif any(isinstance(a, list) for a in answer):
        problem = "Each item is a list; write it as a tuple, with round brackets: (\"X01\", \"reason\")."
    elif not all(isinstance(a, tuple) and len(a) == 2 and all(isinstance(x, str) for x in a) for a in answer):
        problem = "Each item must be a tuple of two texts, (id, reason)."
    else:
        problem = ""
    out = [(what, not problem, problem)]
    if problem:
        return out
    ids = _column_values(spec)
    unknown = [i for i, _ in answer if ids is not None and i not in ids]
    out.append((f"each tuple starts with a value of {spec.get('column')} in {spec.get('table')}", not unknown,
                f"{unknown[0]!r} is not one; write ids as in the table." if unknown else ""))
    if unknown:
        return out
    reasons = list(spec.get("reasons", []))
    odd = [r for _, r in answer if r not in reasons]
    out.append(("each reason is one of " + ", ".join(f"'{r}'" for r in reasons), not odd,
                f"{odd[0]!r} is not one of them: copy the reason from the list, as written." if odd else ""))
    return out


def _record_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    fields: dict = spec.get("fields", {})
    keys = list(fields)
    example = "{" + ", ".join(f'"{k}": ...' for k in keys) + "}"
    out = _keyed_dict(answer, keys, example, "it has exactly the keys " + ", ".join(f'"{k}"' for k in keys))
    if not out[-1][1]:
        return out
    for key, allowed in fields.items():
        value = answer[key]
        if allowed == "whole":
            good = _whole(value)
            out.append((f"its \"{key}\" is a whole number", good,
                        "" if good else f"You gave {type_name(value)} for {key}; give a whole number (int)."))
        elif isinstance(allowed, str):                # "table.column"
            table, column = allowed.split(".")
            values = _column_values(spec, table, column) or set()
            good = isinstance(value, str) and value in values
            out.append((f"its {key} is a value of {column} in {table}", good,
                        "" if good else f"{value!r} is not one: copy it from the {column} column."))
        else:
            good = value in allowed
            out.append((f"its \"{key}\" is one of the listed choices", good,
                        "" if good else f"{value!r} is not one of them: copy one from the list exactly."))
        if not good:
            return out
    return out


def _function_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    arity = spec.get("arity")
    if not callable(answer):
        return [("the answer is a function", False,
                 f"You gave {type_name(answer)}. Assign the function itself, without brackets: "
                 f"answer = name_of_your_function.")]
    out = [("the answer is a function", True, "")]
    if arity is not None:
        try:
            inspect.signature(answer).bind(*range(int(arity)))
            fits = True
        except (TypeError, ValueError):
            fits = False
        out.append((f"it takes {arity} argument{'s' if int(arity) != 1 else ''}", fits,
                    "" if fits else f"Define it with {arity} parameters, in the order the exercise gives."))
        if not fits:
            return out
    if not _inputs(spec):
        return out
    crash = None
    returned = []
    for args in _inputs(spec):
        try:
            returned.append((args, answer(*args)))
        except Exception as err:  # noqa: BLE001 - the student's function may raise anything
            crash = crash or (args, err)
    out.append(("it runs on every input without raising an error", crash is None,
                "" if crash is None else
                f"Your function raised {type(crash[1]).__name__} when given {_show(crash[0])}. "
                "Make sure it handles every case the exercise lists."))
    if crash is not None:
        return out
    size = spec.get("returns")
    if size:
        bad = [(args, got) for args, got in returned if not (isinstance(got, tuple) and len(got) == int(size))]
        out.append((f"it returns a tuple of {size} values", not bad,
                    "" if not bad else f"Given {_show(bad[0][0])} it returned {type_name(bad[0][1])} "
                    f"({_show(bad[0][1])}); return a tuple of {size}, e.g. return (x, y, z)."))
    return out


def _show(value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    return text


_CHECKS = {"ids": lambda s, a: _collection(s, a, "id", '["X01", "X02"]'),
           "letters": lambda s, a: _collection(s, a, "letter", '["X", "Y"]'),
           "choice": _choice_checks, "groups": _groups_checks, "text": _text_checks,
           "numbers": _numbers_checks, "tuple": _tuple_checks,
           "whole": _whole_checks, "number": _number_checks, "pairs": _pairs_checks,
           "record": _record_checks, "function": _function_checks,
           "custom": lambda s, a: _function_checks(s, a) if s.get("arity") is not None else []}


def form_checks(spec: dict, answer: Any) -> list[tuple[str, bool, str]]:
    """The shape's public checks, in order, up to and including the first that fails."""
    out = []
    for what, ok, hint in _CHECKS[spec["shape"]](spec, answer):
        out.append((what, bool(ok), hint))
        if not ok:
            break
    return out


# ------------------------------------------------------------------ build-time capture
CAPTURE_MARK = "@@deirezzor-capture "


def capture(exercise_id: str, spec: dict, namespace: dict) -> None:
    """Run by `make build` in the instructor notebook's kernel, right after a solution cell.

    Prints one line: the normal forms of the model answer (the variable the solution
    cell assigned), of each accepted alternative and of each mistake of the spec.
    ``code:`` entries are evaluated in the notebook's namespace at that point, so a
    mistake can be written as the computation that makes it.
    """
    import json
    var = "answer_" + exercise_id.replace(".", "_")
    model = namespace[var]

    def value(entry: dict) -> Any:
        if "code" in entry:
            return eval(entry["code"], namespace)  # noqa: S307 - the instructor's own spec
        return _from_yaml(entry["answer"], spec)

    if isinstance(spec.get("inputs"), str):
        spec = dict(spec, inputs=[list(i) for i in eval(spec["inputs"], namespace)])  # noqa: S307
    out: dict[str, Any] = {"inputs": spec.get("inputs"), "model": normal_form(spec, model),
                           "accept": [], "mistakes": []}
    if spec["shape"] == "function":
        out["model_outputs"] = output_forms(spec, model)
    for entry in spec.get("accept") or []:
        out["accept"].append(normal_form(spec, value(entry)))
    for entry in spec.get("mistakes") or []:
        if entry.get("others"):
            out["mistakes"].append(None)        # the build lists the other choices itself
            continue
        got = value(entry)
        if spec["shape"] == "function":
            out["mistakes"].append(output_forms(spec, got))
        elif "part" in entry:
            out["mistakes"].append(part_form(got))
        else:
            out["mistakes"].append(normal_form(spec, got))
    print(CAPTURE_MARK + json.dumps({exercise_id: out}, sort_keys=True))


def _from_yaml(value: Any, spec: dict) -> Any:
    """YAML has no tuples: a pairs answer's items come back as lists, which the normal form accepts."""
    return value
