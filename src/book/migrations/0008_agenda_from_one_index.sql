-- Schema 8: Today reads every client from one narrow index instead of the whole table (whose
-- rows carry notes and profiles), and the monthly call needs no pass over all contacts.
-- The newest phone call or visit, kept with last_contact_at in the same transaction.
ALTER TABLE clients ADD COLUMN last_call_at TEXT;
UPDATE clients SET last_call_at = (
    SELECT max(at) FROM contacts k
    WHERE k.client_id = clients.id AND k.channel IN ('phone', 'visit'));
-- Exactly the columns the agenda reads of every client, so it never touches the table (the
-- pinyin key orders a day's items as the client list orders names).
CREATE INDEX clients_agenda ON clients (
    id, name, name_sort, tier, stage, starred, created_at, last_contact_at, last_call_at);
-- Birthdays are looked up by month and day, with everything the agenda reads of them, so a
-- week's birthdays cost no visit to thousands of rows.
CREATE INDEX client_birthday_days ON clients (
    substr(birthday, 6, 5), birthday, birthday_calendar, birthday_leap)
    WHERE birthday IS NOT NULL;
DROP INDEX family_birthday_days;
CREATE INDEX family_birthday_days ON family_members (
    substr(birthday, 6, 5), birthday, birthday_calendar, birthday_leap, client_id, name,
    relation)
    WHERE birthday IS NOT NULL;
