-- Schema 15: Today's money items read small indexes instead of every holding. On a book of
-- 200,000 holdings the band check read each banded fund's newest value (75 ms) and the
-- maturities read each maturing holding's row.
-- Each holding's newest value and its day, kept from holding_values by the triggers below in
-- the same write; NULL while none is recorded.
ALTER TABLE holdings ADD COLUMN last_value_fen INTEGER;
ALTER TABLE holdings ADD COLUMN last_valued_on TEXT;
UPDATE holdings SET (last_value_fen, last_valued_on) = (
    SELECT v.value_fen, v.on_day FROM holding_values v
    WHERE v.holding_id = holdings.id ORDER BY v.on_day DESC LIMIT 1);
CREATE TRIGGER holdings_newest_value_add AFTER INSERT ON holding_values BEGIN
    UPDATE holdings SET (last_value_fen, last_valued_on) = (
        SELECT v.value_fen, v.on_day FROM holding_values v
        WHERE v.holding_id = holdings.id ORDER BY v.on_day DESC LIMIT 1)
    WHERE id = NEW.holding_id;
END;
CREATE TRIGGER holdings_newest_value_change AFTER UPDATE ON holding_values BEGIN
    UPDATE holdings SET (last_value_fen, last_valued_on) = (
        SELECT v.value_fen, v.on_day FROM holding_values v
        WHERE v.holding_id = holdings.id ORDER BY v.on_day DESC LIMIT 1)
    WHERE id IN (OLD.holding_id, NEW.holding_id);
END;
CREATE TRIGGER holdings_newest_value_remove AFTER DELETE ON holding_values BEGIN
    UPDATE holdings SET (last_value_fen, last_valued_on) = (
        SELECT v.value_fen, v.on_day FROM holding_values v
        WHERE v.holding_id = holdings.id ORDER BY v.on_day DESC LIMIT 1)
    WHERE id = OLD.holding_id;
END;
-- Only the held holdings whose newest value is past their stop-profit or stop-loss line (the
-- change in hundredths of a percent, truncated toward zero, as the app computes it; the line
-- first, or SQLite turns the term around and no longer sees the index in it): a few
-- thousand of a big book's banded funds, which the agenda reads whole from here.
CREATE INDEX holdings_out_of_band ON holdings (
    client_id, id, product, amount_fen, last_value_fen, last_valued_on, stop_profit_bp)
    WHERE status = 'held' AND last_value_fen IS NOT NULL AND (
        (stop_profit_bp IS NOT NULL
         AND stop_profit_bp <= (last_value_fen - amount_fen) * 10000 / amount_fen)
        OR (stop_loss_bp IS NOT NULL
            AND stop_loss_bp >= (last_value_fen - amount_fen) * 10000 / amount_fen));
-- Holdings maturing here, with what a maturity reminder says, so the days ahead are read from
-- the index alone.
DROP INDEX holdings_maturing;
CREATE INDEX holdings_maturing ON holdings (maturity, client_id, id, amount_fen, product)
    WHERE status = 'held' AND elsewhere = 0;
