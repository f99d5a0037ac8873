#!/usr/bin/env python3
"""Independent lunar-calendar reference for Rapport's 农历 tests (issue 8).

Builds, from two independent python libraries, a table of every lunar month whose
days touch the solar range 1901-01-01 .. 2100-12-31:

    solar_start  lunar_year  month  leap  days  source

- `zhdate` is a hand-kept table (the Hong Kong Observatory lineage);
- `tyme4py` is an astronomical calculation (the 寿星 algorithm).

A month both libraries agree on is written once with source `both`; where they
disagree (only Sep-Oct 2057 with zhdate 0.1 and tyme4py 1.5.0) each library's
month is written with its own name as source, so the Rust test can pin the dispute.

Every day is checked in both directions inside each library (solar -> lunar by a
day-by-day scan, then lunar -> solar for every day of every month in the table),
so the fixture is only written when each library agrees with itself.

    pip install zhdate==0.1 tyme4py==1.5.0
    python3 scripts/lunar_reference.py            # (re)write the fixture
    python3 scripts/lunar_reference.py --check    # recompute, compare with the committed file

Exit status is non-zero on any disagreement. Takes ~40 s on 2 cores (tyme4py is slow).
"""

import argparse
import datetime as dt
import importlib.metadata as md
import multiprocessing as mp
import os
import sys

FIRST = dt.date(1901, 1, 1)
LAST = dt.date(2100, 12, 31)
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "tests", "fixtures", "lunar_months_1901_2100.tsv")
PINNED = {"zhdate": "0.1", "tyme4py": "1.5.0"}


def zh_lunar(d):
    from zhdate import ZhDate

    z = ZhDate.from_datetime(dt.datetime(d.year, d.month, d.day))
    return z.lunar_year, z.lunar_month, bool(z.leap_month), z.lunar_day


def zh_solar(y, m, leap, day):
    from zhdate import ZhDate

    return ZhDate(y, m, day, leap).to_datetime().date()


def zh_days(y, m, leap):
    from zhdate import ZhDate

    return 30 if ZhDate.validate(y, m, 30, leap) else 29


def ty_lunar(d):
    from tyme4py.solar import SolarDay

    l = SolarDay.from_ymd(d.year, d.month, d.day).get_lunar_day()
    m = l.get_month()
    return l.get_year(), abs(m), m < 0, l.get_day()


def ty_solar(y, m, leap, day):
    from tyme4py.lunar import LunarDay

    s = LunarDay.from_ymd(y, -m if leap else m, day).get_solar_day()
    return dt.date(s.get_year(), s.get_month(), s.get_day())


def ty_days(y, m, leap):
    from tyme4py.lunar import LunarMonth

    return LunarMonth.from_ym(y, -m if leap else m).get_day_count()


LIBS = {
    "zhdate": (zh_lunar, zh_solar, zh_days),
    "tyme4py": (ty_lunar, ty_solar, ty_days),
}


def scan(args):
    """Solar -> lunar for every day in [a, b]: list of (date, y, m, leap, day)."""
    lib, a, b = args
    to_lunar = LIBS[lib][0]
    out = []
    d = a
    while d <= b:
        out.append((d,) + to_lunar(d))
        d += dt.timedelta(days=1)
    return out


def verify_back(args):
    """Lunar -> solar for every day of the given months; returns mismatches."""
    lib, months = args
    to_solar = LIBS[lib][1]
    bad = []
    for start, y, m, leap, days in months:
        for i in range(days):
            got = to_solar(y, m, leap, i + 1)
            want = start + dt.timedelta(days=i)
            if got != want:
                bad.append((lib, y, m, leap, i + 1, str(got), str(want)))
    return bad


def chunks(a, b, n):
    span = (b - a).days + 1
    step = span // n + 1
    out = []
    s = a
    while s <= b:
        e = min(b, s + dt.timedelta(days=step - 1))
        out.append((s, e))
        s = e + dt.timedelta(days=1)
    return out


