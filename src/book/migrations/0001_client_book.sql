-- Schema 1: the client book. Clients, their family, every contact, follow-ups and search.
-- Dates are ISO text (YYYY-MM-DD, YYYY-MM-DD HH:MM) in the advisor's local time, so the
-- sqlite3 shell shows them as the advisor wrote them and they sort as text.

CREATE TABLE clients (
    id               INTEGER PRIMARY KEY,
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
    updated_at       TEXT NOT NULL
);
CREATE INDEX clients_by_name ON clients (name_sort, id);
CREATE INDEX clients_by_tier ON clients (tier, name_sort, id);
CREATE INDEX clients_by_stage ON clients (stage, name_sort, id);
CREATE INDEX clients_by_risk ON clients (risk_profile, name_sort, id);
CREATE INDEX clients_by_updated ON clients (updated_at, id);
CREATE INDEX clients_by_last_contact ON clients (last_contact_at, id);
CREATE INDEX clients_by_phone ON clients (phone);

CREATE TABLE client_segments (
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    segment   TEXT NOT NULL CHECK (segment IN ('entrepreneur', 'homemaker', 'retiree', 'professional')),
    PRIMARY KEY (client_id, segment)
) WITHOUT ROWID;
CREATE INDEX client_segments_by_segment ON client_segments (segment, client_id);

CREATE TABLE family_members (
    id                INTEGER PRIMARY KEY,
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
CREATE INDEX family_by_client ON family_members (client_id);

-- Every visit, call, message or salon meeting; complaints (投诉) are contacts of kind 'complaint'.
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
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
CREATE INDEX contacts_by_client ON contacts (client_id, at);
CREATE INDEX contacts_by_at ON contacts (at);

-- 待办: every need heard is followed up until done.
CREATE TABLE follow_ups (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due        TEXT NOT NULL,                    -- YYYY-MM-DD
    done_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX follow_ups_by_client ON follow_ups (client_id, due);
CREATE INDEX follow_ups_open ON follow_ups (done_at, due);
CREATE INDEX follow_ups_by_contact ON follow_ups (contact_id);

-- Search: text split into overlapping bigrams (bi) and single characters (uni), so one- and
-- two-character Chinese words match (FTS5's trigram tokenizer never matches them).
-- Contentless (the text lives in its own table; snippets are cut from there), with deletes.
-- rowid = clients.id; `key` holds name, pinyin and phone suffixes; `body` the rest of the profile.
CREATE VIRTUAL TABLE client_search USING fts5 (
    key_bi, key_uni, body_bi, body_uni,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- rowid = contacts.id; summary, needs, resolution and the contact's follow-ups (bi, uni), and
-- the client's name with its pinyin (who_*), so "张 留学" finds 张's note about 留学.
CREATE VIRTUAL TABLE contact_search USING fts5 (
    bi, uni, who_bi, who_uni,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Statutory holiday schedules the advisor imported (each November the State Council announces
-- next year's); a year present here replaces the built-in schedule of that year entirely.
CREATE TABLE work_schedule (
    date TEXT PRIMARY KEY,                       -- YYYY-MM-DD
    kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    name TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
