"""Tests on the project's real data in data/: consistency, arithmetic, and
that a corrupted copy of every table is rejected with an error naming the
file, the row and the column.

The numbers the discrepancies table quotes in `computed_check` are
recomputed here from the other tables, so a wrong figure there fails.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

import deirezzor
from deirezzor import DataError, geo

DATA = Path(deirezzor.data_dir())
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
DAMASCUS = ZoneInfo("Asia/Damascus")


@pytest.fixture(scope="module")
def t():
    return deirezzor.load_all()


def utc(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=timezone.utc)


def row(frame: pd.DataFrame, key: str):
    """The one row of a table whose first column equals key."""
    hits = frame[frame.iloc[:, 0] == key]
    assert len(hits) == 1, f"expected one row with key {key}, found {len(hits)}"
    return hits.iloc[0]


# ---------------------------------------------------------------- structure
def test_every_table_cites_a_source_and_a_passage(t):
    for name, frame in t.items():
        if name == "sources":
            continue
        assert "source_id" in frame and "passage" in frame, name
        assert frame["source_id"].notna().all(), name
        assert frame["passage"].str.len().gt(0).all(), name
        assert set(frame["source_id"]) <= set(t["sources"]["source_id"]), name


def test_every_source_is_cited_somewhere(t):
    cited = set()
    for name, frame in t.items():
        if name != "sources":
            cited |= set(frame["source_id"].dropna())
    cited |= set(t["places"]["coord_source_id"].dropna())
    # A discrepancy's versions name the sources they set side by side, e.g. "(G02)".
    # ... and a place's derivation names the pages giving alternative coordinates.
    for text in pd.concat([t["discrepancies"]["version_a"], t["discrepancies"]["version_b"],
                           t["places"]["derivation"].dropna()]):
        cited |= set(re.findall(r"\(([SXGN]\d{2})\)", text))
    unused = set(t["sources"]["source_id"]) - cited
    assert not unused, f"sources no row cites: {sorted(unused)}"


def test_no_passage_is_a_research_note(t):
    """Issue 19: a passage is the source's own words, never the project's summary of a page."""
    notes = [(name, key) for name, frame in t.items() if "passage" in frame
             for key, passage in zip(frame.iloc[:, 0], frame["passage"])
             if str(passage).lstrip().lower().startswith("(research note)")]
    assert not notes, f"passages that are research notes, not the source's words: {notes}"


def test_every_source_has_a_url_or_says_why_not(t):
    s = t["sources"]
    no_url = s[s["url"].isna() | s["url"].astype(str).str.strip().eq("")]
    unexplained = no_url[~no_url["notes"].fillna("").str.contains(r"\bno URL\b", case=False)]
    assert unexplained.empty, f"sources with no URL and no stated reason: {list(unexplained['source_id'])}"
    assert s["url"].dropna().str.match(r"https?://\S+$").all()


def test_discrepancy_refs_resolve(t):
    for _, d in t["discrepancies"].iterrows():
        for ref in d["refs"].split("; "):
            table, key = ref.split(":")
            pk = RESOURCES[table]["schema"]["primaryKey"]
            assert key in set(t[table][pk]), f"{d['discrepancy_id']}: {ref} does not resolve"


def test_version_of_points_to_an_earlier_account_of_the_same_day(t):
    ev = t["events"].set_index("event_id")
    for eid, e in ev[ev["version_of"].notna()].iterrows():
        other = ev.loc[e["version_of"]]
        assert other["category"] == e["category"], eid
        assert abs((other["date"] - e["date"]).days) <= 1, eid


def test_places_with_coordinates_name_their_source(t):
    p = t["places"]
    has = p["lat"].notna()
    assert (has == p["lon"].notna()).all()
    assert (p.loc[has, "coord_precision"] != "none").all()
    assert (p.loc[~has, "coord_precision"] == "none").all()
    assert p.loc[has, "coord_source_id"].notna().all()


# ---------------------------------------------------------------- times
def test_utc_and_damascus_columns_agree_with_the_tz_database(t):
    ev = t["events"].dropna(subset=["time_utc"])
    assert len(ev) >= 10
    for _, e in ev.iterrows():
        raw = e["time_utc"].to_pydatetime()
        expected = raw.astimezone(DAMASCUS)
        assert e["time_damascus"].to_pydatetime() == expected
        assert e["time_damascus"].utcoffset() == expected.utcoffset()


def test_event_date_is_the_local_date_of_its_time(t):
    ev = t["events"].dropna(subset=["time_utc"])
    for _, e in ev.iterrows():
        local = e["time_utc"].to_pydatetime().astimezone(ZoneInfo(e["tz"]))
        assert local.date() == e["date"].date(), e["event_id"]


def test_times_match_precision(t):
    ev = t["events"]
    timed = ev["precision"].isin(["minute", "approximate_time", "time_range"])
    assert ev.loc[timed, "time_utc"].notna().all()
    assert ev.loc[~timed, "time_utc"].isna().all()
    ranged = ev["precision"] == "time_range"
    assert ev.loc[ranged, "end_time_utc"].notna().all()
    assert ev.loc[~ranged, "end_time_utc"].isna().all()
    assert (ev.loc[ranged, "end_time_utc"] > ev.loc[ranged, "time_utc"]).all()
    month = ev["precision"] == "month"
    assert (ev.loc[month, "date"].dt.day == 1).all()


def _interval(date: pd.Timestamp, precision: str):
    if precision == "month":
        start = date.replace(day=1)
        return start, start + pd.offsets.MonthEnd(0)
    if precision == "year":
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    return date, date


def test_events_and_positions_are_in_chronological_order(t):
    """Keys are numbered in time order; a coarse date may overlap its neighbours."""
    for name, key in (("events", "event_id"), ("positions", "position_id")):
        frame = t[name].sort_values(key)
        intervals = [_interval(r["date"], r["precision"]) for _, r in frame.iterrows()]
        for i in range(1, len(intervals)):
            prev_start, _ = intervals[i - 1]
            _, end = intervals[i]
            assert prev_start <= end, f"{name}: {frame.iloc[i][key]} comes before {frame.iloc[i - 1][key]}"
        timed = frame.dropna(subset=["time_utc"]) if "time_utc" in frame else frame.iloc[0:0]
        for a, b in zip(timed.itertuples(), timed.iloc[1:].itertuples()):
            if a.date == b.date:
                assert a.time_utc <= b.time_utc, f"{name}: {b.event_id} is earlier than {a.event_id}"


def test_the_raid_timeline(t):
    ev = t["events"].set_index("event_id")
    start, call, answered, ceased = (ev.loc[k, "time_utc"] for k in ("E010", "E013", "E014", "E015"))
    assert start < call < answered < ceased
    # The coalition report's 27-minute delay is the time from the first call to the answered one.
    delay = row(t["figures"], "F03")
    assert (answered - call) == timedelta(minutes=int(delay["value_stated"]))
    # 61 minutes from first strike to cease-fire (figure F14 says how it was derived).
    assert (ceased - start) == timedelta(minutes=int(row(t["figures"], "F14")["value_stated"]))
    # The Russian Reconciliation Center's 17:00–17:50 is 50 minutes (F17).
    rc = ev.loc["E012"]
    assert rc["end_time_utc"] - rc["time_utc"] == timedelta(minutes=int(row(t["figures"], "F17")["value_stated"]))


def test_the_article_local_times_disagree_with_the_tz_database(t):
    """D01/D02: 13:55Z is 16:55 in Damascus, not the article's 3:55 p.m.;
    the article's ceasefire pair (7 p.m. = 1600 GMT) does use +3."""
    ev = t["events"].set_index("event_id")
    local_start = ev.loc["E010", "time_damascus"]
    assert (local_start.hour, local_start.minute) == (16, 55)
    assert "3:55 p.m." in ev.loc["E010", "time_as_given"]
    assert local_start.utcoffset() == timedelta(hours=3)
    ceasefire = ev.loc["E006", "time_damascus"]
    assert ceasefire.hour == 19 and "7 p.m." in ev.loc["E006", "time_as_given"]
    # D08: with the tz database the coalition and Russian start times are five minutes apart.
    assert ev.loc["E011", "time_utc"] - ev.loc["E010", "time_utc"] == timedelta(minutes=5)
    d = row(t["discrepancies"], "D08")
    assert "5 minutes" in d["computed_check"]


