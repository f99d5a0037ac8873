"""Excel both ways from the window: the list as filtered exported (read back by openpyxl), and
a spreadsheet previewed, refused with its bad row named and the book unchanged, then imported."""

import openpyxl
from selenium.webdriver.common.keys import Keys

from conftest import cli


def test_export_the_filtered_list_and_import_a_sheet_from_the_window(book_path, tmp_path, launch):
    for name, tier in [("周敏华", "vip"), ("吴国栋", "vip"), ("郑玉兰", "mass")]:
        cli(book_path, "clients", "add", "--name", name, "--tier", tier, "--phone", "1380000" + str(len(name) * 1111)[:4])
    app = launch(book_path)
    app.click("nav-clients")
    app.select("filter-tier", "vip")
    app.wait_until(lambda d_: len(app.all("client-row")) == 2)

    app.click("export-open")
    app.by("export-dialog")
    assert "2" in app.text("export-dialog")
    assert app.by("export-path").get_attribute("value").endswith(".xlsx")
    out = tmp_path / "vip.xlsx"
    app.type("export-path", str(out))
    app.click("export-sheet-family")
    app.size(1240, 800)
    app.screenshot("export-dialog-zh")
    app.click("export-run")
    app.wait_until(lambda d_: app.all("export-done"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["客户", "家庭成员"]
    names = sorted(r[1] for r in wb["客户"].iter_rows(min_row=2, values_only=True))
    assert names == ["吴国栋", "周敏华"]
    app.click("export-close")
    app.wait_until(lambda d_: not app.all("export-dialog"))

    # A bank's sheet with a bad row: previewed, the row named, nothing imported.
    sheet = tmp_path / "bank.csv"
    sheet.write_text("客户名单\n客户姓名,手机号码,客户等级,开户网点\n钱学林,13811112222,私行,朝阳\n孙丽,13922223333,金卡,朝阳\n", encoding="gbk")
    app.click("import-open")
    app.by("import-dialog")
    app.type("import-path", str(sheet) + Keys.ENTER)
    app.wait_until(lambda d_: app.all("import-refused"))
    refused = app.text("import-refused")
    assert "第 4 行" in refused and "金卡" in refused, refused
    assert app.by("import-map-D").get_attribute("value") == ""
    assert not app.by("import-run").is_enabled()
    app.screenshot("import-refused-zh")
    assert len(cli(book_path, "clients", "list", "--json", json_out=True)["rows"]) == 3

    sheet.write_text("客户名单\n客户姓名,手机号码,客户等级,开户网点\n钱学林,13811112222,私行,朝阳\n孙丽,13922223333,大众,朝阳\n", encoding="gbk")
    app.click("import-preview")
    app.wait_until(lambda d_: "将新建 2" in app.text("import-summary"))
    app.click("import-run")
    app.wait_until(lambda d_: "已导入" in app.text("import-summary"))
    app.click("import-close")
    app.select("filter-tier", "")
    app.wait_until(lambda d_: len(app.all("client-row")) == 5)
    assert app.text("book-count").startswith("共 5")

    app.click("lang-toggle")
    app.size(1024, 700)
    app.click("import-open")
    app.wait_until(lambda d_: "Import clients" in app.text("import-dialog"))
    app.screenshot("import-dialog-en-1024")


def test_the_phone_calendar_file_from_today(book_path, tmp_path, launch):
    import icalendar

    cid = cli(book_path, "clients", "add", "--name", "王德明", "--birthday", "1960-12-05", "--json", json_out=True)["id"]
    cli(book_path, "family", "add", str(cid), "--name", "李秀芳", "--relation", "spouse", "--birthday", "1962-12-20")
    app = launch(book_path, today="2026-12-01")
    app.by("today-total")
    app.click("calendar-open")
    app.by("calendar-dialog")
    assert app.by("calendar-path").get_attribute("value").endswith(".ics")
    out = tmp_path / "phone.ics"
    app.type("calendar-path", str(out))
    app.select("calendar-days", "30")
    app.size(1024, 700)
    app.screenshot("calendar-dialog-zh-1024")
    app.click("calendar-run")
    app.wait_until(lambda d_: app.all("calendar-done"))
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    assert "王德明" in summaries and "李秀芳" in summaries, summaries
    assert all(e.walk("VALARM") for e in events if str(e.get("STATUS")) != "CANCELLED")
    uids = sorted(str(e["UID"]) for e in events)
    # Exported again: the same events, the same UIDs.
    app.click("calendar-close")
    app.click("calendar-open")
    app.type("calendar-path", str(out))
    app.select("calendar-days", "30")
    app.click("calendar-run")
    app.wait_until(lambda d_: app.all("calendar-done"))
    again = icalendar.Calendar.from_ical(out.read_bytes())
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == uids
