-- Schema 9: care that fits the person. Preferences per person, the gift log, referrals, the
-- loyalty points ledger and satisfaction surveys. New tables only: the free-text likes and
-- taboos on clients stay where they are and are still read by the gift check.
--
-- A row about a family member names the client too (family_id with its client_id), so a
-- client's page reads its rows from one index whoever they are about; that the member belongs
-- to that client is checked by the code that writes. Deleting a client or a member deletes
-- what is recorded about them.
-- AUTOINCREMENT: ids are shown and typed back (delete a preference, a gift), never reused.

-- 喜好、禁忌、习惯、期望的礼品档次. `quality` holds the band for kind 'quality' only.
CREATE TABLE preferences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    family_id  INTEGER REFERENCES family_members (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('like', 'taboo', 'habit', 'quality')),
    text       TEXT NOT NULL CHECK (length(trim(text)) > 0),
    quality    TEXT CHECK (quality IN ('economy', 'standard', 'premium', 'luxury')),
    created_at TEXT NOT NULL,
    CHECK ((kind = 'quality') = (quality IS NOT NULL))
);
CREATE INDEX preferences_by_client ON preferences (client_id, family_id, kind);
CREATE INDEX preferences_by_family ON preferences (family_id);

-- 礼品记录: every gift given, to the client (family_id NULL) or a family member.
CREATE TABLE gifts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    family_id  INTEGER REFERENCES family_members (id) ON DELETE CASCADE,
    given_on   TEXT NOT NULL,                    -- YYYY-MM-DD
    occasion   TEXT NOT NULL CHECK (occasion IN ('birthday', 'festival', 'salon', 'thanks', 'other')),
    gift       TEXT NOT NULL CHECK (length(trim(gift)) > 0),
    cost_fen   INTEGER CHECK (cost_fen >= 0),    -- whole fen: money is never a float
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX gifts_by_client ON gifts (client_id, given_on);
CREATE INDEX gifts_by_family ON gifts (family_id);

-- 转介绍: who brought whom. A client was brought by one referrer at most, never by themself.
CREATE TABLE referrals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    referrer_id INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    referred_id INTEGER NOT NULL UNIQUE REFERENCES clients (id) ON DELETE CASCADE,
    referred_on TEXT NOT NULL,                   -- YYYY-MM-DD
    reward      TEXT,
    created_at  TEXT NOT NULL,
    CHECK (referrer_id <> referred_id)
);
CREATE INDEX referrals_by_referrer ON referrals (referrer_id, referred_on);

-- 积分: a ledger; the balance is what was earned less what was redeemed.
CREATE TABLE points (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    booked_on  TEXT NOT NULL,                    -- YYYY-MM-DD
    kind       TEXT NOT NULL CHECK (kind IN ('earned', 'redeemed')),
    points     INTEGER NOT NULL CHECK (points > 0),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at TEXT NOT NULL
);
CREATE INDEX points_by_client ON points (client_id, booked_on);

-- 满意度调查. A low score opens a follow-up in the same write; the survey keeps it.
CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    taken_on     TEXT NOT NULL,                  -- YYYY-MM-DD
    channel      TEXT NOT NULL CHECK (channel IN ('visit', 'phone', 'wechat', 'sms', 'email', 'salon')),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT,
    follow_up_id INTEGER REFERENCES follow_ups (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX surveys_by_client ON surveys (client_id, taken_on);
CREATE INDEX surveys_by_follow_up ON surveys (follow_up_id);