def test_the_48_hour_claim(t):
    """D09 quotes 50 h 05 min and 31 h 04 min: recompute both."""
    ev = t["events"].set_index("event_id")
    start = ev.loc["E010", "time_utc"]
    to_article_end = ev.loc["E024", "time_utc"] - start
    to_sana_end = ev.loc["E022", "time_utc"] - start
    assert to_article_end == timedelta(hours=50, minutes=5)
    assert to_sana_end == timedelta(hours=31, minutes=4)
    claim = row(t["figures"], "F26")
    assert to_article_end > timedelta(hours=claim["value_stated"]) > to_sana_end
    check = row(t["discrepancies"], "D09")["computed_check"]
    assert "50 h 05 min" in check and "31 h 04 min" in check
    # D10: the two end times are 19 h 1 min apart.
    gap = ev.loc["E024", "time_utc"] - ev.loc["E022", "time_utc"]
    assert gap == timedelta(hours=19, minutes=1)
    assert "19 h 1 min" in row(t["discrepancies"], "D10")["computed_check"]


def test_how_long_the_ceasefire_had_held(t):
    ev = t["events"].set_index("event_id")
    held = ev.loc["E010", "time_utc"] - ev.loc["E006", "time_utc"]
    assert held == timedelta(days=4, hours=21, minutes=55)
    assert "4 d 21 h 55 min" in row(t["discrepancies"], "D29")["computed_check"]
    # The ceasefire was to last seven days (F31): 7 p.m. 12 Sep + 7 days = the article's 7 p.m. 19 Sep.
    assert ev.loc["E024", "time_utc"] - ev.loc["E006", "time_utc"] == timedelta(days=int(row(t["figures"], "F31")["value_stated"]))


