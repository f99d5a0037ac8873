-- Ids never reused. Without AUTOINCREMENT SQLite gives the next row the largest id in use
-- plus one, so deleting the newest client hands their id to the next one. Things outside
-- these tables hold on to ids: 7-3-1 call ids built on the invitee, done marks keyed by item,
-- calendar UIDs built on client ids, drafts keyed by client, the search index keyed by row.
-- Such an id must never come to mean another person, so each table whose id is seen outside
-- it is rebuilt with AUTOINCREMENT: clients, family_members, contacts, follow_ups. (Drafts are
-- keyed by text, client_segments and work_schedule by their content, and the search tables
-- are keyed by the clients' and contacts' own ids.)
--
-- The runner switches foreign keys off around this step, so dropping an old table deletes no
-- child row; it checks every reference before committing. Ids are copied as they are: the
-- search index, drafts and everything outside the book keep pointing at the same rows. Every
-- column, constraint, default and index is kept as 0001 and 0003 made them.

CREATE TABLE clients_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'enterprise')),
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_sort        TEXT NOT NULL,              -- pinyin, for 按姓名排序
    gender           TEXT CHECK (gender IN ('male', 'female')),
    phone            TEXT,
    wechat           TEXT,
    email            TEXT,
    id_type          TEXT,
    id_number        TEXT,
    birthday         TEXT,                       -- YYYY-MM-DD in the calendar below
    birthday_calendar TEXT CHECK (birthday_calendar IN ('solar', 'lunar')),
    birthday_leap    INTEGER NOT NULL DEFAULT 0, -- lunar leap month (闰月)
    occupation       TEXT,
    employer         TEXT,
    income_band      TEXT,
    risk_profile     TEXT CHECK (risk_profile IN ('C1', 'C2', 'C3', 'C4', 'C5')),
    tier             TEXT NOT NULL DEFAULT 'mass' CHECK (tier IN ('private', 'vip', 'high', 'mass')),
    stage            TEXT NOT NULL DEFAULT 'new'
                     CHECK (stage IN ('prospect', 'new', 'stable', 'mature', 'at_risk', 'lost')),
    company          TEXT,
    industry         TEXT,
    company_scale    TEXT,
    financing_needs  TEXT,
    hobbies          TEXT,
    likes            TEXT,
    taboos           TEXT,
    objections       TEXT,
    notes            TEXT,
    starred          INTEGER NOT NULL DEFAULT 0,
    last_contact_at  TEXT,                       -- newest contact, kept in the same transaction
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- The duplicate keys of 0003, last as ALTER TABLE left them.
    phone_digits     TEXT GENERATED ALWAYS AS (
        nullif(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '')
    ) VIRTUAL,
    phone_key        TEXT GENERATED ALWAYS AS (
        CASE WHEN length(phone_digits) = 13 AND substr(phone_digits, 1, 2) = '86'
             THEN substr(phone_digits, 3) ELSE phone_digits END
    ) VIRTUAL,
    id_key           TEXT GENERATED ALWAYS AS (
        nullif(upper(replace(id_number, ' ', '')), '')
    ) VIRTUAL
);
INSERT INTO clients_rebuilt (
    id, kind, name, name_sort, gender, phone, wechat, email, id_type, id_number, birthday,
    birthday_calendar, birthday_leap, occupation, employer, income_band, risk_profile, tier,
    stage, company, industry, company_scale, financing_needs, hobbies, likes, taboos,
    objections, notes, starred, last_contact_at, created_at, updated_at)
SELECT
    id, kind, name, name_sort, gender, phone, wechat, email, id_type, id_number, birthday,
    birthday_calendar, birthday_leap, occupation, employer, income_band, risk_profile, tier,
    stage, company, industry, company_scale, financing_needs, hobbies, likes, taboos,
    objections, notes, starred, last_contact_at, created_at, updated_at
FROM clients;
DROP TABLE clients;
ALTER TABLE clients_rebuilt RENAME TO clients;
CREATE INDEX clients_by_name ON clients (name_sort, id);
CREATE INDEX clients_by_tier ON clients (tier, name_sort, id);
CREATE INDEX clients_by_stage ON clients (stage, name_sort, id);
CREATE INDEX clients_by_risk ON clients (risk_profile, name_sort, id);
CREATE INDEX clients_by_updated ON clients (updated_at, id);
CREATE INDEX clients_by_last_contact ON clients (last_contact_at, id);
CREATE INDEX clients_by_phone ON clients (phone);
CREATE INDEX clients_by_phone_key ON clients (phone_key);
CREATE INDEX clients_by_id_key ON clients (id_key);

