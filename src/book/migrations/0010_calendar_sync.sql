-- Schema 10: what the advisor's CalDAV calendar holds of Rapport's, so a sync sends only what
-- changed since the last one. The calendar itself (URL, user) is in `settings`.

-- One row an event Rapport put in the calendar: its resource name there (`rapport-….ics`), the
-- day it is on (past days' events stay in the calendar as history), a digest of the text sent
-- and the ETag the server answered with.
CREATE TABLE calendar_sync (
    name TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    digest TEXT NOT NULL,
    etag TEXT
) WITHOUT ROWID;