def test_when_russia_called(t):
    ev = t["events"].set_index("event_id")
    into = lambda k: int((ev.loc[k, "time_utc"] - ev.loc["E010", "time_utc"]).total_seconds() // 60)
    assert (into("E013"), into("E014")) == (30, 57)
    thomas = row(t["figures"], "F20")
    assert thomas["low"] <= into("E013") <= thomas["high"] < into("E014")
    # Col. Thomas: less than 5 minutes from the callback to the end (F21); the bound itself is excluded.
    f21 = row(t["figures"], "F21")
    assert f21["high_exclusive"] and pd.isna(f21["low"])
    assert ev.loc["E015", "time_utc"] - ev.loc["E014", "time_utc"] < timedelta(minutes=float(f21["high"]))


def test_durations_keep_the_bound_the_words_give(t):
    """'Less than 48 hours' is stored as 48 (excluded), not rounded down to 47 as if hours were head-counts."""
    fig = t["figures"]
    timed = fig[fig["unit"].str.contains("minute|hour|day|week", regex=True)]
    for _, f in timed.iterrows():
        if f["qualifier"] in ("less than", "almost", "nearly"):
            assert f["high"] == f["value_stated"] and f["high_exclusive"], f["figure_id"]
        if f["qualifier"] in ("over", "more than"):
            assert f["low"] == f["value_stated"] and f["low_exclusive"], f["figure_id"]


def test_strikes_stopped_six_minutes_apart(t):
    ev = t["events"].set_index("event_id")
    assert ev.loc["E015", "time_utc"] - ev.loc["E012", "end_time_utc"] == timedelta(minutes=6)


def test_australia_overnight(t):
    start = t["events"].set_index("event_id").loc["E010", "time_utc"].to_pydatetime()
    canberra = start.astimezone(ZoneInfo("Australia/Sydney"))
    assert (canberra.day, canberra.hour, canberra.minute) == (17, 23, 55)
    assert "23:55" in row(t["discrepancies"], "D28")["computed_check"]


# ---------------------------------------------------------------- counts
def test_strikes_in_and_out_of_the_delay(t):
    total = int(row(t["figures"], "F01")["value_stated"])
    during = int(row(t["figures"], "F02")["value_stated"])
    assert 0 < during < total
    share = during / total
    assert f"{share:.1%}".replace("%", " %") in row(t["discrepancies"], "D13")["computed_check"]
    assert share < row(t["figures"], "F09")["high"]


def test_more_than_half_of_106(t):
    whole = row(t["casualty_estimates"], "C07")
    part = row(t["casualty_estimates"], "C08")
    assert part["killed_low"] == whole["killed_stated"] // 2 + 1
    assert part["killed_high"] == whole["killed_stated"]


def _bounds_follow_reading(ident, reading, stated, low, high):
    """The reading rule decides which bounds are set; a point is the stated number itself."""
    if pd.isna(reading):
        assert pd.isna(stated) and pd.isna(low) and pd.isna(high), ident
    elif reading == "point":
        assert stated == low == high, ident
    elif reading == "lower_bound":
        assert pd.notna(low) and pd.isna(high), ident
    elif reading == "upper_bound":
        assert pd.isna(low) and pd.notna(high), ident
    elif reading == "range":
        assert pd.notna(low) and pd.notna(high) and low < high, ident
    elif reading == "approximate":
        assert pd.isna(low) and pd.isna(high), ident
    else:
        raise AssertionError(f"{ident}: unknown reading rule {reading!r}")


def test_casualty_bounds_follow_their_reading_rule(t):
    ce = t["casualty_estimates"]
    for _, c in ce.iterrows():
        for prefix in ("killed", "wounded"):
            _bounds_follow_reading(f"{c['estimate_id']} {prefix}", c[f"{prefix}_reading"], c[f"{prefix}_stated"],
                                   c[f"{prefix}_low"], c[f"{prefix}_high"])
            # Counts: a strict lower bound is the next whole number, an inclusive one the number itself.
            q = None if pd.isna(c[f"{prefix}_qualifier"]) else c[f"{prefix}_qualifier"]
            if q in ("over", "more than"):
                assert c[f"{prefix}_low"] == c[f"{prefix}_stated"] + 1, c["estimate_id"]
            if q in ("at least", "could only confirm"):
                assert c[f"{prefix}_low"] == c[f"{prefix}_stated"], c["estimate_id"]


def test_figure_bounds_follow_their_reading_rule(t):
    for _, f in t["figures"].iterrows():
        _bounds_follow_reading(f["figure_id"], f["reading"], f["value_stated"], f["low"], f["high"])
        for end in ("low", "high"):
            # an exclusivity flag exactly where there is a bound
            assert pd.isna(f[end]) == pd.isna(f[f"{end}_exclusive"]), f["figure_id"]


def test_qualifiers_are_the_sources_own_words(t):
    """A qualifier is copied from the wording; 'none' (a bare number) is never read as a bound or a guess."""
    rows = [(c["estimate_id"], c["number_as_given"], c[f"{p}_qualifier"], c[f"{p}_reading"])
            for _, c in t["casualty_estimates"].iterrows() for p in ("killed", "wounded")]
    rows += [(f["figure_id"], f["number_as_given"], f["qualifier"], f["reading"]) for _, f in t["figures"].iterrows()]
    assert not any(pd.notna(q) and q == "exactly" for _, _, q, _ in rows), "'exactly' is a reading, not a word any source used"
    for ident, wording, q, reading in rows:
        if pd.isna(q):
            assert pd.isna(reading), ident
        elif q == "none":
            assert reading in ("point", "range"), ident
        else:
            assert q.lower() in wording.lower(), f"{ident}: {q!r} is not in {wording!r}"


def test_russian_aircraft_add_up(t):
    ac = t["aircraft"].set_index("claim_id")
    assert ac.loc["A01", "count_stated"] + ac.loc["A02", "count_stated"] == row(t["figures"], "F05")["value_stated"]
    rc = ac.loc[["A11", "A12", "A13"], "count_stated"].sum()
    assert rc == 5
    coalition = ac.loc[["A07", "A09", "A10"], "count_stated"].sum()
    assert f"{coalition} aircraft" in row(t["discrepancies"], "D20")["computed_check"]


def test_sohr_changes(t):
    first, second = row(t["casualty_estimates"], "C05"), row(t["casualty_estimates"], "C06")
    check = row(t["discrepancies"], "D06")["computed_check"]
    assert f"{second['wounded_stated'] - first['wounded_stated']}" in check.replace("−", "-")
    assert f"+{second['killed_stated'] - first['killed_stated']}" in check


def test_convoy_trucks(t):
    assert row(t["figures"], "F28")["value_stated"] < row(t["figures"], "F27")["value_stated"]


def test_diplomacy_days(t):
    check = row(t["discrepancies"], "D25")["computed_check"]
    assert f"{(datetime(2016, 9, 12) - datetime(2016, 7, 1)).days} days" in check
    assert f"{(datetime(2016, 9, 12) - datetime(2016, 7, 31)).days} days" in check



def test_one_week_later_is_the_articles_paraphrase_and_d14_stays_open(t):
    """D14: 'one week later ... had forced' is the article's paraphrase of the outlet (only 'took out' is
    quoted), so its tense cannot date the loss. The two reports put it about 4 and about 7 days after the
    raid; D14 stays open, and the positions rows keep 'one week later' as a state by raid + 7 days."""
    pos = t["positions"].set_index("position_id")
    raid = row(t["events"], "E010")["date"]
    for later, capture in (("P11", "P09"), ("P12", "P10")):
        assert pos.loc[later, "change"] == "held", later
        assert pos.loc[capture, "change"] == "captured", capture
        assert pos.loc[later, "place_id"] == pos.loc[capture, "place_id"]
        assert pos.loc[later, "holder"] == pos.loc[capture, "holder"] == "isil"
        assert pos.loc[later, "date"] - raid == timedelta(days=7)  # 'one week later'
    d14 = row(t["discrepancies"], "D14")
    capture_after = (pos.loc["P09", "date"] - raid).days
    state_after = (pos.loc["P11", "date"] - raid).days
    assert f"{capture_after} days after the raid" in d14["computed_check"]
    assert f"about {capture_after} and about {state_after} days after the raid" in d14["computed_check"]
    assert d14["status"] == "open" and "loose" in d14["computed_check"]
    assert "paraphrase" in d14["to_resolve"] and "not its quoted words" in d14["version_b"]


def test_a_declared_end_is_not_a_version_of_the_scheduled_expiry(t):
    """D10: the Syrian government's declaration (E024) is an act, not another account of the expiry the
    General Command had scheduled (E022); Al-Masdar's report (E025) is an account of the declaration."""
    ev = t["events"].set_index("event_id")
    assert pd.isna(ev.loc["E024", "version_of"])
    assert ev.loc["E023", "version_of"] == "E022" and ev.loc["E025", "version_of"] == "E024"
    d10 = row(t["discrepancies"], "D10")
    assert "scheduled expiry" in d10["topic"] and "declared end" in d10["topic"]
    assert d10["version_a"].startswith("Scheduled expiry") and d10["version_b"].startswith("Declared end")


def test_a_reports_publication_date_is_not_the_date_of_the_claim(t):
    """Sputnik Brasil (X32) published the Reconciliation Center's account on 18 Sep 2016 as given 'earlier'
    ('Anteriormente'); the rows resting on it that date a claim are undated and say why."""
    published = t["sources"].set_index("source_id").loc["X32", "date_published"]
    assert pd.notna(published)
    for table, col, why in (("aircraft", "date", "note"), ("figures", "date", "derivation")):
        frame = t[table][t[table]["source_id"] == "X32"]
        assert len(frame), table
        assert (frame["date_precision"] == "unknown").all() and frame[col].isna().all(), table
        assert frame[why].str.contains("publication date").all(), table


def test_a_discrepancy_within_one_source_rests_on_that_source_twice(t):
    """within_one_source = true means the discrepancy's own source gives at least two of the versions."""
    for _, d in t["discrepancies"].iterrows():
        own = 0
        for ref in d["refs"].split("; "):
            table, key = ref.split(":")
            own += int(row(t[table], key)["source_id"] == d["source_id"])
        if d["within_one_source"]:
            assert own >= 2, (d["discrepancy_id"], own)


def test_anonymous_voices_are_coded_as_accounts_not_as_claims_of_intent(t):
    """Review: the unnamed officials the article calls anonymous say what happened, not why."""
    st = t["statements"].set_index("statement_id")
    anonymous = st[st["role"].str.contains("(anonymous)", regex=False)]
    assert {"Q05", "Q06", "Q26"} <= set(anonymous.index)
    assert (anonymous.loc[["Q05", "Q06", "Q26"], "claim"] == "account_of_events").all()
    assert (anonymous["speaker"] == "unnamed").all()


# ---------------------------------------------------------------- geography
def test_derived_points_are_nine_km_south(t):
    p = t["places"].set_index("place_id")
    for derived, origin in (("strike_area_reported", "deir_ez_zor_city"), ("location_told_to_russia", "deir_ez_zor_airport")):
        lat, lon = geo.destination(p.loc[origin, "lat"], p.loc[origin, "lon"], 180, 9)
        assert abs(lat - p.loc[derived, "lat"]) < 1e-4 and abs(lon - p.loc[derived, "lon"]) < 1e-4, derived
        assert p.loc[derived, "coord_precision"] == "derived"


def test_strike_area_is_three_to_six_km_southwest_of_the_airfield(t):
    p = t["places"].set_index("place_id")
    a, s = p.loc["deir_ez_zor_airport"], p.loc["strike_area_reported"]
    km = geo.haversine_km(a["lat"], a["lon"], s["lat"], s["lon"])
    bearing = geo.initial_bearing_deg(a["lat"], a["lon"], s["lat"], s["lon"])
    lo, hi = row(t["figures"], "F22")[["low", "high"]]
    assert lo <= km <= hi
    assert 180 < bearing < 270  # south-west quadrant (D15)


def test_the_location_error_is_about_six_km_not_nine(t):
    p = t["places"].set_index("place_id")
    a, b = p.loc["strike_area_reported"], p.loc["location_told_to_russia"]
    km = geo.haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
    assert round(km) == 6
    assert "6 km" in row(t["discrepancies"], "D16")["version_b"]
    assert km < row(t["figures"], "F23")["value_stated"]


# ---------------------------------------------------------------- corrupted copies
CORRUPTIONS = ["bad_date", "text_in_number", "unknown_source", "duplicate_key", "missing_column", "empty_file"]


def _first_field(res: dict, types: tuple[str, ...]) -> str | None:
    for f in res["schema"]["fields"]:
        if f["type"] in types:
            return f["name"]
    return None


def _corrupt(tmp_path: Path, table: str, kind: str):
    """Copy data/ to tmp_path and damage one table; return (dir, row, column) expected in the error."""
    shutil.copytree(DATA, tmp_path / "data")
    res = RESOURCES[table]
    path = tmp_path / "data" / res["path"]
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    target = 3 if len(body) >= 3 else len(body)  # 1-based data row we damage
    column = None
    if kind == "empty_file":
        path.write_text("", encoding="utf-8")
        return tmp_path / "data", None, None
    if kind == "bad_date":
        column = _first_field(res, ("date", "datetime"))
        if column is None:
            return None
        body[target - 1][header.index(column)] = "2016-09-31"
    elif kind == "text_in_number":
        column = _first_field(res, ("integer", "number"))
        if column is None:
            return None
        body[target - 1][header.index(column)] = "sixty-two"
    elif kind == "unknown_source":
        column = "source_id"
        if table == "sources":
            return None  # sources is the table the others point into
        body[target - 1][header.index(column)] = "X99"
    elif kind == "duplicate_key":
        pk = res["schema"]["primaryKey"]
        column = pk if isinstance(pk, str) else ",".join(pk)
        body.insert(target, list(body[target - 1]))
        target += 1
    elif kind == "missing_column":
        column = header[-1]
        header = header[:-1]
        body = [r[:-1] for r in body]
        target = None
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + body)
    return tmp_path / "data", target, column


