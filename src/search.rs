//! 搜索: Chinese-aware full-text search over names, phones, profiles and contact notes.
//!
//! FTS5's trigram tokenizer never matches one- or two-character queries, and most Chinese words
//! are two characters (孩子, 留学, 保险). So text is stored split into overlapping bigrams (`bi`)
//! and single characters (`uni`) for FTS5's unicode61 tokenizer, and queries are split the same
//! way: one character searches `uni`, longer runs search `bi` as a phrase of bigrams, and Latin
//! words or digits search as prefixes. Names also carry pinyin (全拼 and 首字母) and phones all
//! their digit suffixes, so "zwh" finds 张伟华 and "5678" finds 138 1234 5678.
//!
//! Search owns its index updates: the record modules (clients, contacts, family) call
//! `index_client`, `index_contact`, `index_contacts_of` and the removals after they write,
//! and this module reads the tables itself to build the rows. Search never calls back into them.

use crate::book::values::Tier;
use crate::{Book, Result};
use pinyin::ToPinyin;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use ts_rs::TS;

/// Characters searched one by one: CJK ideographs, kana, hangul.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Fold case and full-width forms one character at a time, so offsets in the folded text are
/// offsets in the original (the highlighter relies on it).
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// A run of text of one kind: CJK characters, or a word of letters and digits.
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold) {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            cjk.push(c);
        } else if c.is_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(c);
        } else {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
        }
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(cjk));
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    out
}

/// Text split for the index: (bigram column, single-character column).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Grams {
    /// Overlapping bigrams of CJK runs (a lone character stands for itself) and whole words.
    pub bi: String,
    /// Every CJK character on its own.
    pub uni: String,
}

impl Grams {
    /// Add `text` split into grams. Runs are separated by a break token so a phrase never
    /// matches across two fields or two sentences.
    pub fn push_text(&mut self, text: &str) {
        for run in runs(text) {
            match run {
                Run::Cjk(chars) => {
                    if chars.len() == 1 {
                        push_token(&mut self.bi, &chars[0].to_string());
                    }
                    for pair in chars.windows(2) {
                        push_token(&mut self.bi, &pair.iter().collect::<String>());
                    }
                    for c in &chars {
                        push_token(&mut self.uni, &c.to_string());
                    }
                }
                Run::Word(w) => push_token(&mut self.bi, &w),
            }
            // A separator unlikely to be typed keeps phrases inside one run.
            push_token(&mut self.bi, "ǁ");
        }
    }

    /// Add a name with its pinyin: 全拼 (zhangweihua) and 首字母 (zwh) as words.
    pub fn push_name(&mut self, name: &str) {
        self.push_text(name);
        let (full, initials) = pinyin_keys(name);
        if !full.is_empty() {
            push_token(&mut self.bi, &full);
            push_token(&mut self.bi, &initials);
        }
    }

    /// Add an ID number (身份证号, passport) as all its endings of four or more letters and
    /// digits, so its last digits, or the whole of it, find the client.
    pub fn push_id(&mut self, id_number: &str) {
        let folded: Vec<char> = id_number
            .chars()
            .map(fold)
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        for start in 0..folded.len().saturating_sub(3) {
            push_token(&mut self.bi, &folded[start..].iter().collect::<String>());
        }
    }

    /// Add a phone's digits as all their suffixes, so any ending ("5678") matches as a prefix.
    pub fn push_phone(&mut self, phone: &str) {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        for start in 0..digits.len().saturating_sub(2) {
            push_token(&mut self.bi, &digits[start..]);
        }
    }
}

fn push_token(column: &mut String, token: &str) {
    if !column.is_empty() {
        column.push(' ');
    }
    column.push_str(token);
}

/// Surnames whose reading differs from the character's most common one.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('解', "xie"),
    ('查', "zha"),
    ('朴', "piao"),
    ('覃', "qin"),
    ('尉', "yu"),
    ('乐', "yue"),
    ('盖', "ge"),
    ('繁', "po"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('秘', "bi"),
    ('员', "yun"),
    ('万', "wan"),
    ('华', "hua"),
    ('任', "ren"),
    ('沈', "shen"),
    ('柏', "bai"),
    ('褚', "chu"),
    ('长', "chang"),
    ('重', "chong"),
];

/// A name read syllable by syllable: pinyin without tones for Chinese characters (the surname
/// by its surname reading), other letters and digits folded, the rest dropped.
fn syllables(name: &str) -> Vec<String> {
    name.chars()
        .zip(name.to_pinyin())
        .enumerate()
        .filter_map(|(i, (c, py))| {
            let surname = if i == 0 {
                SURNAME_READINGS
                    .iter()
                    .find(|(s, _)| *s == c)
                    .map(|(_, r)| *r)
            } else {
                None
            };
            match surname.or(py.map(|p| p.plain())) {
                Some(r) => Some(r.to_string()),
                None if c.is_alphanumeric() => Some(fold(c).to_string()),
                None => None,
            }
        })
        .collect()
}

/// Pinyin of a name without tones: (full, initials), lower case; other characters kept as is.
pub fn pinyin_keys(name: &str) -> (String, String) {
    let parts = syllables(name);
    let initials = parts.iter().filter_map(|p| p.chars().next()).collect();
    (parts.concat(), initials)
}

/// The sort key of a name: its pinyin with syllables spaced, so 按姓名排序 follows pinyin order.
pub fn name_sort_key(name: &str) -> String {
    syllables(name).join(" ")
}

/// The client fields search reads into the profile part of a client's entry, in the order its
/// snippets show them. One list for every write path, the rebuild and the check; the key part
/// holds the name with its pinyin and, found by any ending, the client's and family's phones and
/// the ID number.
pub const PROFILE_FIELDS: &[&str] = &[
    "wechat",
    "email",
    "id_number",
    "occupation",
    "employer",
    "income_band",
    "company",
    "industry",
    "company_scale",
    "financing_needs",
    "hobbies",
    "likes",
    "taboos",
    "objections",
    "notes",
];

/// What the index holds and how it is split, as a number: raised whenever [`PROFILE_FIELDS`],
/// the key or the splitting change, so a book indexed by an older build is re-indexed once when
/// it is opened. 2: income band, company size, ID numbers and family phones. 3: contacts keyed
/// by when they happened. 4: the client index made again without prefix indexes (schema 16).
pub const INDEX_VERSION: i64 = 4;

