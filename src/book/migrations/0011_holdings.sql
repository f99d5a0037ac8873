-- Schema 11: money in the book. What each client holds (持仓) with its dated values, what they
-- are known to hold at other banks (他行资产, kept apart: never in AUM), large transfers out,
-- the contribution (中间业务收入) and the reason a client was lost, and the monthly 12421 grade
-- snapshots that show a fall (C → D). Money is whole fen, never a float.

-- One product bought. A holding at another bank has `elsewhere` = 1 and the bank's name.
-- The stop band is the change of value against the amount, in hundredths of a percent
-- (stop_profit_bp 800 = +8.00 %, stop_loss_bp -500 = -5.00 %). `renewed_into` names the
-- holding the money went on to when it was renewed (续作).
CREATE TABLE holdings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id      INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    product        TEXT NOT NULL CHECK (length(trim(product)) > 0),
    kind           TEXT NOT NULL CHECK (kind IN ('deposit', 'wealth', 'fund', 'insurance', 'bond', 'other')),
    elsewhere      INTEGER NOT NULL DEFAULT 0 CHECK (elsewhere IN (0, 1)),
    institution    TEXT,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    bought_on      TEXT NOT NULL,                -- YYYY-MM-DD
    value_date     TEXT,                         -- 起息日
    maturity       TEXT,                         -- 到期/回款日; none for open-ended products
    rate_bp        INTEGER,                      -- expected annual yield, 1/100 %
    stop_profit_bp INTEGER CHECK (stop_profit_bp IS NULL OR stop_profit_bp > 0),
    stop_loss_bp   INTEGER CHECK (stop_loss_bp IS NULL OR stop_loss_bp < 0),
    status         TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'matured', 'redeemed', 'renewed')),
    closed_on      TEXT,                         -- the day it stopped being held
    renewed_into   INTEGER REFERENCES holdings (id) ON DELETE SET NULL,
    notes          TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (value_date IS NULL OR value_date >= bought_on),
    CHECK (maturity IS NULL OR maturity >= bought_on)
);
CREATE INDEX holdings_by_client ON holdings (client_id, bought_on);
-- The agenda's maturity reminders read only what is still held, by day.
CREATE INDEX holdings_maturing ON holdings (maturity) WHERE status = 'held' AND elsewhere = 0;

-- A holding's value on a day (a fund's net value times units, an insurance cash value).
CREATE TABLE holding_values (
    holding_id INTEGER NOT NULL REFERENCES holdings (id) ON DELETE CASCADE,
    on_day     TEXT NOT NULL,                    -- YYYY-MM-DD
    value_fen  INTEGER NOT NULL CHECK (value_fen >= 0),
    created_at TEXT NOT NULL,
    PRIMARY KEY (holding_id, on_day)
) WITHOUT ROWID;

-- 大额转出: money the client moved out of the bank, as the advisor heard of it.
CREATE TABLE transfers_out (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    on_day     TEXT NOT NULL,                    -- YYYY-MM-DD
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    to_where   TEXT,
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX transfers_out_by_client ON transfers_out (client_id, on_day);

-- 中间业务收入 of the last 12 months as the advisor records it, in fen; why a lost client left.
ALTER TABLE clients ADD COLUMN contribution_fen INTEGER;
ALTER TABLE clients ADD COLUMN lost_reason TEXT;
ALTER TABLE clients ADD COLUMN lost_on TEXT;

-- The 12421 grades as computed at the end of a month (or on demand within it): one row a
-- client a month, with the figures the grade came from, so a grade is explained by its parts
-- and a fall shows against the month before. score_x100 is the score times 100.
CREATE TABLE grade_snapshots (
    month            TEXT NOT NULL,              -- YYYY-MM
    client_id        INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    grade            TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    score_x100       INTEGER NOT NULL,
    aum_fen          INTEGER NOT NULL,
    contribution_fen INTEGER NOT NULL,
    contacts         INTEGER NOT NULL,
    salons           INTEGER NOT NULL,
    referrals        INTEGER NOT NULL,
    PRIMARY KEY (month, client_id)
) WITHOUT ROWID;
CREATE INDEX grade_snapshots_by_client ON grade_snapshots (client_id, month);