def month_table(lib, days):
    """Group consecutive days into whole lunar months (start, y, m, leap, length)."""
    month_days = LIBS[lib][2]
    rows = []
    for d, y, m, leap, day in days:
        if rows and rows[-1][1:4] == (y, m, leap):
            continue
        rows.append((d - dt.timedelta(days=day - 1), y, m, leap))
    table = []
    for i, (start, y, m, leap) in enumerate(rows):
        if 0 < i < len(rows) - 1:
            length = (rows[i + 1][0] - start).days
        else:
            # The first and last months are cut by the range: ask the library.
            length = month_days(y, m, leap)
        table.append((start, y, m, leap, length))
    for (s1, *_r1, n1), (s2, *_r2) in zip(table, table[1:]):
        if s1 + dt.timedelta(days=n1) != s2:
            sys.exit(f"gap or overlap in months at {s1}")
    return table


def build(pool):
    tables = {}
    for lib in LIBS:
        parts = pool.map(scan, [(lib, a, b) for a, b in chunks(FIRST, LAST, 8)])
        days = [x for p in parts for x in p]
        if len(days) != (LAST - FIRST).days + 1:
            sys.exit(f"{lib}: scanned {len(days)} days")
        table = month_table(lib, days)
        half = len(table) // 2
        bad = [x for p in pool.map(verify_back, [(lib, table[:half]), (lib, table[half:])]) for x in p]
        if bad:
            sys.exit(f"{lib} disagrees with itself lunar -> solar: {bad[:5]} ({len(bad)} days)")
        tables[lib] = table
    zh, ty = set(tables["zhdate"]), set(tables["tyme4py"])
    rows = [(r, "both") for r in zh & ty]
    rows += [(r, "zhdate") for r in zh - ty] + [(r, "tyme4py") for r in ty - zh]
    rows.sort(key=lambda x: (x[0][0], x[1]))
    lines = []
    for (start, y, m, leap, days), src in rows:
        lines.append(f"{start.isoformat()}\t{y}\t{m}\t{int(leap)}\t{days}\t{src}")
    return lines


def header():
    versions = {lib: md.version(lib) for lib in LIBS}
    for lib, v in versions.items():
        if v != PINNED[lib]:
            print(f"note: {lib} {v} installed, fixture was pinned with {PINNED[lib]}", file=sys.stderr)
    return [
        "# Lunar months touching 1901-01-01..2100-12-31, written by scripts/lunar_reference.py",
        "# from " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ". Do not edit by hand.",
        "# solar_start\tlunar_year\tmonth\tleap\tdays\tsource(both|zhdate|tyme4py)",
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed fixture instead of writing it")
    ap.add_argument("--fixture", default=FIXTURE)
    args = ap.parse_args()
    try:
        import tyme4py  # noqa: F401
        import zhdate  # noqa: F401
    except ImportError as e:
        sys.exit(f"missing reference library ({e}); run: pip install zhdate==0.1 tyme4py==1.5.0")
    with mp.Pool(max(2, os.cpu_count() or 2)) as pool:
        lines = build(pool)
    if args.check:
        with open(args.fixture, encoding="utf-8") as f:
            committed = [l.rstrip("\n") for l in f if not l.startswith("#") and l.strip()]
        if committed != lines:
            diff = [(a, b) for a, b in zip(committed, lines) if a != b][:5]
            sys.exit(f"fixture differs from the references: {len(committed)} vs {len(lines)} rows; first: {diff}")
        disputed = sum(1 for l in lines if not l.endswith("both"))
        print(f"ok: {len(lines)} months agree with the fixture ({disputed} disputed rows)")
        return
    os.makedirs(os.path.dirname(args.fixture), exist_ok=True)
    with open(args.fixture, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header() + lines) + "\n")
    print(f"wrote {len(lines)} months to {os.path.relpath(args.fixture)}")


if __name__ == "__main__":
    main()
