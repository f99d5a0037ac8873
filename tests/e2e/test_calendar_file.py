"""The calendar file as other software reads it: parsed by python icalendar (not the crate that
wrote it), exported twice with the same UIDs, an alarm on every open reminder, salons at local
times against the VTIMEZONE, and a finished item sent again as cancelled under its UID.
Command line only: no window."""

from datetime import date, datetime, timedelta

import icalendar

from conftest import cli


def events_of(path):
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return cal, {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_file_reads_back_in_python_icalendar_with_stable_uids(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-11-30")
    book = tmp_path / "x.rapport"
    cli(book, "demo", "--clients", "80", "--seed", "5")
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    first = cli(book, "ics", "--out", str(a), "--json", json_out=True)
    assert first == {"path": str(a), "events": first["events"], "cancelled": first["cancelled"], "from": "2026-11-30", "days": 60}
    second = cli(book, "ics", "--out", str(b), "--json", json_out=True)
    assert second["events"] == first["events"] > 0
    assert a.read_bytes() == b.read_bytes(), "an unchanged book exports the same file"

    cal, events = events_of(a)
    assert len(events) == first["events"], "UIDs are unique"
    assert all(uid.endswith("@rapport") for uid in events)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert sum(str(e["STATUS"]) == "CANCELLED" for e in events.values()) == first["cancelled"]
    for uid, e in events.items():
        alarms = [c for c in e.subcomponents if c.name == "VALARM"]
        if str(e["STATUS"]) == "CONFIRMED":
            assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY", uid
        else:
            assert not alarms, uid
        start = e.decoded("DTSTART")
        if uid.startswith("salon/"):
            assert e["DTSTART"].params["TZID"] == "Asia/Shanghai", uid
            assert start.utcoffset() == timedelta(hours=8), uid
            assert e.decoded("DTEND") - start == timedelta(hours=2), uid
        else:
            assert isinstance(start, date) and not isinstance(start, datetime), uid
            assert e.decoded("DTEND") - start == timedelta(days=1), uid
    kinds = {uid.split("/")[0] for uid in events}
    assert {"salon", "salon_call", "follow_up", "birthday"} <= kinds, kinds
    # Chinese summaries, folded at 75 octets and unfolded intact.
    assert all(len(line) <= 75 for line in a.read_bytes().split(b"\r\n"))
    assert any("生日" in str(e["SUMMARY"]) for e in events.values())

    # A window starting later names the reminders it shares the same way, on the same days.
    c = tmp_path / "c.ics"
    cli(book, "ics", "--out", str(c), "--from", "2026-12-10", "--days", "30")
    _, later = events_of(c)
    shared = [u for u in events if u in later and u.split("/")[0] in ("salon", "birthday", "festival")]
    assert shared
    for uid in shared:
        assert later[uid].decoded("DTSTART") == events[uid].decoded("DTSTART"), uid
        assert str(later[uid]["SUMMARY"]) == str(events[uid]["SUMMARY"]), uid

    # A follow-up done and a salon called off: the next file cancels them under the same UIDs.
    follow_up = next(u for u, e in events.items() if u.startswith("follow_up/") and str(e["STATUS"]) == "CONFIRMED")
    salon = next(u for u, e in events.items() if u.startswith("salon/") and str(e["STATUS"]) == "CONFIRMED")
    cli(book, "agenda", "done", follow_up.removesuffix("@rapport"))
    cli(book, "salons", "cancel", salon.removeprefix("salon/").removesuffix("@rapport"))
    d = tmp_path / "d.ics"
    third = cli(book, "ics", "--out", str(d), "--json", json_out=True)
    _, after = events_of(d)
    assert set(events) <= set(after), "nothing a calendar was given disappears"
    assert third["cancelled"] > first["cancelled"]
    for uid in (follow_up, salon):
        assert str(after[uid]["STATUS"]) == "CANCELLED", uid
        assert int(after[uid]["SEQUENCE"]) > int(events[uid]["SEQUENCE"]), uid
        assert after[uid].decoded("DTSTART") == events[uid].decoded("DTSTART"), uid
