//! Contact search: what the merchant types finds contacts by the start of a word of their
//! names or e-mail (accents and case ignored: `kone` finds `Koné`) or by digits of their number
//! written any way (`12 34 56`, `+225 07 07 12 34 56`, `707123456`).
//!
//! Each contact's search terms (its folded words, its number with the country prefix and every
//! tail of its national number, so that digits found anywhere in it are the start of a term)
//! are kept in `contacts_search`, an FTS5 table holding only the index. A search is a prefix
//! query per word typed, all of them required.
//!
//! The index is filled after an import has committed, not by each insert: indexing costs about
//! ten times what storing a contact does, and an import stores 100,000 contacts in about a
//! second. `contacts_search_state.indexed_upto` says up to which contact id the index is filled;
//! ids only grow (the delete trigger lowers the mark if the newest contact goes, so a reused id
//! is never below it), and a search reads the contacts above the mark directly, in the same
//! snapshot as the index, so its result is the same whether the index has caught up or not.
//! Edits and deletes of indexed contacts change the index in their own transaction (triggers),
//! whoever makes them: the merchant, an import refreshing names, an account removed.

use crate::Result;
use guichet_types::text::folded;
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, TransactionBehavior};

pub const MIGRATION_10: &str = "
CREATE VIRTUAL TABLE contacts_search USING fts5 (
    terms, content = '', contentless_delete = 1, detail = 'none', tokenize = 'ascii',
    prefix = '1 2 3'
);
CREATE TABLE contacts_search_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL
);
INSERT INTO contacts_search_state (id, indexed_upto) VALUES (1, 0);
CREATE TRIGGER contacts_search_forget AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_search WHERE rowid = old.id;
    UPDATE contacts_search_state
       SET indexed_upto = min(indexed_upto, (SELECT coalesce(max(id), 0) FROM contacts));
END;
CREATE TRIGGER contacts_search_edit AFTER UPDATE OF name, surname, email, prefix, phone ON contacts
WHEN old.id <= (SELECT indexed_upto FROM contacts_search_state) BEGIN
    DELETE FROM contacts_search WHERE rowid = old.id;
    INSERT INTO contacts_search (rowid, terms)
    VALUES (new.id, guichet_contact_terms(new.name, new.surname, new.email, new.prefix, new.phone));
END;
";

/// The index keeps the prefixes of every term up to this many characters, so a word typed is
/// looked up by at most its first six: FTS5 answers a longer prefix by gathering the list of
/// every term it starts first (150–400 ms for a word all of a million contacts share, where a
/// kept prefix is read lazily in about 3 ms). Longer words are then checked whole on each
/// contact found.
pub const INDEXED_PREFIX: usize = 6;

pub const MIGRATION_11: &str = "
DROP TABLE contacts_search;
CREATE VIRTUAL TABLE contacts_search USING fts5 (
    terms, content = '', contentless_delete = 1, detail = 'none', tokenize = 'ascii',
    prefix = '1 2 3 4 5 6'
);
UPDATE contacts_search_state SET indexed_upto = 0;
";

/// Registers the SQL functions the search triggers and queries call. Every connection that
/// writes contacts needs them (`Store::open` does it before migrating).
pub fn register(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("guichet_contact_terms", 5, flags, |ctx| {
        Ok(terms(
            &ctx.get::<String>(0)?,
            &ctx.get::<String>(1)?,
            &ctx.get::<String>(2)?,
            &ctx.get::<String>(3)?,
            &ctx.get::<String>(4)?,
        ))
    })?;
    // (name, surname, email, prefix, phone, the query's words joined by spaces)
    conn.create_scalar_function("guichet_contact_matches", 6, flags, |ctx| {
        let terms = terms(
            &ctx.get::<String>(0)?,
            &ctx.get::<String>(1)?,
            &ctx.get::<String>(2)?,
            &ctx.get::<String>(3)?,
            &ctx.get::<String>(4)?,
        );
        let words = ctx.get::<String>(5)?;
        Ok(matches(&terms, words.split(' ')))
    })?;
    Ok(())
}

