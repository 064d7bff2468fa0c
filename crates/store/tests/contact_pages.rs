//! The contact list a page at a time, in name order, from a cursor carrying the last row's
//! sort key: every contact once, whatever the ties, case and accents.

mod common;
use common::account;
use guichet_store::contacts::{self, ContactPageRequest, ContactRow, ListFilter, NewContact};
use rusqlite::Connection;

fn add(conn: &Connection, account_id: i64, n: usize, name: &str, surname: &str) -> i64 {
    contacts::stage(
        conn,
        &NewContact {
            account_id,
            prefix: "225".into(),
            phone: format!("07{n:08}"),
            name: name.into(),
            surname: surname.into(),
            ..Default::default()
        },
        "2026-11-23T00:00:00.000Z",
    )
    .unwrap()
}

/// Every page of the list, `limit` rows each, following the cursors.
fn all_pages(conn: &Connection, f: &ListFilter, limit: u32) -> Vec<Vec<ContactRow>> {
    let mut pages = Vec::new();
    let mut req = ContactPageRequest::first(limit);
    loop {
        let page = contacts::page(conn, f, &req).unwrap();
        assert!(page.rows.len() <= limit as usize);
        pages.push(page.rows);
        match page.next {
            Some(next) => req.after = Some(next),
            None => return pages,
        }
    }
}

/// Names with ties on the name, on name and surname, different case and accents.
const PEOPLE: [(&str, &str); 12] = [
    ("Koné", "Awa"),
    ("kone", "Awa"),
    ("KONE", "awa"),
    ("Koné", "Awa"),
    ("Koné", "Awa"),
    ("Yao", "Bi"),
    ("Yao", ""),
    ("", "Zié"),
    ("Traoré", "Aïcha"),
    ("Ébah", "Éric"),
    ("abi", "Jean"),
    ("Koné", "Bakary"),
];

#[test]
fn pages_give_every_contact_once_in_name_order_whatever_the_ties() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let b = account(&conn, "B");
    let mut n = 0;
    for _ in 0..5 {
        for (name, surname) in PEOPLE {
            n += 1;
            add(&conn, if n % 3 == 0 { b } else { a }, n, name, surname);
        }
    }
    // What the list must show: SQLite's NOCASE order (ASCII case folded), then id.
    let key = |c: &ContactRow| {
        (
            c.name.to_ascii_lowercase(),
            c.surname.to_ascii_lowercase(),
            c.id,
        )
    };
    for (filter, expected) in [(None, n), (Some(a), n - n / 3), (Some(b), n / 3)] {
        let f = ListFilter {
            account_id: filter,
            search: None,
        };
        let whole = contacts::page(&conn, &f, &ContactPageRequest::first(1000)).unwrap();
        assert_eq!(whole.rows.len(), expected);
        assert_eq!(whole.next, None);
        let mut sorted = whole.rows.clone();
        sorted.sort_by_key(key);
        assert_eq!(whole.rows, sorted, "the list is in name order");
        assert!(whole
            .rows
            .iter()
            .all(|c| filter.is_none_or(|a| c.account_id == a)));
        for limit in [1, 2, 3, 4, 7] {
            let pages = all_pages(&conn, &f, limit);
            let flat: Vec<ContactRow> = pages.concat();
            assert_eq!(
                flat, whole.rows,
                "pages of {limit}: none skipped or repeated"
            );
        }
    }
}

#[test]
fn a_page_after_a_cursor_whose_contact_changed_or_went_goes_on_from_its_key() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let a = account(&conn, "A");
    let ids: Vec<i64> = ["Aka", "Bamba", "Coulibaly", "Diallo"]
        .iter()
        .enumerate()
        .map(|(i, name)| add(&conn, a, i, name, ""))
        .collect();
    let f = ListFilter::default();
    let first = contacts::page(&conn, &f, &ContactPageRequest::first(2)).unwrap();
    let cursor = first.next.clone().unwrap();
    assert_eq!(cursor.id, ids[1]);
    // The cursor's own contact is deleted meanwhile: the next page still starts after its key.
    contacts::delete(&conn, ids[1]).unwrap();
    let next = contacts::page(
        &conn,
        &f,
        &ContactPageRequest {
            after: Some(cursor),
            limit: 2,
        },
    )
    .unwrap();
    let names: Vec<&str> = next.rows.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Coulibaly", "Diallo"]);
    assert_eq!(next.next, None);
}

#[test]
fn the_list_pages_read_the_name_indexes() {
    let (_dir, store) = common::fresh();
    let conn = store.conn();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    };
    let after = "name >= 'k' COLLATE NOCASE AND (name > 'k' COLLATE NOCASE OR surname > 'a' COLLATE NOCASE OR (surname = 'a' COLLATE NOCASE AND id > 3))";
    let order = "ORDER BY name COLLATE NOCASE, surname COLLATE NOCASE, id LIMIT 101";
    let whole = plan(&format!("SELECT * FROM contacts WHERE {after} {order}"));
    assert!(
        whole.contains("SEARCH contacts USING INDEX contacts_by_name (name>?)"),
        "{whole}"
    );
    let one = plan(&format!(
        "SELECT * FROM contacts WHERE account_id = 1 AND {after} {order}"
    ));
    assert!(
        one.contains("USING INDEX contacts_by_account_name (account_id=? AND name>?)"),
        "{one}"
    );
    assert!(!whole.contains("TEMP B-TREE") && !one.contains("TEMP B-TREE"));
}