@pytest.mark.parametrize("kind", CORRUPTIONS)
@pytest.mark.parametrize("table", sorted(RESOURCES))
def test_a_corrupted_table_is_rejected_with_file_row_and_column(tmp_path, table, kind):
    made = _corrupt(tmp_path, table, kind)
    if made is None:
        # This table has no column of that type; make sure that is really so.
        res = RESOURCES[table]
        types = {f["type"] for f in res["schema"]["fields"]}
        if kind == "bad_date":
            assert not types & {"date", "datetime"}
        elif kind == "text_in_number":
            assert not types & {"integer", "number"}
        else:
            assert table == "sources" and kind == "unknown_source"
        return
    directory, target, column = made
    with pytest.raises(DataError) as err:
        deirezzor.load(table, data_dir=directory)
    message = str(err.value)
    assert RESOURCES[table]["path"] in message, message
    if target is not None:
        assert f"row {target}" in message, message
        assert err.value.row == target
    if column is not None:
        assert f"'{column}'" in message, message
        assert err.value.column == column
    assert "expected" in message.lower(), message


def test_an_unknown_source_in_a_referencing_table_names_the_target(tmp_path):
    directory, target, column = _corrupt(tmp_path, "events", "unknown_source")
    with pytest.raises(DataError) as err:
        deirezzor.load("events", data_dir=directory)
    assert "sources" in str(err.value) and "X99" in str(err.value)


