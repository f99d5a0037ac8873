-- Schema 4: the advisor's settings, and which years a holiday notice replaced whole.

-- One row a setting (`time_zone` = an IANA name such as Asia/Shanghai). A missing key means
-- the built-in default, so a new setting never needs a migration of its own.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A State Council notice lists days of the year before (the 2019 notice starts on 2018-12-29):
-- only the notice's own year is replaced whole, its other days overlay the schedule one by one.
-- A year listed here ignores the built-in schedule; stored days of other years sit on top of it.
CREATE TABLE work_schedule_years (
    year INTEGER PRIMARY KEY
);

-- Books from before kept whole years and the neighbouring fragments alike. A notice's own year
-- holds a dozen days or more; the fragment of the year before holds 3 or 4.
INSERT INTO work_schedule_years (year)
SELECT CAST(substr(date, 1, 4) AS INTEGER)
FROM work_schedule
GROUP BY substr(date, 1, 4)
HAVING count(*) > 5;
