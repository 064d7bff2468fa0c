//! Contact imports end to end against the provider sandbox, with real files, a real SQLite file
//! and the real keyring (run under scripts/with-keyring.sh).

mod common;

use guichet_core::contacts::{
    ColumnChoice, ContactEdit, ImportOptions, PushOutcome, RowState, PUSH_TASK,
};
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_sandbox::{Fault, FaultRule, Sandbox, SandboxConfig, SandboxHandle};
use guichet_store::contacts::{ContactPageRequest, ProviderState};
use guichet_tabular::Field;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Recorder(Mutex<Vec<CoreEvent>>);

impl EventSink for Recorder {
    fn emit(&self, event: CoreEvent) {
        self.0.lock().unwrap().push(event);
    }
}

impl Recorder {
    fn progress(&self) -> Vec<(u64, u64)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                CoreEvent::Progress { task, done, total } if task == PUSH_TASK => {
                    Some((*done, *total))
                }
                _ => None,
            })
            .collect()
    }
}

struct World {
    _dir: tempfile::TempDir,
    files: tempfile::TempDir,
    g: Guichet,
    sb: SandboxHandle,
    events: Arc<Recorder>,
}

async fn setup() -> World {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Recorder::default());
    let g = Guichet::open(dir.path())
        .unwrap()
        .with_events(events.clone());
    let demo = sb.demo_credentials();
    g.add_account(common::cinetpay("Abidjan", &demo)).unwrap();
    World {
        _dir: dir,
        files: tempfile::tempdir().unwrap(),
        g,
        sb,
        events,
    }
}

impl World {
    /// The numbers in the account's CinetPay contact list, as the sandbox holds it.
    fn at_cinetpay(&self) -> Vec<String> {
        let key = self.sb.demo_credentials().cinetpay_api_key;
        let w = self.sb.shared();
        let w = w.world();
        w.cinetpay[&key]
            .contacts
            .keys()
            .map(|(p, n)| format!("+{p}{n}"))
            .collect()
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.files.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn local(&self) -> Vec<guichet_store::contacts::ContactRow> {
        // Every page, through the cursor.
        let mut all = Vec::new();
        let mut page = ContactPageRequest::first(7);
        loop {
            let p = self.g.contact_page(Some("Abidjan"), None, &page).unwrap();
            all.extend(p.rows);
            match p.next {
                Some(next) => page.after = Some(next),
                None => return all,
            }
        }
    }
}

/// A French Excel export: Windows-1252, `;`, CRLF, numbers as people type them.
fn french_csv(valid: usize) -> Vec<u8> {
    let mut s = String::from("Nom;Prénoms;Téléphone;E-mail\r\n");
    for i in 0..valid {
        s.push_str(&format!(
            "Koné {i};Aïcha;07 {:02} {:02} {:02} {:02}\r\n",
            10 + i / 1000000 % 90,
            i / 10000 % 100,
            i / 100 % 100,
            i % 100
        ));
    }
    s.push_str("Traoré;Zié;07 07 12 34;\r\n"); // too short
    s.push_str(";;0505123456;\r\n"); // no name
    s.push_str("Yao;Éric;=A2;\r\n"); // a formula
    s.push_str("Bamba;Léa;0101020304;lea@\r\n"); // bad e-mail
    s.push_str("Koné 0;Aïcha bis;+225 07 10 00 00 00;\r\n"); // same number as the first row
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&s);
    assert!(!lossy);
    bytes.into_owned()
}