/// Appends the words of `text`, folded, each followed by a space. A word is a run of letters
/// and digits: exactly what FTS5's `ascii` tokenizer reads back from the folded text (it splits
/// on ASCII characters other than letters and digits, and folds only ASCII case, which is
/// already done).
fn push_words(out: &mut String, text: &str) {
    let mut in_word = false;
    for c in text.chars().flat_map(folded) {
        if c.is_alphanumeric() && (!c.is_ascii() || c.is_ascii_alphanumeric()) {
            out.push(c);
            in_word = true;
        } else {
            if in_word {
                out.push(' ');
            }
            in_word = false;
        }
    }
    if in_word {
        out.push(' ');
    }
}

/// A contact's search terms, separated by spaces: the words of its names and e-mail, its number
/// with the country prefix (`2250707123456`) and every tail of the national number (`0707123456`,
/// `707123456`, … `6`), so digits found anywhere in the number start a term.
pub fn terms(name: &str, surname: &str, email: &str, prefix: &str, phone: &str) -> String {
    let mut out = String::with_capacity(name.len() + surname.len() + email.len() + 80);
    push_words(&mut out, name);
    push_words(&mut out, surname);
    push_words(&mut out, email);
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (prefix, phone) = (digits(prefix), digits(phone));
    out.push_str(&prefix);
    out.push_str(&phone);
    for i in 0..phone.len() {
        out.push(' ');
        out.push_str(&phone[i..]);
    }
    out
}

/// Whether every word starts one of the terms.
fn matches<'a>(terms: &str, mut words: impl Iterator<Item = &'a str>) -> bool {
    words.all(|w| w.is_empty() || terms.split(' ').any(|t| t.starts_with(w)))
}

/// The words a search looks for, at most eight. Digits typed with nothing else are one number
/// however they are written (`07 07 12 34 56`, `+225.07…`); `00225` and `00237` are read as
/// the country codes they dial.
pub fn query_words(query: &str) -> Vec<String> {
    const MAX_WORDS: usize = 8;
    if !query.chars().any(char::is_alphabetic) {
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let digits = match digits.strip_prefix("00") {
            Some(d) if d.starts_with("225") || d.starts_with("237") => d,
            _ => &digits,
        };
        return if digits.is_empty() {
            Vec::new()
        } else {
            vec![digits.to_string()]
        };
    }
    let mut folded = String::new();
    push_words(&mut folded, query);
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_string)
        .collect()
}

/// Above this many indexed matches a page is found by walking the name index and checking each
/// contact's words in Rust (a few microseconds each): with that many matches at a million
/// contacts, one in fifty matches and a page of 100 fills within about 5,000 contacts. Below it,
/// the matches are read by id from the index and sorted (about a microsecond each), which is
/// what keeps a rare term fast: walking would read the whole list to find it.
pub const WALK_ABOVE: i64 = 20_000;

/// Where the contacts matching `words` (from [`query_words`], not empty) are read from: `read`
/// gets the table (and how it is to be read), the condition and its named parameters, and
/// reads the page (the contacts module's `read_page`), in the same snapshot as the index.
pub(crate) fn page<T>(
    conn: &Connection,
    one_account: bool,
    words: &[String],
    read: impl FnOnce(&str, &str, Vec<(&str, &dyn rusqlite::ToSql)>) -> Result<T>,
) -> Result<T> {
    // One snapshot: the index and the contacts above its mark are read as of the same moment.
    let tx = conn.unchecked_transaction()?;
    let mut cut = false;
    let fts = words
        .iter()
        .map(|w| match w.char_indices().nth(INDEXED_PREFIX) {
            Some((end, _)) => {
                cut = true;
                format!("\"{}\"*", &w[..end])
            }
            None => format!("\"{w}\"*"),
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let found: i64 = tx
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM contacts_search
                                   WHERE contacts_search MATCH ?1 LIMIT ?2)",
        )?
        .query_row(params![fts, WALK_ABOVE], |r| r.get(0))?;
    let walk = found >= WALK_ABOVE;
    const CHECK: &str = "guichet_contact_matches(name, surname, email, prefix, phone, :words)";
    let (table, matching) = if walk {
        let index = if one_account {
            "contacts_by_account_name"
        } else {
            "contacts_by_name"
        };
        (format!("contacts INDEXED BY {index}"), CHECK.to_string())
    } else {
        // The index found contacts by the start of each word; a word cut to the indexed
        // prefix is checked whole.
        let found = "id IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH :fts)";
        let found = if cut {
            format!("({found} AND {CHECK})")
        } else {
            found.to_string()
        };
        (
            "contacts NOT INDEXED".to_string(),
            format!(
                "({found} OR (id > (SELECT indexed_upto FROM contacts_search_state) AND {CHECK}))"
            ),
        )
    };
    let words = words.join(" ");
    let mut values: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":words", &words)];
    if !walk {
        values.push((":fts", &fts));
    }
    let page = read(&table, &matching, values)?;
    tx.finish()?;
    Ok(page)
}