/// A contact's entry is keyed by when the contact happened, not by when it was entered, so
/// walking the index's rowids down walks notes newest first by their own dates: a batch of old
/// notes imported today stays behind this week's. The rowid holds the minute of the contact
/// since 1970 (clamped to 1714–2225, what fits) above the contact's id in the low 36 bits,
/// which keeps it unique and gives the contact back with a mask. SQL, for the contact `k`.
const CONTACT_KEY: &str =
    "(max(-134217728, min(134217727, coalesce(unixepoch(k.at), 0) / 60)) * 68719476736 + k.id)";

/// SQL of the contact whose entry is the search row `s`: the low 36 bits of its rowid.
const CONTACT_OF_ENTRY: &str = "(s.rowid & 68719476735)";

/// The rowid of a contact's search entry, from the contact as it is now.
pub(crate) fn contact_key(conn: &Connection, contact_id: i64) -> Result<i64> {
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("SELECT {CONTACT_KEY} FROM contacts k WHERE k.id = ?1"));
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([contact_id], |r| r.get(0))?)
}

/// The profile text searched beside name and phone: the [`PROFILE_FIELDS`], family members
/// (name, phone, notes) and follow-ups noted without a contact. Search highlights against the
/// same text it indexes.
fn profile_text(conn: &Connection, id: i64) -> Result<String> {
    let sql = format!(
        "SELECT {} FROM clients WHERE id = ?1",
        PROFILE_FIELDS.join(", ")
    );
    let mut parts: Vec<String> = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            (0..PROFILE_FIELDS.len())
                .map(|i| r.get::<_, Option<String>>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .into_iter()
        .flatten()
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT name, coalesce(phone, ''), coalesce(notes, '') FROM family_members
         WHERE client_id = ?1 ORDER BY id",
    )?;
    // The phone as its digits, so the highlighter marks "13700009876" however it was typed.
    let family = stmt.query_map([id], |r| {
        let phone: String = r.get(1)?;
        Ok(format!(
            "{} {} {}",
            r.get::<_, String>(0)?,
            phone
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>(),
            r.get::<_, String>(2)?
        ))
    })?;
    for f in family {
        parts.push(f?.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    // Follow-ups noted without a contact belong to the profile (those with one, to the contact).
    let mut stmt = conn.prepare_cached(
        "SELECT title FROM follow_ups WHERE client_id = ?1 AND contact_id IS NULL ORDER BY id",
    )?;
    for title in stmt.query_map([id], |r| r.get::<_, String>(0))? {
        parts.push(title?);
    }
    Ok(parts.join(" · "))
}

/// Rebuild a client's search entry (name, pinyin, phones and ID number; the profile text with
/// family and follow-ups without a contact) inside the caller's transaction.
pub(crate) fn index_client(conn: &Connection, client_id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM client_search WHERE rowid = ?1")?
        .execute([client_id])?;
    index_new_client(conn, client_id)
}

/// Write the search entry of a client that has none yet (ids are never reused). Writing over
/// an entry costs a delete of the same rowid first, and FTS5 writes out what it holds in
/// memory whenever a rowid comes again: in a loop over new clients, a segment apiece.
pub(crate) fn index_new_client(conn: &Connection, client_id: i64) -> Result<()> {
    let (name, phone, id_number): (String, Option<String>, Option<String>) = conn
        .prepare_cached("SELECT name, phone, id_number FROM clients WHERE id = ?1")?
        .query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut key = Grams::default();
    key.push_name(&name);
    if let Some(p) = &phone {
        key.push_phone(p);
    }
    let mut family = conn.prepare_cached(
        "SELECT phone FROM family_members WHERE client_id = ?1 AND phone IS NOT NULL",
    )?;
    for p in family.query_map([client_id], |r| r.get::<_, String>(0))? {
        key.push_phone(&p?);
    }
    if let Some(n) = &id_number {
        key.push_id(n);
    }
    let mut body = Grams::default();
    body.push_text(&profile_text(conn, client_id)?);
    conn.prepare_cached(
        "INSERT INTO client_search (rowid, key_bi, key_uni, body_bi, body_uni) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![client_id, key.bi, key.uni, body.bi, body.uni])?;
    Ok(())
}

/// One of the two search tables.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Table {
    /// Clients' entries: name, phones, profile.
    Clients,
    /// Contacts' entries: the note, its follow-ups, the client's name.
    Contacts,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Clients => "client_search",
            Table::Contacts => "contact_search",
        }
    }
}

/// FTS5's own settings, as a book has them outside [`in_bulk`].
const USUAL_SETTINGS: [(&str, i64); 3] =
    [("hashsize", 1 << 20), ("automerge", 4), ("crisismerge", 16)];

/// Settings for writing a whole table's entries at once. The segments are not merged as they
/// come (four at a time, level on level, rewrote every entry four or five times over a million
/// contacts) but once, at the end; what FTS5 holds in memory is written out every 2 MiB. On
/// the 100k-client / 1M-contact demo the contacts' entries took 97 s with the usual settings
/// and 73 s so; a bigger buffer is slower (4 MiB: 79 s, 64 MiB: slower still), as its hash
/// no longer stays in the processor's cache.
const BULK_SETTINGS: [(&str, i64); 3] = [
    ("hashsize", 2 << 20),
    ("automerge", 0),
    ("crisismerge", 1000),
];

/// Run `write`, which writes many new entries of `table` in the order of their rowids, with
/// [`BULK_SETTINGS`]; then merge the table's segments into one and put its usual settings back.
pub(crate) fn in_bulk<T>(
    conn: &Connection,
    table: Table,
    write: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let name = table.name();
    let set = |settings: [(&str, i64); 3]| -> Result<()> {
        for (key, value) in settings {
            conn.execute(
                &format!("INSERT INTO {name} ({name}, rank) VALUES ('{key}', {value})"),
                [],
            )?;
        }
        Ok(())
    };
    set(BULK_SETTINGS)?;
    let written = write();
    let merged = written.and_then(|w| {
        conn.execute(
            &format!("INSERT INTO {name} ({name}) VALUES ('optimize')"),
            [],
        )?;
        Ok(w)
    });
    // Put back even after a failure: the caller's transaction may yet be committed.
    set(USUAL_SETTINGS)?;
    merged
}

/// The index version of the last build that indexed the book; 1 before versions were kept.
fn stored_version(conn: &Connection) -> Result<i64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'search_index_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(1))
}

fn store_version(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('search_index_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [INDEX_VERSION.to_string()],
    )?;
    Ok(())
}

/// What a rebuild of the index went through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rebuilt {
    /// Client entries written.
    pub clients: u32,
    /// Contact entries written.
    pub contacts: u32,
}