#[tokio::test]
async fn a_french_excel_file_is_previewed_then_pushed_in_chunks_and_only_once() {
    let w = setup().await;
    let path = w.file("beneficiaires.csv", &french_csv(120));
    // Already in the CinetPay list (added by hand on their site), and one CinetPay refuses.
    w.sb.seed_contact("225", "0710000005", "Koné 5");
    w.sb.refuse_contact("0710000007");
    let before = w.at_cinetpay().len();

    let preview =
        w.g.preview_contacts("Abidjan", &path, &ImportOptions::default())
            .unwrap();
    assert!(!preview.pushed);
    assert_eq!(preview.file.encoding.as_deref(), Some("Windows-1252"));
    assert_eq!(
        (
            preview.totals.rows,
            preview.totals.new,
            preview.totals.duplicate,
            preview.totals.invalid
        ),
        (125, 120, 1, 4)
    );
    let reason = |line: usize| {
        preview
            .rows
            .iter()
            .find(|r| r.line == line)
            .unwrap()
            .reason
            .clone()
            .unwrap()
    };
    assert_eq!(
        reason(122),
        "Téléphone (C): `07 07 12 34` has 8 digits; a Côte d'Ivoire number has 10 (e.g. 07 07 12 34 56)"
    );
    assert_eq!(
        reason(123),
        "no name: CinetPay needs a name for each contact"
    );
    assert_eq!(
        reason(124),
        "Téléphone (C): holds a formula (`=A2`), not a value"
    );
    assert_eq!(reason(125), "E-mail (D): `lea@` is not an e-mail address");
    assert_eq!(reason(126), "same number as row 2");
    assert_eq!(preview.rows[0].name, "Koné 0");
    assert_eq!(preview.rows[0].surname, "Aïcha");
    assert_eq!(preview.rows[0].e164.as_deref(), Some("+2250710000000"));
    assert_eq!(w.at_cinetpay().len(), before, "a preview sends nothing");
    assert!(w.local().is_empty(), "a preview stores nothing");

    let done =
        w.g.import_contacts("Abidjan", &path, &ImportOptions::default())
            .await
            .unwrap();
    assert!(done.pushed);
    assert_eq!(
        (
            done.totals.added,
            done.totals.present,
            done.totals.failed,
            done.totals.not_sent
        ),
        (118, 1, 1, 0)
    );
    // 120 in chunks of 50: three requests, progress after each.
    assert_eq!(
        w.events.progress(),
        [(0, 120), (50, 120), (100, 120), (120, 120)]
    );
    let row = |phone: &str| {
        done.rows
            .iter()
            .find(|r| r.e164.as_deref() == Some(phone))
            .unwrap()
            .clone()
    };
    let added = row("+2250710000000");
    assert_eq!(added.outcome, Some(PushOutcome::Added));
    assert_eq!(added.provider_code.as_deref(), Some("0"));
    assert_eq!(added.lot.as_ref().map(String::len), Some(22));
    assert_eq!(row("+2250710000005").outcome, Some(PushOutcome::Present));
    let refused = row("+2250710000007");
    assert_eq!(
        (
            refused.outcome,
            refused.provider_code.as_deref(),
            refused.provider_message.as_deref()
        ),
        (
            Some(PushOutcome::Failed),
            Some("804"),
            Some("the operator is not supported by CinetPay")
        )
    );
    assert_eq!(w.at_cinetpay().len(), before + 118);

    let local = w.local();
    assert_eq!(local.len(), 120);
    let stored = local.iter().find(|c| c.phone == "0710000000").unwrap();
    assert_eq!(
        (
            stored.provider_state,
            stored.lot.as_deref(),
            stored.operator.as_deref()
        ),
        (ProviderState::Added, added.lot.as_deref(), Some("Orange"))
    );
    assert_eq!(
        local
            .iter()
            .find(|c| c.phone == "0710000005")
            .unwrap()
            .provider_state,
        ProviderState::Present
    );

    // The same file again: nothing added twice; only the refused one is tried again.
    let again =
        w.g.import_contacts("Abidjan", &path, &ImportOptions::default())
            .await
            .unwrap();
    assert_eq!(
        (again.totals.existing, again.totals.new, again.totals.added),
        (119, 1, 0)
    );
    assert_eq!(again.totals.failed, 1);
    assert_eq!(w.at_cinetpay().len(), before + 118);
    assert_eq!(w.local().len(), 120);
}

