-- Schema 17: who is due for contact by the tier cadence is answered by an index, so Today's
-- page reads only the clients it shows instead of every client of the book (on a book of
-- 100,000 clients that read was half of the page's time).
-- The columns are computed by SQLite from the row itself, never out of step with it whatever
-- writes the row. They state the cadence rule of `rules::cadence::owed` with its default
-- settings (each tier's days between contacts; old clients, a year after becoming clients,
-- get a phone call every calendar month); a test holds the two to the same answers.

-- A day kept in a timestamp, when it is a real calendar day (a modifier makes SQLite
-- normalise 02-30, which then no longer reads the same).
ALTER TABLE clients ADD COLUMN cadence_since TEXT GENERATED ALWAYS AS (
    CASE WHEN date(substr(created_at, 1, 10), '+0 days') = substr(created_at, 1, 10)
         THEN substr(created_at, 1, 10) END
) VIRTUAL;
ALTER TABLE clients ADD COLUMN cadence_last_call TEXT GENERATED ALWAYS AS (
    CASE WHEN date(substr(last_call_at, 1, 10), '+0 days') = substr(last_call_at, 1, 10)
         THEN substr(last_call_at, 1, 10) END
) VIRTUAL;
-- The newest contact of any channel (a call is a contact too).
ALTER TABLE clients ADD COLUMN cadence_last TEXT GENERATED ALWAYS AS (
    CASE WHEN date(substr(last_contact_at, 1, 10), '+0 days') = substr(last_contact_at, 1, 10)
         THEN max(substr(last_contact_at, 1, 10), coalesce(cadence_last_call, ''))
         ELSE cadence_last_call END
) VIRTUAL;
-- The day the monthly call is owed: a calendar month after the last call (31 January → the
-- end of February, as chrono counts months), never before a month after the client is old.
ALTER TABLE clients ADD COLUMN cadence_call_due TEXT GENERATED ALWAYS AS (
    max(
        min(date(cadence_since, '+365 days', '+1 month'),
            date(cadence_since, '+365 days', 'start of month', '+2 months', '-1 day')),
        coalesce(min(date(cadence_last_call, '+1 month'),
                     date(cadence_last_call, 'start of month', '+2 months', '-1 day')), ''))
) VIRTUAL;
-- The first day anything is owed: the tier's contact or the monthly call, whichever is
-- earlier. NULL when the client's first day is unreadable (the rule then owes nothing).
ALTER TABLE clients ADD COLUMN cadence_due TEXT GENERATED ALWAYS AS (
    min(cadence_call_due,
        CASE WHEN cadence_last IS NULL THEN cadence_since
             ELSE date(cadence_last, '+' || CASE tier WHEN 'private' THEN 7 WHEN 'vip' THEN 14
                                                      WHEN 'high' THEN 30 ELSE 90 END || ' days')
        END)
) VIRTUAL;
-- Everyone the cadence applies to, by the day they fall due and then in name order, as
-- Today lists them; the call's day rides along so reading it needs no row.
CREATE INDEX clients_cadence ON clients (cadence_due, name_sort, id, cadence_call_due)
    WHERE stage NOT IN ('lost', 'prospect');