CREATE TABLE family_members_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id         INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (length(trim(name)) > 0),
    relation          TEXT NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'sibling', 'other')),
    gender            TEXT CHECK (gender IN ('male', 'female')),
    birthday          TEXT,
    birthday_calendar TEXT CHECK (birthday_calendar IN ('solar', 'lunar')),
    birthday_leap     INTEGER NOT NULL DEFAULT 0,
    phone             TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
INSERT INTO family_members_rebuilt (
    id, client_id, name, relation, gender, birthday, birthday_calendar, birthday_leap, phone,
    notes, created_at, updated_at)
SELECT
    id, client_id, name, relation, gender, birthday, birthday_calendar, birthday_leap, phone,
    notes, created_at, updated_at
FROM family_members;
DROP TABLE family_members;
ALTER TABLE family_members_rebuilt RENAME TO family_members;
CREATE INDEX family_by_client ON family_members (client_id);

CREATE TABLE contacts_rebuilt (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,                  -- YYYY-MM-DD HH:MM
    channel      TEXT NOT NULL CHECK (channel IN ('visit', 'phone', 'wechat', 'sms', 'email', 'salon')),
    kind         TEXT NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'complaint')),
    summary      TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    needs        TEXT,
    response_due TEXT,                           -- complaints: promised response date
    resolution   TEXT,
    resolved_at  TEXT,
    satisfied    INTEGER CHECK (satisfied IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
INSERT INTO contacts_rebuilt (
    id, client_id, at, channel, kind, summary, needs, response_due, resolution, resolved_at,
    satisfied, created_at, updated_at)
SELECT
    id, client_id, at, channel, kind, summary, needs, response_due, resolution, resolved_at,
    satisfied, created_at, updated_at
FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_rebuilt RENAME TO contacts;
CREATE INDEX contacts_by_client ON contacts (client_id, at);
CREATE INDEX contacts_by_at ON contacts (at);

CREATE TABLE follow_ups_rebuilt (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due        TEXT NOT NULL,                    -- YYYY-MM-DD
    done_at    TEXT,
    created_at TEXT NOT NULL
);
INSERT INTO follow_ups_rebuilt (id, client_id, contact_id, title, due, done_at, created_at)
SELECT id, client_id, contact_id, title, due, done_at, created_at FROM follow_ups;
DROP TABLE follow_ups;
ALTER TABLE follow_ups_rebuilt RENAME TO follow_ups;
CREATE INDEX follow_ups_by_client ON follow_ups (client_id, due);
CREATE INDEX follow_ups_open ON follow_ups (done_at, due);
CREATE INDEX follow_ups_by_contact ON follow_ups (contact_id);

-- The next id of each table is past every id the book still records anywhere. Ids deleted
-- before this migration and recorded nowhere in the book cannot be known: SQLite kept no trace.
DELETE FROM sqlite_sequence WHERE name IN ('clients', 'family_members', 'contacts', 'follow_ups');
INSERT INTO sqlite_sequence (name, seq)
SELECT 'clients', coalesce(max(id), 0) FROM (
    SELECT max(id) AS id FROM clients
    UNION ALL SELECT rowid FROM (SELECT rowid FROM client_search ORDER BY rowid DESC LIMIT 1)
    UNION ALL SELECT max(client_id) FROM client_segments
    UNION ALL SELECT max(client_id) FROM family_members
    UNION ALL SELECT max(client_id) FROM contacts
    UNION ALL SELECT max(client_id) FROM follow_ups
    UNION ALL SELECT max(client_id) FROM drafts
);
INSERT INTO sqlite_sequence (name, seq)
SELECT 'contacts', coalesce(max(id), 0) FROM (
    SELECT max(id) AS id FROM contacts
    UNION ALL SELECT rowid FROM (SELECT rowid FROM contact_search ORDER BY rowid DESC LIMIT 1)
    UNION ALL SELECT max(contact_id) FROM follow_ups
);
INSERT INTO sqlite_sequence (name, seq)
SELECT 'family_members', coalesce(max(id), 0) FROM family_members;
INSERT INTO sqlite_sequence (name, seq)
SELECT 'follow_ups', coalesce(max(id), 0) FROM follow_ups;
