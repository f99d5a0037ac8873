-- Schema 6: salons with their invitation lists, the 7-3-1 calls made, and what the advisor did
-- with each item of the agenda. Rounds are never stored: they are planned again from these
-- facts (see rules::invitations), so moving a salon moves the rounds still ahead.
-- AUTOINCREMENT: salon ids are part of call ids and calendar UIDs, never to be reused.

CREATE TABLE salons (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT NOT NULL CHECK (length(trim(title)) > 0),
    theme      TEXT,
    segments   TEXT NOT NULL DEFAULT '',         -- comma list of segment words
    start      TEXT NOT NULL,                    -- YYYY-MM-DD HH:MM, the advisor's time
    venue      TEXT,
    capacity   INTEGER CHECK (capacity IS NULL OR capacity > 0),
    notes      TEXT,
    cancelled  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX salons_by_start ON salons (start);

-- Who was put on the list, on which day (a late invitee gets only the rounds still ahead),
-- who comes along, and after the event whether they came.
CREATE TABLE salon_invitees (
    salon_id  INTEGER NOT NULL REFERENCES salons (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    family_id INTEGER REFERENCES family_members (id) ON DELETE SET NULL,
    added_on  TEXT NOT NULL,                     -- YYYY-MM-DD
    attended  INTEGER CHECK (attended IN (0, 1)),
    guests    INTEGER NOT NULL DEFAULT 0 CHECK (guests >= 0),
    PRIMARY KEY (salon_id, client_id)
) WITHOUT ROWID;
CREATE INDEX salon_invitees_by_client ON salon_invitees (client_id);

-- Each call of the rounds that was made, keyed by its stable id SALON/CLIENT/r7|r3|r1.
CREATE TABLE salon_calls (
    call_id   TEXT PRIMARY KEY,
    salon_id  INTEGER NOT NULL,
    client_id INTEGER NOT NULL,
    response  TEXT NOT NULL CHECK (response IN ('no_answer', 'declined', 'tentative', 'confirmed')),
    done_on   TEXT NOT NULL,                     -- YYYY-MM-DD
    note      TEXT,
    FOREIGN KEY (salon_id, client_id) REFERENCES salon_invitees (salon_id, client_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX salon_calls_by_salon ON salon_calls (salon_id, client_id);

-- What the advisor did with an agenda item, keyed by the item's stable id, so recomputing the
-- agenda never brings back a handled item. Snoozed items come back on `until`.
CREATE TABLE agenda_marks (
    item_id   TEXT PRIMARY KEY,
    client_id INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    state     TEXT NOT NULL CHECK (state IN ('done', 'snoozed', 'skipped')),
    until     TEXT,                              -- snoozed: YYYY-MM-DD
    marked_on TEXT NOT NULL                      -- YYYY-MM-DD
) WITHOUT ROWID;
CREATE INDEX agenda_marks_by_client ON agenda_marks (client_id);

-- The monthly call to old clients needs each client's last phone call: a small index of calls.
CREATE INDEX contacts_calls ON contacts (client_id, at) WHERE channel = 'phone';
