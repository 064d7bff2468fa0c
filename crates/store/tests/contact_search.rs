//! The contact search: by the start of a word of the names or e-mail, accents and case
//! ignored, or by digits of the number however written; the same contacts whether the index has
//! caught up or not; never a stale answer after an edit or a delete.

mod common;
use common::account;
use guichet_store::contact_search;
use guichet_store::contacts::{self, ContactPageRequest, ContactRow, ListFilter, NewContact};
use guichet_store::Store;
use rusqlite::Connection;

fn contact(account_id: i64, phone: &str, name: &str, surname: &str, email: &str) -> NewContact {
    NewContact {
        account_id,
        prefix: "225".into(),
        phone: phone.into(),
        name: name.into(),
        surname: surname.into(),
        email: email.into(),
        operator: None,
    }
}

fn stage(conn: &Connection, c: &NewContact) -> i64 {
    contacts::stage(conn, c, "2026-11-23T00:00:00.000Z").unwrap()
}

/// Every match of `q`, following the pages' cursors (pages of 2, to cross page ends).
fn find_in(conn: &Connection, account_id: Option<i64>, q: &str) -> Vec<i64> {
    let f = ListFilter {
        account_id,
        search: Some(q.into()),
    };
    let mut req = ContactPageRequest::first(2);
    let mut ids = Vec::new();
    loop {
        let page = contacts::page(conn, &f, &req).unwrap();
        ids.extend(page.rows.iter().map(|c| c.id));
        match page.next {
            Some(next) => req.after = Some(next),
            None => return ids,
        }
    }
}

fn find(conn: &Connection, q: &str) -> Vec<i64> {
    find_in(conn, None, q)
}

fn index_all(conn: &Connection) {
    while contact_search::index_some(conn, 1_000).unwrap() > 0 {}
    assert!(!contact_search::behind(conn).unwrap());
}

struct People {
    kone: i64,
    yao: i64,
    traore: i64,
    ebah: i64,
    kouadiane: i64,
}

fn people(conn: &Connection, a: i64) -> People {
    People {
        kone: stage(
            conn,
            &contact(a, "0707123456", "Koné", "Aïcha Marie", "aicha.kone@mail.ci"),
        ),
        yao: stage(conn, &contact(a, "0505998877", "Yao", "Bi Kouadio", "")),
        traore: stage(conn, &contact(a, "0102030405", "TRAORÉ", "Zié", "")),
        // Shares its first six letters with Yao's `Kouadio`: the index finds both by them.
        kouadiane: stage(conn, &contact(a, "0101010101", "Kouadiane", "Awa", "")),
        // The newest.
        ebah: stage(
            conn,
            &contact(a, "0707000012", "Ébah", "Éric", "eric@ebah.ci"),
        ),
    }
}

/// The searches a merchant makes, with what each must find, whatever the index holds.
fn check_searches(conn: &Connection, p: &People) {
    let cases: &[(&str, &[i64])] = &[
        ("kon", &[p.kone]),
        ("Koné", &[p.kone]),
        ("KONE", &[p.kone]),
        ("aïch", &[p.kone]),
        ("aicha kone", &[p.kone]),
        ("marie koné", &[p.kone]),
        ("mail", &[p.kone]),
        ("traore", &[p.traore]),
        ("zie", &[p.traore]),
        ("ebah", &[p.ebah]),
        ("eric", &[p.ebah]),
        ("k", &[p.kone, p.yao, p.kouadiane]),
        ("kouadi", &[p.yao, p.kouadiane]),
        ("kouadio", &[p.yao]),
        ("Kouadiane", &[p.kouadiane]),
        ("kouadianes", &[]),
        ("bi kouadiane", &[]),
        ("12 34 56", &[p.kone]),
        ("123456", &[p.kone]),
        ("+225 07 07 12 34 56", &[p.kone]),
        ("00225 0707123456", &[p.kone]),
        ("707123456", &[p.kone]),
        ("07 07", &[p.kone, p.ebah]),
        ("99.88", &[p.yao]),
        ("0012", &[p.ebah]),
        ("bi kouadio", &[p.yao]),
        ("yao zie", &[]),
        ("one", &[]),
        ("zz", &[]),
        ("4444", &[]),
    ];
    for (q, want) in cases {
        let mut want = want.to_vec();
        let mut got = find(conn, q);
        want.sort();
        got.sort();
        assert_eq!(got, want, "search `{q}`");
    }
    // Nothing typed but spaces or dashes: the whole list.
    assert_eq!(find(conn, " - ").len(), 5);
}

#[test]
fn a_search_finds_the_same_contacts_before_during_and_after_indexing() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let p = people(&conn, a);
    assert!(contact_search::behind(&conn).unwrap());
    check_searches(&conn, &p);
    // Partly indexed: two contacts from the index, three read directly.
    assert_eq!(contact_search::index_some(&conn, 2).unwrap(), 2);
    assert!(contact_search::behind(&conn).unwrap());
    check_searches(&conn, &p);
    index_all(&conn);
    check_searches(&conn, &p);
    // Results come from the index now: prove it by the index alone.
    let indexed: i64 = conn
        .query_row(
            "SELECT count(*) FROM contacts_search WHERE contacts_search MATCH '\"kone\"*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexed, 1);
}