/// Write every client's entry afresh, and every contact's when `contacts`, inside the
/// caller's transaction; the book is then at [`INDEX_VERSION`].
fn rebuild_in(conn: &Connection, contacts: bool) -> Result<Rebuilt> {
    let mut done = Rebuilt::default();
    conn.execute(
        "INSERT INTO client_search (client_search) VALUES ('delete-all')",
        [],
    )?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM clients ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    done.clients = in_bulk(conn, Table::Clients, || {
        ids.iter().try_for_each(|id| index_new_client(conn, *id))?;
        Ok(ids.len() as u32)
    })?;
    if contacts {
        conn.execute(
            "INSERT INTO contact_search (contact_search) VALUES ('delete-all')",
            [],
        )?;
        done.contacts = in_bulk(conn, Table::Contacts, || index_every_contact(conn))?;
    }
    store_version(conn)?;
    Ok(done)
}

/// Rebuild the whole search index from the records, in one write: what `rapport check
/// --rebuild-search` does when the check finds the index wrong.
pub fn rebuild(book: &mut Book) -> Result<Rebuilt> {
    book.write(|tx| rebuild_in(tx, true))
}

/// The version in which contact entries last changed: a book indexed before it has its
/// contacts re-indexed too (client entries are re-indexed on every version).
const CONTACTS_CHANGED_IN: i64 = 3;

/// Bring a book indexed by an older build up to [`INDEX_VERSION`], once, as it is opened. The
/// version is read again inside the write, so two programs opening the book at once do the
/// work once.
pub(crate) fn keep_current(book: &mut Book) -> Result<()> {
    if stored_version(book.conn())? >= INDEX_VERSION {
        return Ok(());
    }
    book.write(|tx| {
        let stored = stored_version(tx)?;
        if stored >= INDEX_VERSION {
            return Ok(());
        }
        let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM clients)", [], |r| {
            r.get(0)
        })?;
        if empty {
            store_version(tx)
        } else {
            rebuild_in(tx, stored < CONTACTS_CHANGED_IN).map(|_| ())
        }
    })
}

/// How the search index stands against the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IndexHealth {
    /// The version the book was indexed with; this build writes [`INDEX_VERSION`].
    #[ts(type = "number")]
    pub version: i64,
    /// Clients with no entry.
    pub clients_missing: u32,
    /// Entries of clients that are gone.
    pub clients_stray: u32,
    /// Contacts with no entry.
    pub contacts_missing: u32,
    /// Entries of contacts that are gone.
    pub contacts_stray: u32,
    /// FTS5's own check of each index's structure: `ok`, or what it found.
    pub structure: String,
}

impl IndexHealth {
    /// Nothing wrong.
    pub fn ok(&self) -> bool {
        self.version == INDEX_VERSION
            && self.clients_missing == 0
            && self.clients_stray == 0
            && self.contacts_missing == 0
            && self.contacts_stray == 0
            && self.structure == "ok"
    }
}

/// Check the search index against the records: every client and contact has an entry, no
/// entry outlives its record, the version is this build's, and each index's structure is
/// sound. Runs FTS5's integrity check, so it needs a writable connection.
pub fn check(conn: &Connection) -> Result<IndexHealth> {
    let count = |sql: &str| -> Result<u32> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let mut structure = Vec::new();
    for table in ["client_search", "contact_search"] {
        if let Err(e) = conn.execute(
            &format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')"),
            [],
        ) {
            structure.push(format!("{table}: {e}"));
        }
    }
    Ok(IndexHealth {
        version: stored_version(conn)?,
        clients_missing: count(
            "SELECT count(*) FROM clients WHERE id NOT IN (SELECT rowid FROM client_search)",
        )?,
        clients_stray: count(
            "SELECT count(*) FROM client_search WHERE rowid NOT IN (SELECT id FROM clients)",
        )?,
        contacts_missing: count(&format!(
            "SELECT count(*) FROM contacts k WHERE {CONTACT_KEY} NOT IN (SELECT rowid FROM contact_search)"
        ))?,
        contacts_stray: count(&format!(
            "SELECT count(*) FROM contact_search WHERE rowid NOT IN (SELECT {CONTACT_KEY} FROM contacts k)"
        ))?,
        structure: if structure.is_empty() {
            "ok".into()
        } else {
            structure.join("; ")
        },
    })
}

/// Rebuild a contact's search entry: summary, needs, resolution and its follow-ups, plus the
/// client's name and phone for searches of several words. The contact's date is as it was.
pub(crate) fn index_contact(conn: &Connection, contact_id: i64) -> Result<()> {
    let key = contact_key(conn, contact_id)?;
    index_moved_contact(conn, contact_id, key)
}

/// Rebuild the search entry of a contact whose date may have changed: `was` is the key
/// [`contact_key`] gave before the change.
pub(crate) fn index_moved_contact(conn: &Connection, contact_id: i64, was: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_search WHERE rowid = ?1")?
        .execute([was])?;
    index_new_contact(conn, contact_id)
}

/// The text of a contact's entry and its key, for the contact `k` joined to its client `c`.
fn contact_entry_sql(filter: &str) -> String {
    format!(
        "SELECT {CONTACT_KEY}, k.summary, coalesce(k.needs, ''), coalesce(k.resolution, ''),
                coalesce((SELECT group_concat(title, ' ') FROM follow_ups WHERE contact_id = k.id), ''),
                c.name, c.phone
         FROM contacts k JOIN clients c ON c.id = k.client_id {filter}"
    )
}

/// A contact's search entry, made from its texts without the book: the demo makes a million
/// of them on a thread of their own while the book takes its rows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ContactEntry {
    text: Grams,
    who: Grams,
}

impl ContactEntry {
    /// The entry of a contact whose summary, needs, resolution and follow-up titles are
    /// `texts`, of the client named `name` with phone `phone`.
    pub(crate) fn of<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        name: &str,
        phone: Option<&str>,
    ) -> ContactEntry {
        let mut text = Grams::default();
        for t in texts {
            text.push_text(t);
        }
        let mut who = Grams::default();
        who.push_name(name);
        if let Some(p) = phone {
            who.push_phone(p);
        }
        ContactEntry { text, who }
    }

    /// Write it under the search key `key` (see [`contact_key`]).
    fn write_keyed(&self, conn: &Connection, key: i64) -> Result<()> {
        conn.prepare_cached(
            "INSERT INTO contact_search (rowid, bi, uni, who_bi, who_uni) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            key,
            self.text.bi,
            self.text.uni,
            self.who.bi,
            self.who.uni
        ])?;
        Ok(())
    }

    /// Write it as the entry of the stored contact `contact_id`, which has none yet.
    pub(crate) fn write(&self, conn: &Connection, contact_id: i64) -> Result<()> {
        self.write_keyed(conn, contact_key(conn, contact_id)?)
    }
}