#[tokio::test]
async fn nothing_is_sent_or_stored_when_the_file_is_bad() {
    let w = setup().await;
    let before = w.at_cinetpay().len();
    // Valid rows: 200,000 of them are stored while the file is read, then rolled back when
    // the row past the limit is met.
    let mut million = b"phone;name\n".to_vec();
    for i in 0..200_001u32 {
        writeln!(million, "07{i:08};Awa").unwrap();
    }
    let cases: Vec<(PathBuf, Option<&str>, &str)> = vec![
        (w.file("empty.csv", b""), None, "file_empty"),
        (
            w.file("noph.csv", b"Nom;Ville\nAwa;Abidjan\n"),
            None,
            "column_missing",
        ),
        (
            w.file("photo.xlsx", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']),
            None,
            "file_not_spreadsheet",
        ),
        (w.file("rows.csv", &million), None, "file_too_many_rows"),
        (xlsx(w.files.path()), Some("Paie"), "sheet_missing"),
    ];
    for (path, sheet, code) in cases {
        let options = ImportOptions {
            sheet: sheet.map(String::from),
            ..Default::default()
        };
        let e =
            w.g.import_contacts("Abidjan", &path, &options)
                .await
                .unwrap_err();
        assert_eq!(e.code(), code, "{}: {e}", path.display());
    }
    assert_eq!(w.at_cinetpay().len(), before);
    assert!(w.local().is_empty());
    assert!(w.events.progress().is_empty());
}

fn xlsx(dir: &Path) -> PathBuf {
    let p = dir.join("contacts.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Bénéficiaires").unwrap();
    for (c, h) in ["Nom", "Prénom", "Indicatif", "Mobile"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    // As Excel stores them: numbers, the leading zero lost.
    ws.write(1, 0, "Kouassi").unwrap();
    ws.write(1, 1, "Aya").unwrap();
    ws.write(1, 2, 225.0).unwrap();
    ws.write(1, 3, 707123456.0).unwrap();
    ws.write(2, 0, "Diallo").unwrap();
    ws.write(2, 1, "Ali").unwrap();
    ws.write(2, 2, "+225").unwrap();
    ws.write(2, 3, 505123456.0).unwrap();
    wb.save(&p).unwrap();
    p
}

#[tokio::test]
async fn an_xlsx_with_numbers_excel_stored_as_numbers() {
    let w = setup().await;
    let path = xlsx(w.files.path());
    let done =
        w.g.import_contacts("Abidjan", &path, &ImportOptions::default())
            .await
            .unwrap();
    let phones: Vec<_> = done.rows.iter().map(|r| r.e164.clone().unwrap()).collect();
    assert_eq!(phones, ["+2250707123456", "+2250505123456"]);
    assert_eq!(done.totals.added, 2);
    assert!(w.at_cinetpay().contains(&"+2250707123456".to_string()));
}

#[tokio::test]
async fn an_outage_leaves_the_contacts_to_push_on_the_next_import() {
    let w = setup().await;
    let path = w.file("c.csv", &french_csv(60));
    let before = w.at_cinetpay().len();
    w.sb.set_faults(vec![FaultRule {
        route: "/v1/transfer/contact".into(),
        method: None,
        nth: None,
        probability: None,
        fault: Fault::Status { code: 503 },
    }]);
    let failed =
        w.g.import_contacts("Abidjan", &path, &ImportOptions::default())
            .await
            .unwrap();
    assert_eq!((failed.totals.not_sent, failed.totals.added), (60, 0));
    assert!(failed.rows[0]
        .provider_message
        .as_deref()
        .unwrap()
        .starts_with("the provider could not be reached"));
    assert_eq!(w.at_cinetpay().len(), before);
    assert!(w
        .local()
        .iter()
        .all(|c| c.provider_state == ProviderState::Local));

    w.sb.set_faults(vec![]);
    let again =
        w.g.import_contacts("Abidjan", &path, &ImportOptions::default())
            .await
            .unwrap();
    assert_eq!((again.totals.new, again.totals.added), (60, 60));
    assert_eq!(w.at_cinetpay().len(), before + 60);
}

#[tokio::test]
async fn columns_chosen_by_hand_list_search_edit_delete() {
    let w = setup().await;
    let path = w.file(
        "sans-titre.csv",
        b"Awa Kone;0707123456\nBi Yao;0505123456\n",
    );
    let e =
        w.g.preview_contacts("Abidjan", &path, &ImportOptions::default())
            .unwrap_err();
    assert_eq!(e.code(), "column_missing");
    let options = ImportOptions {
        sheet: None,
        columns: vec![
            ColumnChoice {
                field: Field::Phone,
                column: "B".into(),
            },
            ColumnChoice {
                field: Field::Name,
                column: "A".into(),
            },
        ],
    };
    let preview = w.g.preview_contacts("Abidjan", &path, &options).unwrap();
    assert_eq!(preview.totals.new, 2);
    assert!(preview.rows.iter().all(|r| r.state == RowState::New));
    w.g.import_contacts("Abidjan", &path, &options)
        .await
        .unwrap();

    let found =
        w.g.contact_page(Some("Abidjan"), Some("yao"), &ContactPageRequest::default())
            .unwrap()
            .rows;
    assert_eq!(found.len(), 1);
    let yao = found[0].clone();
    assert_eq!(yao.provider_state, ProviderState::Added);
    let edited =
        w.g.edit_contact(
            yao.id,
            &ContactEdit {
                phone: "05 05 12 34 56".into(),
                name: "Yao".into(),
                surname: "Bi".into(),
                email: "bi@example.ci".into(),
            },
        )
        .unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.provider_state),
        ("Yao", ProviderState::Added)
    );
    let e =
        w.g.edit_contact(
            yao.id,
            &ContactEdit {
                phone: "0505".into(),
                name: "Yao".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("phone"));
    w.g.delete_contact(yao.id).unwrap();
    assert_eq!(w.local().len(), 1);
}

/// Imported contacts are found at once (read directly until the index has them, which the
/// import leaves to a thread of its own), then from the index; an edit or a delete is seen by
/// the next search.
#[tokio::test]
async fn imported_contacts_are_searched_by_name_part_accentless_and_phone_digits() {
    let w = setup().await;
    let path = w.file(
        "liste.csv",
        "Nom;Prénom;Téléphone\nKoné;Aïcha;07 07 12 34 56\nYao;Éric;05.05.99.88.77\n".as_bytes(),
    );
    w.g.stage_contacts("Abidjan", &path, &ImportOptions::default())
        .unwrap();
    let find = |q: &str| -> Vec<String> {
        w.g.contact_page(Some("Abidjan"), Some(q), &ContactPageRequest::default())
            .unwrap()
            .rows
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    let check = |when: &str| {
        for (q, want) in [
            ("kone", vec!["Koné"]),
            ("AICHA", vec!["Koné"]),
            ("eri", vec!["Yao"]),
            ("12 34 56", vec!["Koné"]),
            ("+225 05 05 99 88 77", vec!["Yao"]),
            ("0", vec!["Koné", "Yao"]),
            ("traore", vec![]),
        ] {
            assert_eq!(find(q), want, "`{q}` {when}");
        }
    };
    check("right after the import");
    w.g.index_contact_search().unwrap();
    check("once indexed");
    let kone =
        w.g.contact_page(
            Some("Abidjan"),
            Some("kone"),
            &ContactPageRequest::default(),
        )
        .unwrap()
        .rows[0]
            .clone();
    w.g.edit_contact(
        kone.id,
        &ContactEdit {
            phone: "07 07 12 34 56".into(),
            name: "Kouassi".into(),
            surname: "Aïcha".into(),
            email: String::new(),
        },
    )
    .unwrap();
    assert!(find("kone").is_empty());
    assert_eq!(find("kouas"), ["Kouassi"]);
    w.g.delete_contact(kone.id).unwrap();
    assert!(find("kouassi").is_empty());
    assert!(find("12 34 56").is_empty());
    assert_eq!(find("aicha"), Vec::<String>::new());
    assert_eq!(find("99 88"), ["Yao"]);
}

#[tokio::test]
async fn a_file_mixing_kept_and_new_numbers_gives_each_row_its_own_contact() {
    let w = setup().await;
    let list = |step: usize, name: &str| {
        let mut s = String::from("Nom;Prénoms;Téléphone\n");
        for i in (0..1_200).step_by(step) {
            s.push_str(&format!("{name} {i};Awa;07{:08}\n", 10_000_000 + i));
        }
        s
    };
    // Every third number first, kept in Guichet without being pushed.
    let first = w.file("first.csv", list(3, "Koné").as_bytes());
    let kept =
        w.g.stage_contacts("Abidjan", &first, &ImportOptions::default())
            .unwrap();
    assert_eq!(kept.totals.new, 400);
    // Then all of them: the kept ones have their names refreshed, the others are added, and
    // each row is given its own contact, across the batches stored together.
    let all = w.file("all.csv", list(1, "Yao").as_bytes());
    let import =
        w.g.stage_contacts("Abidjan", &all, &ImportOptions::default())
            .unwrap();
    assert_eq!(import.totals.new, 1_200);
    for row in &import.rows {
        let c = w.g.contact(row.contact_id.unwrap()).unwrap();
        assert_eq!(
            (format!("+{}{}", c.prefix, c.phone), c.name.as_str()),
            (row.e164.clone().unwrap(), row.name.as_str())
        );
    }
    let kept_ids: Vec<i64> = kept.rows.iter().map(|r| r.contact_id.unwrap()).collect();
    let again: Vec<i64> = import
        .rows
        .iter()
        .step_by(3)
        .map(|r| r.contact_id.unwrap())
        .collect();
    assert_eq!(kept_ids, again);
    assert_eq!(w.local().len(), 1_200);
}
