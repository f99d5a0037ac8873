"""Excel files Rapport writes, read back cell by cell by openpyxl, the reader Python users
trust: cell types, IDs and phones as text, real dates, the frozen header and the filter."""

import datetime

import openpyxl

from conftest import cli


def test_the_exported_list_reads_back_cell_by_cell_in_openpyxl(tmp_path):
    book = tmp_path / "x.rapport"
    cli(book, "demo", "--clients", "80", "--seed", "5")
    sheet = tmp_path / "one.csv"
    sheet.write_text("姓名,手机,证件号码,出生日期,客户等级\n欧阳慧敏,010-6512 3456,11010119650308123X,1965-03-08,私行\n", encoding="utf-8")
    report = cli(book, "import", str(sheet), "--json", json_out=True)
    assert report["created"] == 1 and report["applied"]
    out = tmp_path / "list.xlsx"
    done = cli(book, "export", "--out", str(out), "--sheets", "clients,family,contacts,follow_ups", "--lang", "zh-CN", "--json", json_out=True)
    assert done["clients"] == 81
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["客户", "家庭成员", "沟通记录", "待办"]
    ws = wb["客户"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["客户编号", "姓名", "客户类型", "性别", "手机"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    col = {h: i for i, h in enumerate(header)}
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 81
    her = next(r for r in rows if r[col["姓名"]] == "欧阳慧敏")
    assert her[col["证件号码"]] == "11010119650308123X"
    assert her[col["手机"]] == "010-6512 3456"
    assert her[col["生日"]] == datetime.datetime(1965, 3, 8)
    assert her[col["客户分层"]] == "私行"
    assert isinstance(her[col["客户编号"]], (int, float))
    # Every phone is text: no scientific notation, no lost zeros.
    assert all(isinstance(r[col["手机"]], str) for r in rows if r[col["手机"]] is not None)
    # Solar birthdays are real dates; the width of the name column fits Chinese names.
    assert any(isinstance(r[col["生日"]], datetime.datetime) for r in rows)
    assert ws.column_dimensions["B"].width >= 10
    contacts = wb["沟通记录"]
    assert contacts.max_row > 81
    at = [c.value for c in contacts[2]][2]
    assert isinstance(at, datetime.datetime)


def test_salon_invitations_and_the_agenda_go_to_sheets_of_their_own(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-11-30")
    book = tmp_path / "x.rapport"
    cli(book, "demo", "--clients", "80", "--seed", "5")
    salons = cli(book, "salons", "list", "--json", json_out=True)
    invited = sum(s["funnel"]["invited"] for s in salons)
    assert invited > 0
    out = tmp_path / "day.xlsx"
    done = cli(book, "export", "--out", str(out), "--sheets", "invitations,agenda", "--lang", "en", "--json", json_out=True)
    counts = dict(done["sheets"])
    assert counts["invitations"] == invited
    ics = cli(book, "ics", "--out", str(tmp_path / "same.ics"), "--json", json_out=True)
    assert counts["agenda"] == ics["events"], "the agenda sheet holds what the calendar file holds"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Clients", "Salon invitations", "Agenda"]
    inv = wb["Salon invitations"]
    header = [c.value for c in inv[1]]
    assert header[2:8] == ["Salon", "Salon time", "Invited on", "7-day call", "3-day call", "1-day call"]
    rows = list(inv.iter_rows(min_row=2, values_only=True))
    assert len(rows) == invited
    assert all(isinstance(r[3], datetime.datetime) for r in rows), "the salon's time is a real date and time"
    answers = {r[i] for r in rows for i in (5, 6, 7)} - {None}
    assert answers and answers <= {"No answer", "Declined", "Maybe", "Confirmed"}, answers
    agenda = wb["Agenda"]
    assert [c.value for c in agenda[1]] == ["Day", "Time", "Kind", "Reminder", "Details", "State"]
    rows = list(agenda.iter_rows(min_row=2, values_only=True))
    assert len(rows) == ics["events"]
    assert all(isinstance(r[0], datetime.datetime) for r in rows)
    assert rows[0][0] >= datetime.datetime(2026, 11, 30)
    kinds = {r[2] for r in rows}
    assert {"Birthday", "Salon", "Salon call"} <= kinds, kinds
    assert all(r[1] for r in rows if r[2] == "Salon"), "a salon has its time"


def test_holdings_go_out_as_money_dates_and_percentages(tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORT_TODAY", "2026-12-01")
    book = tmp_path / "x.rapport"
    cli(book, "init")
    cli(book, "clients", "add", "--name", "王芳", "--phone", "13800138000")
    cli(book, "holdings", "add", "王芳", "--product", "安盈半年理财", "--type", "wealth", "--amount", "1234567.89",
        "--start", "2026-06-09", "--value-date", "2026-06-10", "--maturity", "2026-12-09", "--rate", "3.15")
    cli(book, "holdings", "add", "王芳", "--product", "他行理财", "--type", "理财", "--amount", "300000",
        "--start", "2026-03-01", "--elsewhere", "--institution", "招商银行")
    out = tmp_path / "money.xlsx"
    done = cli(book, "export", "--out", str(out), "--sheets", "holdings", "--lang", "zh-CN", "--json", json_out=True)
    assert dict(done["sheets"])["holdings"] == 2
    ws = openpyxl.load_workbook(out)["持仓"]
    header = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2))
    ours = next(r for r in rows if r[col["产品名称"]].value == "安盈半年理财")
    amount = ours[col["金额"]]
    assert amount.value == 1234567.89 and amount.number_format == "#,##0.00"
    assert ours[col["到期日"]].value == datetime.datetime(2026, 12, 9)
    rate = ours[col["预期年化收益率"]]
    assert abs(rate.value - 0.0315) < 1e-12 and rate.number_format == "0.00%"
    assert ours[col["状态"]].value == "持有中"
    theirs = next(r for r in rows if r[col["产品名称"]].value == "他行理财")
    assert theirs[col["他行名称"]].value == "招商银行"
    assert theirs[col["产品类型"]].value == "理财"
