-- Schema 13: search stays fast on a book of a hundred thousand clients.
-- The name of each client beside its id, small enough that ordering a few hundred search
-- matches by name reads this index instead of the clients' whole rows.
CREATE INDEX clients_name_of_id ON clients (id, name_sort);
-- The follow-ups noted without a contact, which a client's search entry and snippet read.
CREATE INDEX follow_ups_without_contact ON follow_ups (client_id, id) WHERE contact_id IS NULL;
-- The client index again, with prefix indexes of one and two characters: "zh" or "w" typed
-- into the search box matches thousands of pinyin words, which FTS5 otherwise merges one by
-- one. Contentless, so nothing is lost: the entries are written again from the records when
-- the book opens (the index version says so).
DROP TABLE client_search;
CREATE VIRTUAL TABLE client_search USING fts5 (
    key_bi, key_uni, body_bi, body_uni,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2'
);
-- Whatever build indexed the book before, the index is written again as the book opens.
DELETE FROM settings WHERE key = 'search_index_version';
