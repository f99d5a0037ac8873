"""The baseline of the Excel export: the same clients, columns and cell types written by python
xlsxwriter (constant memory, compressed as xlsxwriter does), timed
from the query to the closed file. Usage: python3 scripts/xlsx_baseline.py BOOK OUT.xlsx
Prints the milliseconds it took. The column list is read from src/exchange/columns.rs, so both
sides write the same columns."""

import json
import re
import sqlite3
import sys
import time
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent

SQL = {
    "calendar": "c.birthday_calendar",
    "leap": "CASE WHEN c.birthday_leap THEN 'yes' END",
    "segments": "(SELECT group_concat(segment) FROM client_segments s WHERE s.client_id = c.id)",
    "starred": "CASE WHEN c.starred THEN 'yes' ELSE 'no' END",
    "last_contact": "c.last_contact_at",
}


def columns():
    text = (ROOT / "src/exchange/columns.rs").read_text()
    text = text[text.index("pub const CLIENT_COLUMNS"):]
    return re.findall(r'(?:shown|col)\(\s*"(\w+)",\s*Kind::(\w+)(?:\("(\w+)"\))?', text)


def main(book, out):
    catalog = json.loads((ROOT / "assets/messages/zh-CN.json").read_text())
    values = catalog["values"]
    cols = columns()
    start = time.perf_counter()
    db = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    select = ", ".join(SQL.get(key, f"c.{key}") for key, _, _ in cols)
    rows = db.execute(f"SELECT {select} FROM clients c ORDER BY c.name_sort, c.id")
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    wb.set_size(1200, 800)
    ws = wb.add_worksheet("客户")
    text_f = wb.add_format({"num_format": "@"})
    date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
    moment_f = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    head_f = wb.add_format({"bold": True, "bg_color": "#E3EFEE", "align": "center"})
    for i, (key, _, _) in enumerate(cols):
        ws.write_string(0, i, catalog["field"].get(key, key), head_f)
    ws.freeze_panes(1, 0)
    calendar_at = [k for k, _, _ in cols].index("calendar")
    n = 0
    for r, row in enumerate(rows, start=1):
        for i, (key, kind, vocab) in enumerate(cols):
            v = row[i]
            if v is None or v == "":
                continue
            if kind == "Number":
                ws.write_number(r, i, v)
            elif kind == "Digits":
                ws.write_string(r, i, v, text_f)
            elif kind == "Date" and row[calendar_at] != "lunar":
                ws.write_datetime(r, i, datetime.combine(date.fromisoformat(v[:10]), datetime.min.time()), date_f)
            elif kind == "Moment":
                ws.write_datetime(r, i, datetime.fromisoformat(v), moment_f)
            elif kind in ("Word", "YesNo"):
                ws.write_string(r, i, values["yes_no" if kind == "YesNo" else vocab].get(v, v))
            elif kind == "Words":
                ws.write_string(r, i, "、".join(values[vocab].get(k, k) for k in v.split(",")))
            else:
                ws.write_string(r, i, str(v))
        n = r
    ws.autofilter(0, 0, max(n, 1), len(cols) - 1)
    wb.close()
    took = (time.perf_counter() - start) * 1000
    print(f"{took:.0f} {n}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