/// The entry of a row of [`contact_entry_sql`].
fn contact_entry_of_row(r: &rusqlite::Row) -> Result<ContactEntry> {
    let texts = (1..5)
        .map(|i| r.get::<_, String>(i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let name: String = r.get(5)?;
    let phone: Option<String> = r.get(6)?;
    Ok(ContactEntry::of(
        texts.iter().map(String::as_str),
        &name,
        phone.as_deref(),
    ))
}

/// Write one contact's entry from a row of [`contact_entry_sql`].
fn write_contact_entry(conn: &Connection, r: &rusqlite::Row) -> Result<()> {
    contact_entry_of_row(r)?.write_keyed(conn, r.get(0)?)
}

/// The entry the book would write for the stored contact `contact_id`, from its records.
#[cfg(test)]
pub(crate) fn entry_from_records(conn: &Connection, contact_id: i64) -> Result<ContactEntry> {
    conn.query_row(&contact_entry_sql("WHERE k.id = ?1"), [contact_id], |r| {
        Ok(contact_entry_of_row(r))
    })?
}

/// Write the search entry of a contact that has none yet. A delete in an FTS5 table leaves a
/// tombstone whether or not the row was there, which every later merge reads: a new contact
/// skips it.
pub(crate) fn index_new_contact(conn: &Connection, contact_id: i64) -> Result<()> {
    // Written once: the demo indexes a million contacts through here.
    static SQL: LazyLock<String> = LazyLock::new(|| contact_entry_sql("WHERE k.id = ?1"));
    let mut stmt = conn.prepare_cached(&SQL)?;
    let mut rows = stmt.query([contact_id])?;
    match rows.next()? {
        Some(r) => write_contact_entry(conn, r),
        None => Err(rusqlite::Error::QueryReturnedNoRows.into()),
    }
}

/// Write the entry of every contact of the book, none of which has one yet, in the order of
/// their keys: FTS5 writes its pending entries out each time a rowid comes lower than the last
/// one, so entries written out of order would make a segment apiece. Returns how many.
pub(crate) fn index_every_contact(conn: &Connection) -> Result<u32> {
    // The contacts' date index walks them in key order: `at` is kept to the minute.
    let mut stmt = conn.prepare(&contact_entry_sql("ORDER BY k.at, k.id"))?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        write_contact_entry(conn, r)?;
        n += 1;
    }
    Ok(n)
}

/// Rebuild the search entries of every contact of a client (after the client is renamed or
/// their phone changes).
pub(crate) fn index_contacts_of(conn: &Connection, client_id: i64) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM contacts WHERE client_id = ?1")?
        .query_map([client_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        index_contact(conn, id)?;
    }
    Ok(())
}

/// Drop a contact's search entry (before the contact is deleted).
pub(crate) fn unindex_contact(conn: &Connection, contact_id: i64) -> Result<()> {
    let key = contact_key(conn, contact_id)?;
    conn.execute("DELETE FROM contact_search WHERE rowid = ?1", [key])?;
    Ok(())
}

/// Drop a client's search entry and those of all their contacts (before the client is deleted).
pub(crate) fn unindex_client(conn: &Connection, client_id: i64) -> Result<()> {
    conn.execute(
        &format!(
            "DELETE FROM contact_search WHERE rowid IN
             (SELECT {CONTACT_KEY} FROM contacts k WHERE k.client_id = ?1)"
        ),
        [client_id],
    )?;
    conn.execute("DELETE FROM client_search WHERE rowid = ?1", [client_id])?;
    Ok(())
}

/// The columns a query searches, in FTS5 column-filter syntax: one column (`key_bi`) or a set
/// (`{bi who_bi}`), for bigram runs and for single characters.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    /// Where bigram phrases and words are looked for.
    pub bi: &'a str,
    /// Where single characters are looked for.
    pub uni: &'a str,
}

/// Turn what the advisor typed into an FTS5 expression over `cols` (every run must match),
/// or `None` when there is nothing searchable in it.
pub fn fts_query(query: &str, cols: Columns) -> Option<String> {
    let Columns { bi, uni } = cols;
    let mut parts = Vec::new();
    for run in runs(query) {
        match run {
            Run::Cjk(chars) if chars.len() == 1 => {
                parts.push(format!("{uni} : \"{}\"", chars[0]));
            }
            Run::Cjk(chars) => {
                let phrase: Vec<String> = chars
                    .windows(2)
                    .map(|p| p.iter().collect::<String>())
                    .collect();
                parts.push(format!("{bi} : \"{}\"", phrase.join(" ")));
            }
            Run::Word(w) => parts.push(format!("{bi} : \"{w}\" *")),
        }
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// A piece of a snippet; `hit` pieces are what matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Span {
    /// The text of this piece.
    pub text: String,
    /// Whether this piece matched the query (shown highlighted).
    pub hit: bool,
}

/// Split `text` into spans marking every place a search term occurs, cut to about `width`
/// characters around the first hit (with … where cut).
pub fn highlight(text: &str, query: &str, width: usize) -> Vec<Span> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let terms: Vec<Vec<char>> = runs(query)
        .into_iter()
        .map(|r| match r {
            Run::Cjk(c) => c,
            Run::Word(w) => w.chars().collect(),
        })
        .collect();
    let mut marked = vec![false; chars.len()];
    for term in &terms {
        if term.is_empty() || term.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - term.len() {
            if folded[start..start + term.len()] == term[..] {
                marked[start..start + term.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    let (from, to) = if chars.len() <= width {
        (0, chars.len())
    } else {
        let from = first.saturating_sub(width / 3);
        let to = (from + width).min(chars.len());
        (to.saturating_sub(width), to)
    };
    let mut spans: Vec<Span> = Vec::new();
    if from > 0 {
        spans.push(Span {
            text: "…".into(),
            hit: false,
        });
    }
    for i in from..to {
        let c = if chars[i] == '\n' { ' ' } else { chars[i] };
        match spans.last_mut() {
            Some(last) if last.hit == marked[i] && last.text != "…" => last.text.push(c),
            _ => spans.push(Span {
                text: c.to_string(),
                hit: marked[i],
            }),
        }
    }
    if to < chars.len() {
        spans.push(Span {
            text: "…".into(),
            hit: false,
        });
    }
    spans
}

/// Where a search hit was found, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HitField {
    /// The client's name or its pinyin.
    Name,
    /// The client's phone.
    Phone,
    /// Company, employer, hobbies, notes, family … of the profile.
    Profile,
    /// The text of a contact (visit note, needs, follow-ups).
    Contact,
}

/// One client found, with why and where.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    /// The client found.
    #[ts(type = "number")]
    pub client_id: i64,
    /// The client's name.
    pub name: String,
    /// The client's tier, shown beside the name.
    pub tier: Tier,
    /// The last 4 digits of the client's phone, to tell two 王伟 apart.
    pub phone_tail: Option<String>,
    /// Employer, or company for an enterprise (as in the client list), for the same reason.
    pub organisation: Option<String>,
    /// Where the match is.
    pub field: HitField,
    /// The matching text with the hits marked.
    pub snippet: Vec<Span>,
    /// The contact that matched, when `field` is `contact`.
    #[ts(type = "number | null")]
    pub contact_id: Option<i64>,
    /// When that contact happened.
    pub contact_at: Option<String>,
}

/// Hits gathered so far: one per client, at most `limit`, in the order the passes find them.
struct Found<'q> {
    query: &'q str,
    limit: usize,
    hits: Vec<SearchHit>,
    seen: std::collections::HashSet<i64>,
}

impl Found<'_> {
    fn full(&self) -> bool {
        self.hits.len() >= self.limit
    }

    /// Keep a hit unless its client was found already or the page is full.
    fn add(&mut self, hit: SearchHit) {
        if !self.full() && self.seen.insert(hit.client_id) {
            self.hits.push(hit);
        }
    }
}