/// Indexes up to `max` contacts above the mark, in one transaction; returns how many (0 when
/// the index has caught up).
pub fn index_some(conn: &Connection, max: u32) -> Result<usize> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let upto: i64 = tx.query_row("SELECT indexed_upto FROM contacts_search_state", [], |r| {
        r.get(0)
    })?;
    let mut read = tx.prepare_cached(
        "SELECT id, name, surname, email, prefix, phone FROM contacts
         WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let mut insert =
        tx.prepare_cached("INSERT INTO contacts_search (rowid, terms) VALUES (?1, ?2)")?;
    let rows = read
        .query_map(params![upto, max], |r| {
            let text = |i| r.get_ref(i).and_then(|v| Ok(v.as_str()?.to_owned()));
            Ok((
                r.get::<_, i64>(0)?,
                terms(&text(1)?, &text(2)?, &text(3)?, &text(4)?, &text(5)?),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (count, last) = (rows.len(), rows.last().map_or(upto, |r| r.0));
    for (id, t) in &rows {
        insert.execute(params![id, t])?;
    }
    drop((read, insert));
    if count > 0 {
        tx.execute("UPDATE contacts_search_state SET indexed_upto = ?1", [last])?;
    }
    tx.commit()?;
    Ok(count)
}

/// Whether contacts wait to be indexed.
pub fn behind(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(max(id), 0) FROM contacts) >
                (SELECT indexed_upto FROM contacts_search_state)",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_words_and_every_tail_of_the_number() {
        assert_eq!(
            terms(
                "Koné",
                "Aïcha Marie-Œdile",
                "awa.kone@Gmail.com",
                "225",
                "0707123456"
            ),
            "kone aicha marie oedile awa kone gmail com 2250707123456 0707123456 707123456 \
             07123456 7123456 123456 23456 3456 456 56 6"
        );
        assert_eq!(
            terms("N'Guessan", "", "", "237", "690000001")
                .split(' ')
                .take(2)
                .collect::<Vec<_>>(),
            ["n", "guessan"]
        );
    }

    #[test]
    fn what_is_typed_becomes_words_and_numbers_become_one() {
        assert_eq!(query_words("  Koné  awa "), ["kone", "awa"]);
        assert_eq!(query_words("12 34 56"), ["123456"]);
        assert_eq!(query_words("+225 07.07.12-34-56"), ["2250707123456"]);
        assert_eq!(query_words("00225 0707"), ["2250707"]);
        assert_eq!(query_words("0012"), ["0012"]);
        assert_eq!(query_words("kone 0707"), ["kone", "0707"]);
        assert!(query_words(" -. ").is_empty());
        let t = terms("Koné", "Awa", "", "225", "0707123456");
        assert!(matches(&t, ["kon", "aw"].into_iter()));
        assert!(matches(&t, ["123456"].into_iter()));
        assert!(
            !matches(&t, ["one"].into_iter()),
            "a word is found by its start"
        );
        assert!(
            !matches(&t, ["kone", "yao"].into_iter()),
            "every word is needed"
        );
    }
}