#[test]
fn an_edit_or_a_delete_never_leaves_a_stale_answer() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let b = account(&conn, "B");
    let p = people(&conn, a);
    index_all(&conn);

    // The merchant renames and renumbers a contact.
    contacts::update(&conn, p.yao, &contact(a, "0506111111", "Yapi", "Bi", "")).unwrap();
    assert!(find(&conn, "yao").is_empty(), "the old name is gone");
    assert!(find(&conn, "99 88").is_empty(), "the old number is gone");
    assert_eq!(find(&conn, "yapi"), [p.yao]);
    assert_eq!(find(&conn, "06 11 11 11"), [p.yao]);

    // An import refreshes the names of a contact not yet at the provider.
    stage(&conn, &contact(a, "0102030405", "Traoré", "Fatou", ""));
    assert!(find(&conn, "zie").is_empty());
    assert_eq!(find(&conn, "fatou traore"), [p.traore]);

    // Deleted: not found, and a contact created afterwards under the same id (the newest one
    // was deleted, SQLite reuses its id) is found by its own names only.
    contacts::delete(&conn, p.ebah).unwrap();
    assert!(find(&conn, "ebah").is_empty());
    let newer = stage(&conn, &contact(a, "0707999999", "Diallo", "Awa", ""));
    assert_eq!(newer, p.ebah, "the deleted newest id is reused");
    assert!(find(&conn, "ebah").is_empty());
    assert!(find(&conn, "eric").is_empty());
    assert_eq!(find(&conn, "diallo"), [newer]);
    index_all(&conn);
    assert_eq!(find(&conn, "diallo"), [newer]);
    assert!(find(&conn, "ebah").is_empty());

    // One account's search; then the account goes with its contacts.
    let other = stage(&conn, &contact(b, "0707123456", "Koné", "Awa", ""));
    assert_eq!(find(&conn, "kone").len(), 2);
    assert_eq!(find_in(&conn, Some(b), "kone"), [other]);
    assert_eq!(find_in(&conn, Some(a), "kone"), [p.kone]);
    index_all(&conn);
    conn.execute("DELETE FROM accounts WHERE id = ?1", [a])
        .unwrap();
    assert_eq!(find(&conn, "kone"), [other]);
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM contacts_search WHERE contacts_search MATCH '\"2250\"*'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 1, "the index holds only the contact left");
}

/// Enough contacts that a common word has more matches than are read one by one: its pages are
/// found by walking the name index instead. Both ways give every match once, in name order.
#[test]
fn pages_of_a_search_with_many_or_few_matches_are_in_name_order_each_contact_once() {
    let (_dir, store) = common::fresh();
    let mut conn = store.conn();
    let a = account(&conn, "A");
    let b = account(&conn, "B");
    let tx = conn.transaction().unwrap();
    for i in 0..(contact_search::WALK_ABOVE as u32 + 1_000) {
        let (name, surname) = match i % 3 {
            0 => (format!("Kouassi {}", i % 7), "Awa".to_string()),
            1 => (format!("Bamba {}", i % 5), format!("Kouame {i}")),
            _ => (format!("Yao {i}"), "Jean".to_string()),
        };
        stage(
            &tx,
            &contact(
                if i % 4 == 0 { b } else { a },
                &format!("07{i:08}"),
                &name,
                &surname,
                "",
            ),
        );
    }
    tx.commit().unwrap();
    index_all(&conn);
    let mut all = Vec::new();
    let mut req = ContactPageRequest::first(10_000);
    loop {
        let page = contacts::page(&conn, &ListFilter::default(), &req).unwrap();
        all.extend(page.rows);
        match page.next {
            Some(next) => req.after = Some(next),
            None => break,
        }
    }
    let key = |c: &ContactRow| {
        (
            c.name.to_ascii_lowercase(),
            c.surname.to_ascii_lowercase(),
            c.id,
        )
    };
    for (account_id, q) in [
        (None, "kou"),
        (Some(a), "kou"),
        (None, "kouassi 3"),
        (Some(b), "bamba"),
        (None, "yao 59"),
        (Some(b), "yao 1"),
        (None, "0000"),
        // Every contact: more matches than are read one by one.
        (None, "07"),
        (Some(a), "07 00"),
    ] {
        let want: Vec<i64> = all
            .iter()
            .filter(|c| account_id.is_none_or(|a| c.account_id == a))
            .filter(|c| {
                let t = contact_search::terms(&c.name, &c.surname, &c.email, &c.prefix, &c.phone);
                contact_search::query_words(q)
                    .iter()
                    .all(|w| t.split(' ').any(|t| t.starts_with(w.as_str())))
            })
            .map(|c| c.id)
            .collect();
        assert!(!want.is_empty());
        let f = ListFilter {
            account_id,
            search: Some(q.into()),
        };
        let mut req = ContactPageRequest::first(100);
        let mut got: Vec<ContactRow> = Vec::new();
        loop {
            let page = contacts::page(&conn, &f, &req).unwrap();
            got.extend(page.rows);
            match page.next {
                Some(next) => req.after = Some(next),
                None => break,
            }
        }
        let mut sorted = got.clone();
        sorted.sort_by_key(key);
        assert!(got == sorted, "`{q}`: in name order");
        let got: Vec<i64> = got.iter().map(|c| c.id).collect();
        assert_eq!(got.len(), want.len(), "`{q}`: as many as there are");
        assert!(got == want, "`{q}`: the contacts that match");
    }
}

#[test]
fn an_index_of_the_earlier_schema_is_rebuilt_and_searches_stay_right_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guichet.db");
    let p = {
        let mut conn = Connection::open(&path).unwrap();
        contact_search::register(&conn).unwrap();
        guichet_store::migrations::apply_up_to(&mut conn, 0, 10).unwrap();
        let a = account(&conn, "A");
        let p = people(&conn, a);
        index_all(&conn);
        p
    };
    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    // The upgraded index starts empty: every contact is read directly until it is rebuilt.
    assert!(contact_search::behind(&conn).unwrap());
    check_searches(&conn, &p);
    index_all(&conn);
    check_searches(&conn, &p);
}