/// Search the book: clients whose name, pinyin or phone match first, then profile matches (both
/// in name order, or newest first when more than a thousand match), then contact notes newest
/// first by their dates; one hit per client, at most `limit`.
pub fn search(book: &Book, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let conn = book.conn();
    let _together = book.one_read()?;
    let mut found = Found {
        query,
        limit: limit.clamp(1, 500),
        hits: Vec::new(),
        seen: std::collections::HashSet::new(),
    };
    let (key, profile, notes) = passes(query);
    if let Some(q) = fts_query(query, key) {
        name_hits(conn, &q, &mut found)?;
    }
    if let Some(q) = fts_query(query, profile).filter(|_| !found.full()) {
        profile_hits(conn, &q, &mut found)?;
    }
    if let Some(q) = fts_query(query, notes).filter(|_| !found.full()) {
        contact_hits(conn, &q, &mut found)?;
    }
    if !found.full() {
        spread_hits(conn, query, &mut found)?;
    }
    Ok(found.hits)
}

/// The text columns `cols` of a row that are not empty, joined as a snippet shows them.
fn joined(r: &rusqlite::Row, cols: std::ops::Range<usize>) -> rusqlite::Result<String> {
    let mut parts = Vec::new();
    for i in cols {
        if let Some(t) = r.get::<_, Option<String>>(i)?.filter(|t| !t.is_empty()) {
            parts.push(t);
        }
    }
    Ok(parts.join(" · "))
}

/// Notes (newest first) and profiles a search of several words walks at most, looking for
/// clients whose records hold the other words: the bound on the cost of a word found
/// everywhere. Measured on the 100k-client book: 30–240 ms when the page does not fill (three
/// words that no client shares), against 0.5 s at 4,096.
const SPREAD_WALK: i64 = 512;