def test_the_codebook_is_in_step_with_the_schema():
    from tools import codebook
    assert codebook.render(PACKAGE) == (DATA / "README.md").read_text(encoding="utf-8"), (
        "data/README.md is out of date: run `make codebook`")


# ---------------------------------------------------------------- dating
DATED = {"casualty_estimates": "date_reported", "aircraft": "date", "statements": "date",
         "figures": "date", "attributions": "date"}


@pytest.mark.parametrize("table", sorted(DATED))
def test_a_date_is_empty_exactly_when_its_precision_is_unknown(t, table):
    frame, col = t[table], DATED[table]
    unknown = frame["date_precision"] == "unknown"
    assert frame.loc[unknown, col].isna().all(), table
    assert frame.loc[~unknown, col].notna().all(), table
    month = frame["date_precision"] == "month"
    assert (frame.loc[month, col].dt.day == 1).all(), table


def test_claims_the_article_does_not_date_stay_undated(t):
    """Issue 11: the aircraft statements, the Mosul-corridor report and the PMF-era concern have no date in the seed."""
    ac = t["aircraft"].set_index("claim_id")
    assert (ac.loc[[f"A{i:02d}" for i in range(1, 11)], "date_precision"] == "unknown").all()
    for table, key in (("statements", "Q31"), ("figures", "F24"), ("attributions", "T16")):
        assert row(t[table], key)["date_precision"] == "unknown", key


