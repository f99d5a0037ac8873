-- Schema 7: what the agenda reads, found without reading whole tables.
-- The monthly call to old clients counts a visit as a call: the calls index covers both.
DROP INDEX contacts_calls;
CREATE INDEX contacts_calls ON contacts (client_id, at) WHERE channel IN ('phone', 'visit');
-- Complaints still waiting for an answer are few among all contacts.
CREATE INDEX contacts_open_complaints ON contacts (response_due)
    WHERE kind = 'complaint' AND resolved_at IS NULL;
-- Open follow-ups by day, holding all the agenda reads of them: done ones (most of them) are
-- left out, and the table is not read row by row (done_at, always empty here, is in it so the
-- index covers the query's own test).
DROP INDEX follow_ups_open;
CREATE INDEX follow_ups_open ON follow_ups (due, client_id, title, done_at) WHERE done_at IS NULL;
-- Family birthdays are looked up by month and day, never all read to find a week's.
CREATE INDEX family_birthday_days ON family_members (substr(birthday, 6, 5))
    WHERE birthday IS NOT NULL;
