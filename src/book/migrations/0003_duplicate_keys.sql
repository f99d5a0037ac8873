-- Schema 3: keys to spot a client entered twice. The same phone is typed many ways
-- (+86 138 0013 8000, 138-0013-8000) and an ID number in either case, so each gets a
-- normalised key, computed by SQLite (never out of step with the field it comes from) and
-- indexed, so the check stays instant at 100k clients.

-- The phone's digits: phones are validated to digits, spaces, + - and brackets.
ALTER TABLE clients ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (
    nullif(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''), '')
) VIRTUAL;
-- Those digits without the 86 country code in front of an 11-digit mainland number.
ALTER TABLE clients ADD COLUMN phone_key TEXT GENERATED ALWAYS AS (
    CASE WHEN length(phone_digits) = 13 AND substr(phone_digits, 1, 2) = '86'
         THEN substr(phone_digits, 3) ELSE phone_digits END
) VIRTUAL;
-- The ID number in upper case without spaces.
ALTER TABLE clients ADD COLUMN id_key TEXT GENERATED ALWAYS AS (
    nullif(upper(replace(id_number, ' ', '')), '')
) VIRTUAL;
CREATE INDEX clients_by_phone_key ON clients (phone_key);
CREATE INDEX clients_by_id_key ON clients (id_key);