def test_claims_the_seed_gives_no_date_for_stay_undated(t):
    """Issue 19: the seed dates none of these claims ('Initially ...', 'later ...' date nothing), so
    they are undated and say why; T18 agrees with Q11, the statement whose words it rests on."""
    at = t["attributions"].set_index("attribution_id")
    for tid in ("T01", "T02", "T03", "T04", "T14", "T18"):
        assert at.loc[tid, "date_precision"] == "unknown", tid
        assert at.loc[tid, "derivation"].startswith("Undated"), tid
    st = t["statements"].set_index("statement_id")
    assert st.loc["Q17", "date_precision"] == "unknown" and st.loc["Q17", "note"].startswith("Undated")


def test_a_claim_resting_on_a_statements_words_has_its_date(t):
    """An attributions row whose passage lies inside a statements row's passage (same source) is
    dated as that statement is: T18 and Q11 were once at odds."""
    st = t["statements"]
    pairs = 0
    for _, a in t["attributions"].iterrows():
        for _, q in st[st["source_id"].eq(a["source_id"])].iterrows():
            if a["passage"] in q["passage"]:
                pairs += 1
                assert a["date_precision"] == q["date_precision"], (a["attribution_id"], q["statement_id"])
                assert (pd.isna(a["date"]) and pd.isna(q["date"])) or a["date"] == q["date"], \
                    (a["attribution_id"], q["statement_id"])
    assert pairs >= 1  # T18 in Q11 at least


