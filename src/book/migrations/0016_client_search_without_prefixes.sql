-- Schema 16: the client index without the prefix indexes schema 13 gave it. They made "zh"
-- typed alone 11 → 3 ms, but writing them made a big demo book a third slower, and a pinyin
-- search is under 2 ms p95 without them. Contentless, so nothing is lost: the index version
-- of this build is newer than any book's, so every client's entry is written again from the
-- records as the book opens (the contacts' entries are kept).
DROP TABLE client_search;
CREATE VIRTUAL TABLE client_search USING fts5 (
    key_bi, key_uni, body_bi, body_uni,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