/// Several words, each in a different record of the same client ("保险 留学": insurance in one
/// note, study abroad in another, or in the profile). Clients are taken from the records that
/// match the rarest word, newest notes first, and kept when every other word is in their
/// profile or in one of their notes.
fn spread_hits(conn: &Connection, query: &str, found: &mut Found) -> Result<()> {
    let profile_cols = Columns {
        bi: "{key_bi body_bi}",
        uni: "{key_uni body_uni}",
    };
    let note_cols = Columns {
        bi: "bi",
        uni: "uni",
    };
    // Each searchable word with its queries and how many records hold it, counted only up to
    // the walk's bound. The rarest leads: a surname beside a common word ("梁 客户") walks the
    // few clients of that name, not the hundreds who heard of 客户 (20–27 ms on a 1,000-client
    // book, when the longer word led).
    let count = |table: &str, fts: &str| -> Result<i64> {
        Ok(conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ?1 LIMIT ?2)"
            ))?
            .query_row(params![fts, SPREAD_WALK + 1], |r| r.get(0))?)
    };
    let mut each = Vec::new();
    for w in query.split_whitespace() {
        let (Some(profile), Some(note)) = (fts_query(w, profile_cols), fts_query(w, note_cols))
        else {
            continue;
        };
        let held = count("contact_search", &note)? + count("client_search", &profile)?;
        each.push((held, std::cmp::Reverse(w.chars().count()), w, profile, note));
    }
    if each.len() < 2 {
        return Ok(());
    }
    each.sort();
    let (_, _, _, first_profile, first_note) = &each[0];
    // Whether a candidate holds every other word somewhere in their records: read from the
    // records themselves (a client's profile and a few dozen notes), folded as the index
    // folds them, instead of one FTS5 query per word and candidate, each of which reads every
    // note matching a common word.
    let rest_words: Vec<String> = each[1..]
        .iter()
        .map(|(_, _, w, _, _)| {
            w.chars()
                .map(fold)
                .filter(|c| c.is_alphanumeric())
                .collect()
        })
        .filter(|w: &String| !w.is_empty())
        .collect();
    // All of a client's records in one statement: the key, the profile fields, family, every
    // follow-up (with a contact or without) and every note.
    let profile = PROFILE_FIELDS
        .iter()
        .map(|f| format!("coalesce(c.{f}, '')"))
        .collect::<Vec<_>>()
        .join(" || ' ' || ");
    let mut records_of = conn.prepare_cached(&format!(
        "SELECT c.name, coalesce(c.phone, '') || ' ' || {profile},
                coalesce((SELECT group_concat(
                              m.name || ' ' || coalesce(m.phone, '') || ' ' || coalesce(m.notes, ''),
                              ' ')
                          FROM family_members m WHERE m.client_id = c.id), ''),
                coalesce((SELECT group_concat(u.title, ' ') FROM follow_ups u
                          WHERE u.client_id = c.id), ''),
                coalesce((SELECT group_concat(
                              k.summary || ' ' || coalesce(k.needs, '') || ' '
                              || coalesce(k.resolution, ''), ' ')
                          FROM contacts k WHERE k.client_id = c.id), '')
         FROM clients c WHERE c.id = ?1"
    ))?;
    let mut has_all = |client_id: i64| -> Result<bool> {
        let text = records_of.query_row([client_id], |r| {
            let name: String = r.get(0)?;
            let (full, initials) = pinyin_keys(&name);
            let mut text = format!("{name} {full} {initials}");
            for i in 1..5 {
                text.push(' ');
                text.push_str(r.get_ref(i)?.as_str().unwrap_or(""));
            }
            Ok(text)
        })?;
        let folded: String = text
            .chars()
            .map(fold)
            .filter(|c| c.is_alphanumeric())
            .collect();
        Ok(rest_words.iter().all(|w| folded.contains(w.as_str())))
    };
    // The candidates: notes matching the first word, newest first, then profiles.
    let notes: Vec<(i64, i64)> = conn
        .prepare_cached(&format!(
            "SELECT k.id, k.client_id FROM contact_search s JOIN contacts k ON k.id = {CONTACT_OF_ENTRY}
             WHERE contact_search MATCH ?1 ORDER BY s.rowid DESC LIMIT ?2"
        ))?
        .query_map(params![first_note, SPREAD_WALK], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut tried = std::collections::HashSet::new();
    let mut keep = Vec::new();
    for (contact_id, client_id) in notes {
        if keep.len() + found.hits.len() >= found.limit {
            break;
        }
        if found.seen.contains(&client_id) || !tried.insert(client_id) {
            continue;
        }
        if has_all(client_id)? {
            keep.push((client_id, Some(contact_id)));
        }
    }
    if keep.len() + found.hits.len() < found.limit {
        let profiles: Vec<i64> = conn
            .prepare_cached(
                "SELECT s.rowid FROM client_search s JOIN clients c ON c.id = s.rowid
                 WHERE client_search MATCH ?1 ORDER BY c.name_sort, c.id LIMIT ?2",
            )?
            .query_map(params![first_profile, SPREAD_WALK], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for client_id in profiles {
            if keep.len() + found.hits.len() >= found.limit {
                break;
            }
            if found.seen.contains(&client_id) || !tried.insert(client_id) {
                continue;
            }
            if has_all(client_id)? {
                keep.push((client_id, None));
            }
        }
    }
    let mut who = conn.prepare_cached(
        "SELECT name, tier, phone, coalesce(employer, company) FROM clients WHERE id = ?1",
    )?;
    let mut note = conn.prepare_cached(
        "SELECT k.at, k.summary, coalesce(k.needs, ''), coalesce(k.resolution, '')
         FROM contacts k WHERE k.id = ?1",
    )?;
    for (client_id, contact_id) in keep {
        let (name, tier, phone, organisation) = who.query_row([client_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Tier>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let (field, snippet, at) = match contact_id {
            Some(k) => {
                let (at, text) =
                    note.query_row([k], |r| Ok((r.get::<_, String>(0)?, joined(r, 1..4)?)))?;
                (
                    HitField::Contact,
                    highlight(&text, found.query, 60),
                    Some(at),
                )
            }
            None => (
                HitField::Profile,
                highlight(&profile_text(conn, client_id)?, found.query, 60),
                None,
            ),
        };
        found.add(SearchHit {
            client_id,
            name,
            tier,
            phone_tail: phone_tail(phone.as_deref()),
            organisation,
            field,
            snippet,
            contact_id,
            contact_at: at,
        });
    }
    Ok(())
}

/// A client whose search entry matched.
struct Matched {
    id: i64,
    name: String,
    tier: Tier,
    phone: Option<String>,
    organisation: Option<String>,
}

/// The last 4 digits of a phone.
fn phone_tail(phone: Option<&str>) -> Option<String> {
    let digits: Vec<char> = phone?.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 4).then(|| digits[digits.len() - 4..].iter().collect())
}

/// The columns of the three passes (name, profile, notes) for a query. One word searches
/// names first, then profiles, then notes. Several words ("张 留学") may each match a different
/// part of the same client: the name in one, a note in another.
fn passes(query: &str) -> (Columns<'static>, Columns<'static>, Columns<'static>) {
    let key = Columns {
        bi: "key_bi",
        uni: "key_uni",
    };
    if runs(query).len() > 1 {
        (
            key,
            Columns {
                bi: "{key_bi body_bi}",
                uni: "{key_uni body_uni}",
            },
            Columns {
                bi: "{bi who_bi}",
                uni: "{uni who_uni}",
            },
        )
    } else {
        (
            key,
            Columns {
                bi: "body_bi",
                uni: "body_uni",
            },
            Columns {
                bi: "bi",
                uni: "uni",
            },
        )
    }
}

/// Up to how many matching clients a page is in name order. Ordering by name reads every
/// match's name: from the small index of names by id that is 2–3 ms for a thousand matches on
/// a cold cache. Past that, the page is the newest clients that match, which FTS5 finds by
/// walking its own rowids down without reading the rest: a word in a third of the profiles
/// costs what a rare one does, and the advisor narrows it by typing more.
const NAME_ORDER_UP_TO: u32 = 1_000;

/// Clients whose `client_search` entry matches: in name order when they are a few, the newest
/// first when they are many.
fn matching_clients(conn: &Connection, fts: &str, n: usize) -> Result<Vec<Matched>> {
    matching_clients_in_name_order_up_to(conn, fts, n, NAME_ORDER_UP_TO)
}

/// [`matching_clients`], in name order up to `up_to` matches.
fn matching_clients_in_name_order_up_to(
    conn: &Connection,
    fts: &str,
    n: usize,
    up_to: u32,
) -> Result<Vec<Matched>> {
    // Counted only as far as the bound: a whole count reads a common word's every entry
    // (1.5 ms for a character in a third of the profiles, against 0.1 ms).
    let count: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM client_search WHERE client_search MATCH ?1
             LIMIT ?2)",
        )?
        .query_row(params![fts, i64::from(up_to) + 1], |r| r.get(0))?;
    // Nothing matched: the words are not asked for twice. Several words that no one record
    // holds together are the usual case, and each asking reads their entries to the end.
    if count == 0 {
        return Ok(Vec::new());
    }
    let ids_sql = if count <= i64::from(up_to) {
        "SELECT c.id FROM client_search s
         JOIN clients c INDEXED BY clients_name_of_id ON c.id = s.rowid
         WHERE client_search MATCH ?1 ORDER BY c.name_sort, c.id LIMIT ?2"
    } else {
        "SELECT rowid FROM client_search WHERE client_search MATCH ?1
         ORDER BY rowid DESC LIMIT ?2"
    };
    let ids: Vec<i64> = conn
        .prepare_cached(ids_sql)?
        .query_map(params![fts, n as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut detail = conn.prepare_cached(
        "SELECT name, tier, phone, coalesce(employer, company) FROM clients WHERE id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(detail.query_row([id], |r| {
            Ok(Matched {
                id,
                name: r.get(0)?,
                tier: r.get(1)?,
                phone: r.get(2)?,
                organisation: r.get(3)?,
            })
        })?);
    }
    Ok(out)
}

