-- Schema 2: drafts. What the advisor was typing (a visit note, a client form) is kept here,
-- inside the book, so it survives leaving the page or a relaunch. Drafts are client data: they
-- never go to temp files or web storage. A client's drafts go with the client.

CREATE TABLE drafts (
    key       TEXT PRIMARY KEY,                  -- chosen by the UI, e.g. 'contact:new:42'
    client_id INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    body      TEXT NOT NULL,                     -- the form as the UI serialised it
    saved_at  TEXT NOT NULL                      -- YYYY-MM-DD HH:MM:SS local time
);
CREATE INDEX drafts_by_client ON drafts (client_id);