def test_sohr_is_coded_by_its_name_not_described(t):
    """Issue 19: the seed names the Syrian Observatory for Human Rights and never describes it, so
    its code and label give its name, not a description such as 'independent monitor'."""
    from deirezzor import style
    assert "independent_monitor" not in json.dumps(PACKAGE)
    ce = t["casualty_estimates"]
    named = ce["reported_by"].str.startswith("Syrian Observatory")
    assert named.sum() >= 3
    assert (ce.loc[named, "side"] == "sohr").all() and (ce.loc[~named, "side"] != "sohr").all()
    assert style.label("sohr") == "Syrian Observatory for Human Rights (SOHR)"


def test_aircraft_types_read_in_the_article_are_its_words(t):
    """Issue 19: a type read in the article is the article's wording ('armed Reaper drones',
    'F/A-18A'), not a designation from an outside page; a gloss in brackets may follow it."""
    ac = t["aircraft"]
    read = ac[ac["source_id"].isin(["S01", "S02"]) & ac["aircraft_type"].ne("not stated")]
    assert len(read) >= 6
    for _, r in read.iterrows():
        kind = r["aircraft_type"].split(" (")[0]
        assert kind in r["passage"], (r["claim_id"], kind)


SINGLE_QUOTED = re.compile(r"(?:(?<=\s)|^)'(.+?)'(?=[\s.,;:)]|$)")


def _plain(text: str) -> str:
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("…", "...")):
        text = text.replace(curly, plain)
    return re.sub(r"\s+", " ", text)