fn name_hits(conn: &Connection, fts: &str, found: &mut Found) -> Result<()> {
    for Matched {
        id,
        name,
        tier,
        phone,
        organisation,
    } in matching_clients(conn, fts, found.limit)?
    {
        let name_spans = highlight(&name, found.query, 40);
        let by_name = name_spans.iter().any(|s| s.hit) || by_pinyin(&name, found.query);
        let (field, snippet) = match &phone {
            Some(p) if !by_name && digits_match(p, found.query) => {
                (HitField::Phone, highlight(p, found.query, 40))
            }
            // Found by a family member's phone or the ID number: show where, in the profile.
            _ if !by_name && found.query.chars().any(|c| c.is_ascii_alphanumeric()) => {
                let spans = highlight(&profile_text(conn, id)?, found.query, 60);
                if spans.iter().any(|s| s.hit) {
                    (HitField::Profile, spans)
                } else {
                    (HitField::Name, name_spans)
                }
            }
            _ => (HitField::Name, name_spans),
        };
        found.add(SearchHit {
            client_id: id,
            name,
            tier,
            phone_tail: phone_tail(phone.as_deref()),
            organisation,
            field,
            snippet,
            contact_id: None,
            contact_at: None,
        });
    }
    Ok(())
}

/// Whether the query is the start of the name's pinyin, whole (zhangwei) or initials (zw), as
/// the index matched it: then the name is what was found, and no profile is read to say so.
fn by_pinyin(name: &str, query: &str) -> bool {
    let q: String = query
        .chars()
        .map(fold)
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if q.is_empty() || q.len() != query.chars().filter(|c| !c.is_whitespace()).count() {
        return false;
    }
    let (full, initials) = pinyin_keys(name);
    full.starts_with(&q) || initials.starts_with(&q)
}

fn digits_match(phone: &str, query: &str) -> bool {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let q: String = query.chars().filter(char::is_ascii_digit).collect();
    !q.is_empty() && digits.contains(&q)
}

fn profile_hits(conn: &Connection, fts: &str, found: &mut Found) -> Result<()> {
    // Clients already found by name come back here too: ask for enough to fill the page.
    for Matched {
        id,
        name,
        tier,
        phone,
        organisation,
    } in matching_clients(conn, fts, found.limit + found.seen.len())?
    {
        if found.full() {
            break;
        }
        if found.seen.contains(&id) {
            continue;
        }
        let text = profile_text(conn, id)?;
        let snippet = highlight(&text, found.query, 60);
        found.add(SearchHit {
            client_id: id,
            name,
            tier,
            phone_tail: phone_tail(phone.as_deref()),
            organisation,
            field: HitField::Profile,
            snippet,
            contact_id: None,
            contact_at: None,
        });
    }
    Ok(())
}