def test_words_the_discrepancies_quote_are_a_rows_words(t):
    """Issue 19 (D16's '9 km south of the airfield'): every fragment that version_a or version_b puts
    in single quotation marks is word for word in some row's passage or verbatim column (an
    ellipsis stands for elided words; the pieces must each appear)."""
    record = []
    for frame in t.values():
        for col in ("passage", "quote", "time_as_given", "number_as_given"):
            if col in frame:
                record += [_plain(v) for v in frame[col].dropna()]
    checked = 0
    for _, d in t["discrepancies"].iterrows():
        for col in ("version_a", "version_b"):
            for m in SINGLE_QUOTED.finditer(_plain(d[col])):
                for piece in (p.strip(" .,;:") for p in m[1].split("...")):
                    if not piece or piece.startswith("[") and piece.endswith("]"):
                        continue   # a bracketed tag such as '[better source needed]', not a quotation
                    checked += 1
                    first = {piece, piece[:1].swapcase() + piece[1:]}
                    assert any(p in r for r in record for p in first), (d["discrepancy_id"], col, piece)
    assert checked >= 20


def test_article_voice_is_credited_to_the_article(t):
    """E010/E013/E024 are in the article's own voice; E015 is the one the article credits to the
    investigation; a sentence the article hedges with 'reportedly' and no named source (E014) is
    not the article's assertion (codebook rule for according_to)."""
    ev = t["events"].set_index("event_id")
    for eid in ("E010", "E013", "E024"):
        assert ev.loc[eid, "according_to"] == "Wikipedia article", eid
    hedged = ev[ev["passage"].str.contains(r"\breportedly\b", case=False, na=False)]
    assert "E014" in hedged.index
    for eid, r in hedged.iterrows():
        assert r["according_to"] == "unnamed (reportedly, per the Wikipedia article)", (eid, r["according_to"])
        assert r["side"] == "unknown", (eid, r["side"])
    assert ev.loc["E015", "according_to"] == "U.S.-led coalition investigation"
    assert row(t["casualty_estimates"], "C14")["side"] == "pro_government_outlet"


# ---------------------------------------------------------------- perspective coding
WHO = {"events": "according_to", "casualty_estimates": "reported_by", "aircraft": "claimed_by",
       "positions": "according_to", "statements": "organisation", "figures": "claimed_by", "attributions": "claimant"}
JOINT = re.compile(r"\b(Russia|Russian)\b[^,;]* and (the )?(Syria|Syrian)\b|\b(Syria|Syrian)\b[^,;]* and (the )?(Russia|Russian)\b")


def test_joint_russian_and_syrian_claims_are_not_coded_as_one_government(t):
    joint = []
    for table, who in WHO.items():
        frame = t[table]
        for _, r in frame.iterrows():
            if pd.notna(r[who]) and JOINT.search(r[who]):
                joint.append((table, r.iloc[0]))
                assert r["side"] == "russian_and_syrian_governments", (table, r.iloc[0], r[who], r["side"])
        coded = frame[frame["side"] == "russian_and_syrian_governments"]
        for _, r in coded.iterrows():
            assert pd.notna(r[who]) and JOINT.search(r[who]), (table, r.iloc[0], r[who])
    assert len(joint) >= 6  # T02-T04, T09, E011, Q50 at least


def test_state_media_are_coded_alike_whichever_the_state(t):
    src = t["sources"].set_index("source_id")
    state_outlets = src["publisher"].str.contains(r"Sputnik|China\.org\.cn|China Military Online", regex=True)
    assert state_outlets.sum() >= 2  # one Russian, one Chinese at least (see the set below)
    assert src.loc[state_outlets, "perspective"].str.startswith("state_media_").all()
    # ... and the code names the state behind the outlet
    assert set(src.loc[state_outlets, "perspective"]) == {"state_media_russia", "state_media_china"}
    # Antiwar.com is American but not a coalition-country newsroom by default: its declared line decides.
    assert src.loc[src["publisher"] == "Antiwar.com", "perspective"].eq("anti_intervention_outlet").all()


def test_every_side_code_is_defined_in_the_coding_rules():
    rules = next(f for f in RESOURCES["sources"]["schema"]["fields"] if f["name"] == "perspective")
    for code in rules["constraints"]["enum"]:
        assert code in rules["description"] or code.startswith("state_media_"), code