fn contact_hits(conn: &Connection, fts: &str, found: &mut Found) -> Result<()> {
    // Newest first by walking rowids down: entries are keyed by the contacts' dates, and the
    // FTS index can stop early without scoring every match. One hit per client, so keep
    // walking in chunks until the page is full or the matches run out. The first chunk is
    // twice the hits still wanted: on the 100k-client book 64 notes of two common words came
    // from 59–63 clients, and reading 256 cost four to five times as much. A client with many
    // matching notes makes the chunks grow, four times each.
    let mut chunk_size = ((found.limit - found.hits.len()) * 2).clamp(16, 256) as i64;
    let first = found.hits.len();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.rowid, k.id, k.client_id FROM contact_search s
         JOIN contacts k ON k.id = {CONTACT_OF_ENTRY}
         WHERE contact_search MATCH ?1 AND s.rowid < ?2 ORDER BY s.rowid DESC LIMIT ?3"
    ))?;
    let mut detail = conn.prepare_cached(
        "SELECT c.name, c.tier, k.at, k.summary, k.needs, k.resolution,
                (SELECT group_concat(title, '；') FROM follow_ups f WHERE f.contact_id = k.id),
                c.phone, coalesce(c.employer, c.company)
         FROM contacts k JOIN clients c ON c.id = k.client_id WHERE k.id = ?1",
    )?;
    let mut below = i64::MAX;
    while !found.full() {
        let chunk: Vec<(i64, i64, i64)> = stmt
            .query_map(params![fts, below, chunk_size], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for &(_, contact_id, client_id) in &chunk {
            if found.full() || found.seen.contains(&client_id) {
                continue;
            }
            let (name, tier, at, text, phone, organisation) =
                detail.query_row([contact_id], |r| {
                    let text = joined(r, 3..7)?;
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Tier>(1)?,
                        r.get::<_, String>(2)?,
                        text,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                })?;
            let snippet = highlight(&text, found.query, 60);
            found.add(SearchHit {
                client_id,
                name,
                tier,
                phone_tail: phone_tail(phone.as_deref()),
                organisation,
                field: HitField::Contact,
                snippet,
                contact_id: Some(contact_id),
                contact_at: Some(at),
            });
        }
        match chunk.last() {
            Some(&(last, _, _)) if chunk.len() as i64 == chunk_size => {
                below = last;
                chunk_size = (chunk_size * 4).min(4096);
            }
            _ => break,
        }
    }
    found.hits[first..].sort_by(|a, b| b.contact_at.cmp(&a.contact_at));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_matches_come_in_name_order_and_many_newest_first() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for i in 0..60 {
            let input = crate::clients::ClientInput {
                name: format!("{}{}", ["张", "李", "王", "赵"][i % 4], i),
                notes: (i % 3 != 0).then(|| "公司在苏州".to_string()),
                ..Default::default()
            };
            crate::clients::create(&mut book, &input, today).unwrap();
        }
        let conn = book.conn();
        let sorts: Vec<i64> = conn
            .prepare("SELECT id FROM clients ORDER BY name_sort, id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for fts in ["body_uni : \"公\"", "key_uni : \"张\"", "key_bi : \"zh\" *"] {
            let ids = |up_to| -> Vec<i64> {
                matching_clients_in_name_order_up_to(conn, fts, 10, up_to)
                    .unwrap()
                    .into_iter()
                    .map(|m| m.id)
                    .collect()
            };
            let (by_name, newest) = (ids(u32::MAX), ids(0));
            assert_eq!(by_name.len(), 10, "{fts}");
            let mut in_name_order = by_name.clone();
            in_name_order.sort_by_key(|id| sorts.iter().position(|s| s == id));
            assert_eq!(by_name, in_name_order, "{fts}");
            assert!(newest.windows(2).all(|w| w[0] > w[1]), "{fts}: {newest:?}");
            assert_ne!(by_name, newest, "{fts}");
        }
        // The name order reads the names by id, not the clients' rows, nor sorts by a scan.
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT c.id FROM client_search s
                 JOIN clients c INDEXED BY clients_name_of_id ON c.id = s.rowid
                 WHERE client_search MATCH 'x' ORDER BY c.name_sort, c.id LIMIT 50",
            )
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p: &String| p.contains("COVERING INDEX clients_name_of_id")),
            "{plan:?}"
        );
        // A profile's follow-ups without a contact are read from their own index, not by
        // walking every follow-up without a contact in the book.
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT title FROM follow_ups
                 WHERE client_id = 1 AND contact_id IS NULL ORDER BY id",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("follow_ups_without_contact"), "{plan}");
    }

    /// A new book holding clients of these names, with their ids; today is 2026-12-01.
    fn book_of(names: &[&str]) -> (tempfile::TempDir, Book, Vec<i64>) {
        let dir = tempfile::TempDir::new().unwrap();
        let mut book = Book::open(&dir.path().join("book.rapport")).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let ids = names
            .iter()
            .map(|name| {
                let input = crate::clients::ClientInput {
                    name: name.to_string(),
                    ..Default::default()
                };
                crate::clients::create(&mut book, &input, today).unwrap().id
            })
            .collect();
        (dir, book, ids)
    }

    /// Phone calls logged for `client`, one `days_ago` each, noting `summary`.
    fn log_calls(book: &mut Book, client: i64, days_ago: impl Iterator<Item = i64>, summary: &str) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let now = today.and_hms_opt(18, 0, 0).unwrap();
        book.write(|tx| {
            for d in days_ago {
                let on = today - chrono::Duration::days(d);
                crate::contacts::log_call(tx, client, summary.to_string(), on, now)?;
            }
            Ok(())
        })
        .unwrap();
    }

    /// Notes are walked in chunks that start small: a client whose many notes match must not
    /// hide the clients behind them, however many chunks that takes.
    #[test]
    fn notes_of_one_busy_client_do_not_hide_the_others() {
        let (_dir, mut book, ids) = book_of(&["周强", "吴敏", "郑洁"]);
        // The two quiet clients talked of 理财 long ago; the busy one on each of 300 days since.
        log_calls(&mut book, ids[1], [400].into_iter(), "聊了理财续作");
        log_calls(&mut book, ids[2], [401].into_iter(), "聊了理财续作");
        log_calls(&mut book, ids[0], 0..300, "又问理财收益");
        let hits = search(&book, "理财", 3).unwrap();
        let found: Vec<i64> = hits.iter().map(|h| h.client_id).collect();
        assert_eq!(found, ids, "{hits:?}");
        assert!(hits.iter().all(|h| h.field == HitField::Contact));
    }

    /// Two words in different records of one client are looked for from the rarer word: a
    /// common word's newer notes, more than the walk reads, must not hide the client.
    #[test]
    fn words_in_different_records_are_found_from_the_rarer_word() {
        let (_dir, mut book, ids) = book_of(&["韩梅", "钱进"]);
        let (sought, busy) = (ids[0], ids[1]);
        log_calls(&mut book, sought, [900].into_iter(), "孩子准备出国读书");
        log_calls(&mut book, sought, [800].into_iter(), "了解了保险");
        // More newer notes of the common word than the walk reads.
        log_calls(
            &mut book,
            busy,
            (0..SPREAD_WALK + 20).map(|d| d % 700),
            "又聊保险",
        );
        let hits = search(&book, "保险 出国", 10).unwrap();
        let found: Vec<i64> = hits.iter().map(|h| h.client_id).collect();
        assert_eq!(found, vec![sought], "{hits:?}");
    }

    #[test]
    fn grams_split_chinese_into_bigrams_and_characters() {
        let mut g = Grams::default();
        g.push_text("孩子留学");
        assert_eq!(g.bi, "孩子 子留 留学 ǁ");
        assert_eq!(g.uni, "孩 子 留 学");
    }

    #[test]
    fn queries_use_the_same_split() {
        let plain = Columns {
            bi: "bi",
            uni: "uni",
        };
        assert_eq!(fts_query("留学", plain).unwrap(), "bi : \"留学\"");
        let key = Columns {
            bi: "key_bi",
            uni: "key_uni",
        };
        assert_eq!(fts_query("张伟华", key).unwrap(), "key_bi : \"张伟 伟华\"");
        assert_eq!(fts_query("孩", plain).unwrap(), "uni : \"孩\"");
        assert_eq!(fts_query("ZWH", plain).unwrap(), "bi : \"zwh\" *");
        assert_eq!(fts_query(" ,;\" ", plain), None);
        let both = Columns {
            bi: "{bi who_bi}",
            uni: "{uni who_uni}",
        };
        assert_eq!(
            fts_query("张 留学", both).unwrap(),
            "{uni who_uni} : \"张\" AND {bi who_bi} : \"留学\""
        );
    }

    #[test]
    fn one_word_never_reaches_a_note_through_the_name_but_several_do() {
        let (_, profile, notes) = passes("王");
        assert_eq!((profile.bi, notes.bi, notes.uni), ("body_bi", "bi", "uni"));
        let (_, profile, notes) = passes("王 加拿大");
        assert_eq!(profile.uni, "{key_uni body_uni}");
        assert_eq!((notes.bi, notes.uni), ("{bi who_bi}", "{uni who_uni}"));
        // One run of Chinese is one word, however long.
        assert_eq!(passes("王大锤加拿大").2.bi, "bi");
    }

    #[test]
    fn pinyin_initials_and_surname_readings() {
        assert_eq!(pinyin_keys("张伟华"), ("zhangweihua".into(), "zwh".into()));
        assert_eq!(pinyin_keys("曾国藩").1, "zgf");
        assert_eq!(pinyin_keys("单田芳").0, "shantianfang");
    }

    #[test]
    fn highlight_marks_every_occurrence() {
        let spans = highlight("女儿想去英国留学，留学预算", "留学", 100);
        let hits: Vec<&str> = spans
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(hits, vec!["留学", "留学"]);
    }
}
