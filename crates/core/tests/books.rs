//! Exports and reconciliation on a real SQLite file, with accounts whose secrets are in the real
//! keyring (run under scripts/with-keyring.sh).

use calamine::{open_workbook, Data, Reader, Xlsx};
use guichet_core::accounts::AccountInput;
use guichet_core::books::export::{Dataset, ExportRequest, FileFormat};
use guichet_core::books::reconcile::Category;
use guichet_core::books::{DateStyle, Lang};
use guichet_core::payouts::PayoutInput;
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_secrets::Secret;
use guichet_store::payouts::{self as table, Change};
use guichet_types::{Provider, UnifiedStatus};
use std::path::Path;
use std::sync::{Arc, Mutex};

const API_KEY: &str = "canary-books-apikey-5d1e";
const PASSWORD: &str = "canary-books-pw-90ab";
const PRIVATE_KEY: &str = "canary-books-pk-3c77";

fn setup() -> (tempfile::TempDir, Guichet) {
    let dir = tempfile::tempdir().unwrap();
    let g = Guichet::open(&dir.path().join("data")).unwrap();
    g.add_account(AccountInput {
        label: Some("Abidjan".into()),
        provider: Some(Provider::Cinetpay),
        site_id: Some("445160".into()),
        notify_url: Some("https://shop.example/notify".into()),
        secrets: vec![
            ("api_key".into(), Secret::new(API_KEY)),
            ("transfer_password".into(), Secret::new(PASSWORD)),
        ],
        ..Default::default()
    })
    .unwrap();
    g.add_account(AccountInput {
        label: Some("Douala".into()),
        provider: Some(Provider::Mycoolpay),
        public_key: Some("pk_test_books".into()),
        secrets: vec![("private_key".into(), Secret::new(PRIVATE_KEY))],
        ..Default::default()
    })
    .unwrap();
    (dir, g)
}

/// Queues a payout, dates it `created_at` and moves it to `status` (with a provider reference).
fn payout(
    g: &Guichet,
    account: &str,
    phone: &str,
    amount: i64,
    name: &str,
    created_at: &str,
    status: UnifiedStatus,
) -> table::PayoutRow {
    let p = g
        .queue_payout(
            account,
            &PayoutInput {
                phone: phone.into(),
                amount,
                name: name.into(),
                reason: "salaire".into(),
                operator: None,
            },
            None,
        )
        .unwrap();
    let conn = g.store.conn();
    conn.execute(
        "UPDATE payouts SET created_at = ?1 WHERE id = ?2",
        (created_at, p.id),
    )
    .unwrap();
    let provider_ref = format!("EA{}", p.id);
    let mut steps = vec![UnifiedStatus::Submitting, UnifiedStatus::Pending];
    if status != UnifiedStatus::Pending {
        steps.push(status);
    }
    for to in steps {
        {
            table::transition(
                &conn,
                p.id,
                to,
                &Change {
                    provider_ref: Some(&provider_ref),
                    event: "test",
                    ..Default::default()
                },
            )
            .unwrap();
        }
    }
    table::get(&conn, p.id).unwrap()
}

fn request(dataset: Dataset) -> ExportRequest {
    ExportRequest {
        dataset: Some(dataset),
        utc_offset_minutes: Some(60),
        ..Default::default()
    }
}

/// The CSV's records, without the BOM, header first.
fn read_csv(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn payouts_export_with_each_filter() {
    let (dir, g) = setup();
    payout(
        &g,
        "Abidjan",
        "07 07 12 34 56",
        1500,
        "=1+1 Awa",
        "2026-11-20T10:00:00.000Z",
        UnifiedStatus::Succeeded,
    );
    payout(
        &g,
        "Abidjan",
        "05 05 12 34 56",
        2000,
        "Koffi",
        "2026-11-23T13:05:00.000Z",
        UnifiedStatus::Pending,
    );
    payout(
        &g,
        "Douala",
        "690000001",
        3000,
        "Ngono",
        "2026-11-23T23:30:00.000Z",
        UnifiedStatus::Failed,
    );
    let out = dir.path().join("paiements.csv");

    let all = g.export(&request(Dataset::Payouts), &out).unwrap();
    assert_eq!(all.rows, 3);
    let rows = read_csv(&out, b';');
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][1], "Date");
    assert_eq!(rows[0][7], "Téléphone");
    let first = &rows[1];
    assert_eq!(first[1], "20/11/2026 11:00", "local time, UTC+1");
    assert_eq!(first[2], "Abidjan");
    assert_eq!(first[3], "CinetPay");
    assert_eq!(first[7], "+2250707123456", "a phone stays readable");
    assert_eq!(first[8], "'=1+1 Awa", "a formula is neutralised");
    assert_eq!(first[11], "1500");
    assert_eq!(first[13], "réussi");
    assert_eq!(rows[3][7], "+237690000001");

    let count = |req: ExportRequest| g.export(&req, &out).unwrap().rows;
    let days = |from: &str, to: &str| ExportRequest {
        from: Some(from.into()),
        to: Some(to.into()),
        ..request(Dataset::Payouts)
    };
    assert_eq!(
        count(days("2026-11-23", "2026-11-23")),
        1,
        "23:30 UTC is the 24th at UTC+1"
    );
    assert_eq!(count(days("21/11/2026", "24/11/2026")), 2);
    assert_eq!(count(days("2026-11-20", "2026-11-20")), 1);
    assert_eq!(
        count(ExportRequest {
            account: Some("Abidjan".into()),
            ..request(Dataset::Payouts)
        }),
        2
    );
    assert_eq!(
        count(ExportRequest {
            provider: Some(Provider::Mycoolpay),
            ..request(Dataset::Payouts)
        }),
        1
    );
    assert_eq!(
        count(ExportRequest {
            status: Some("pending".into()),
            ..request(Dataset::Payouts)
        }),
        1
    );

    // ISO dates, English headers and a comma.
    g.export(
        &ExportRequest {
            delimiter: Some(",".into()),
            date_style: DateStyle::Iso,
            lang: Lang::En,
            utc_offset_minutes: Some(0),
            ..request(Dataset::Payouts)
        },
        &out,
    )
    .unwrap();
    let rows = read_csv(&out, b',');
    assert_eq!(rows[0][7], "Phone");
    assert_eq!(rows[1][1], "2026-11-20T10:00:00+00:00");
    assert_eq!(rows[1][13], "succeeded");
}

#[test]
fn bad_filters_are_refused_and_write_nothing() {
    let (dir, g) = setup();
    let out = dir.path().join("x.csv");
    let err = |req: ExportRequest| g.export(&req, &out).unwrap_err();
    let e = err(ExportRequest {
        from: Some("31/02/2026".into()),
        ..request(Dataset::Payouts)
    });
    assert_eq!((e.code(), e.field()), ("invalid_input", Some("from")));
    let e = err(ExportRequest {
        from: Some("2026-11-24".into()),
        to: Some("2026-11-23".into()),
        ..request(Dataset::Payouts)
    });
    assert_eq!(e.field(), Some("to"));
    let e = err(ExportRequest {
        status: Some("paid".into()),
        ..request(Dataset::Payouts)
    });
    assert!(e.to_string().contains("succeeded"), "{e}");
    let e = err(ExportRequest {
        account: Some("Nowhere".into()),
        ..request(Dataset::Payouts)
    });
    assert_eq!(e.code(), "not_found");
    let e = err(ExportRequest {
        delimiter: Some("\"".into()),
        ..request(Dataset::Payouts)
    });
    assert_eq!(e.field(), Some("delimiter"));
    assert!(!out.exists());
}

#[test]
fn xlsx_payouts_are_typed() {
    let (dir, g) = setup();
    payout(
        &g,
        "Abidjan",
        "0707123456",
        1_500_000,
        "Awa",
        "2026-11-23T14:05:00.000Z",
        UnifiedStatus::Succeeded,
    );
    let out = dir.path().join("paiements.xlsx");
    g.export(
        &ExportRequest {
            format: FileFormat::Xlsx,
            utc_offset_minutes: Some(0),
            ..request(Dataset::Payouts)
        },
        &out,
    )
    .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let range = book.worksheet_range("Paiements").unwrap();
    let cell = |c: u32| range.get_value((1, c)).cloned().unwrap();
    assert!(matches!(cell(1), Data::DateTime(_)), "{:?}", cell(1));
    assert_eq!(cell(7), Data::String("+2250707123456".into()));
    assert_eq!(cell(11), Data::Float(1_500_000.0));
    assert_eq!(cell(8), Data::String("Awa".into()));
}

#[test]
fn no_export_contains_a_secret() {
    let (dir, g) = setup();
    payout(
        &g,
        "Abidjan",
        "0707123456",
        500,
        "Awa",
        "2026-11-23T14:05:00.000Z",
        UnifiedStatus::Succeeded,
    );
    {
        let conn = g.store.conn();
        let account = guichet_store::accounts::by_label(&conn, "Abidjan").unwrap();
        guichet_store::balances::insert(
            &conn,
            &guichet_store::balances::NewSnapshot {
                account_id: account.id,
                kind: "transfer",
                amount: "865.4",
                available: Some("800"),
                in_use: None,
                currency: "XOF",
            },
        )
        .unwrap();
    }
    let datasets = [
        Dataset::Payouts,
        Dataset::Collections,
        Dataset::Contacts,
        Dataset::Balances,
        Dataset::Events,
    ];
    for d in datasets {
        for format in [FileFormat::Csv, FileFormat::Xlsx] {
            let out = dir.path().join(format!("{}.{format:?}", d.as_str()));
            let summary = g
                .export(
                    &ExportRequest {
                        format,
                        ..request(d)
                    },
                    &out,
                )
                .unwrap();
            let text = match format {
                FileFormat::Csv => String::from_utf8(std::fs::read(&out).unwrap()).unwrap(),
                FileFormat::Xlsx => {
                    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
                    let name = book.sheet_names()[0].clone();
                    let range = book.worksheet_range(&name).unwrap();
                    range.cells().map(|(_, _, v)| format!("{v} ")).collect()
                }
            };
            for secret in [API_KEY, PASSWORD, PRIVATE_KEY, "canary"] {
                assert!(!text.contains(secret), "{secret} in {d:?} {format:?}");
            }
            if matches!(d, Dataset::Balances) {
                assert_eq!(summary.rows, 1);
                assert!(text.contains("865,4") || text.contains("865.4"), "{text}");
            }
            if matches!(d, Dataset::Events) {
                assert!(summary.rows >= 2, "the account additions are logged");
            }
        }
    }
}

struct Recorder(Mutex<Vec<(u64, u64)>>);

impl EventSink for Recorder {
    fn emit(&self, event: CoreEvent) {
        if let CoreEvent::Progress { task, done, total } = event {
            assert_eq!(task, "export");
            self.0.lock().unwrap().push((done, total));
        }
    }
}

#[test]
fn a_large_export_streams_with_progress() {
    let (dir, g) = setup();
    let rec = Arc::new(Recorder(Mutex::new(Vec::new())));
    let g = g.with_events(rec.clone());
    const N: i64 = 200_000;
    {
        let mut conn = g.store.conn();
        let account = guichet_store::accounts::by_label(&conn, "Abidjan").unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
             INSERT INTO payouts (account_id, reference, prefix, phone, name, reason, amount,
                 currency, status, provider_ref, created_at, updated_at)
             SELECT ?1, 'GCHBULK' || i, '225', '0707' || printf('%06d', i), 'Bénéficiaire ' || i,
                 'lot', 200 + 5 * (i % 1000), 'XOF', 'succeeded', 'EA' || i,
                 '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.000Z' FROM n",
            (account.id, N),
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let out = dir.path().join("big.csv");
    let summary = g.export(&request(Dataset::Payouts), &out).unwrap();
    assert_eq!(summary.rows, N as u64);
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count() as i64, N + 1);
    assert!(text.lines().last().unwrap().contains("GCHBULK200000"));

    let seen = rec.0.lock().unwrap().clone();
    assert!(
        seen.len() >= 100 && seen.len() <= 110,
        "{} events",
        seen.len()
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress never goes back"
    );
    assert_eq!(seen.first(), Some(&(0, N as u64)));
    assert_eq!(seen.last(), Some(&(N as u64, N as u64)));
}

const HEADER: &str = "\"Date Création (GMT)\";\"Date Modification\";\"Date de traitement\";\"ID CinetPay\";\"ID Marchand\";\"ID Operateur\";\"Téléphone\";\"Opérateur\";\"Montant Envoyé\";\"Marchand verifié ?\";\"Statut\";\"Commentaire\"";

/// A statement row as CinetPay's back-office writes it.
fn row(cinetpay_id: &str, merchant_id: &str, amount: &str, status: &str) -> String {
    let today = chrono::Utc::now().format("%Y-%m-%d 08:00:00");
    format!(
        "\"{today}\";\"{today}\";\"{today}\";\"{cinetpay_id}\";\"{merchant_id}\";\"OP\";\"+2250707123456\";\"OM\";\"{amount}\";\"Oui\";\"{status}\";\"Transfert traité à Abidjan\""
    )
}

fn history_events(g: &Guichet, id: i64) -> Vec<String> {
    g.store
        .payouts()
        .history(id)
        .unwrap()
        .into_iter()
        .map(|h| h.entry.event)
        .collect()
}

#[test]
fn reconciliation_sorts_every_row_and_records_only_final_statuses() {
    let (dir, g) = setup();
    let now = guichet_store::now_utc();
    let p = |amount, status| payout(&g, "Abidjan", "0707123456", amount, "Awa", &now, status);
    let validated = p(1000, UnifiedStatus::Pending);
    let waiting = p(1005, UnifiedStatus::AwaitingConfirmation);
    let already_paid = p(1010, UnifiedStatus::Succeeded);
    let wrong_amount = p(1015, UnifiedStatus::Pending);
    let by_cinetpay_id = p(1020, UnifiedStatus::Pending);
    let rejected_both = p(1025, UnifiedStatus::Rejected);
    let not_listed = p(1030, UnifiedStatus::Pending);
    let other_account = payout(
        &g,
        "Douala",
        "690000001",
        1035,
        "Ngono",
        &now,
        UnifiedStatus::Pending,
    );

    let lines = [
        HEADER.to_string(),
        row(
            &format!("EA{}", validated.id),
            &validated.reference,
            "1 000",
            "VAL",
        ),
        row("EA-w", &waiting.reference, "1005", "NOS"),
        row("EA-p", &already_paid.reference, "1010", "REJ"),
        row("EA-a", &wrong_amount.reference, "1 500", "VAL"),
        row(&format!("EA{}", by_cinetpay_id.id), "", "1020,00", "Rejeté"),
        row("EA-r", &rejected_both.reference, "1025", "REJ"),
        row("EA-unknown", "GCHNOTOURS", "5000", "VAL"),
        row("EA-o", &other_account.reference, "1035", "VAL"),
        row("EA-bad", "GCHBAD", "12,5", "VAL"),
    ];
    let text = lines.join("\r\n") + "\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let file = dir.path().join("transferts-cinetpay.csv");
    std::fs::write(&file, &bytes).unwrap();

    let report = g.reconcile(&file, "Abidjan").unwrap();
    let category = |id: i64| {
        report
            .lines
            .iter()
            .find(|l| l.payout_id == Some(id))
            .map(|l| l.category)
    };
    assert_eq!(category(validated.id), Some(Category::Updated));
    assert_eq!(category(waiting.id), Some(Category::Matched));
    assert_eq!(category(already_paid.id), Some(Category::StatusDiffers));
    assert_eq!(category(wrong_amount.id), Some(Category::AmountDiffers));
    assert_eq!(category(by_cinetpay_id.id), Some(Category::Updated));
    assert_eq!(category(rejected_both.id), Some(Category::Matched));
    assert_eq!(category(not_listed.id), Some(Category::MissingAtProvider));
    let c = &report.counts;
    assert_eq!(
        (
            c.matched,
            c.updated,
            c.missing_locally,
            c.missing_at_provider
        ),
        (2, 2, 2, 1),
        "{c:?}"
    );
    assert_eq!(
        (c.status_differs, c.amount_differs, c.unreadable),
        (1, 1, 1)
    );
    let unreadable = report
        .lines
        .iter()
        .find(|l| l.category == Category::Unreadable)
        .unwrap();
    assert_eq!(unreadable.line, Some(10));
    assert!(unreadable.problem.as_deref().unwrap().contains("Montant"));

    // The ledger: final statuses recorded through the history, as coming from reconciliation.
    let now_of = |id| g.store.payouts().get(id).unwrap();
    let v = now_of(validated.id);
    assert_eq!(v.status, UnifiedStatus::Succeeded);
    assert_eq!(v.provider_status.as_deref(), Some("VAL"));
    assert_eq!(
        history_events(&g, validated.id).last().unwrap(),
        "reconciliation"
    );
    let detail = g.store.payouts().history(validated.id).unwrap();
    assert!(detail
        .last()
        .unwrap()
        .detail
        .contains("transferts-cinetpay.csv"));
    assert_eq!(now_of(by_cinetpay_id.id).status, UnifiedStatus::Rejected);
    // Nothing else moved: not a transition, not a final status, not an amount.
    assert_eq!(
        now_of(waiting.id).status,
        UnifiedStatus::AwaitingConfirmation
    );
    assert_eq!(now_of(already_paid.id).status, UnifiedStatus::Succeeded);
    assert_eq!(now_of(wrong_amount.id).status, UnifiedStatus::Pending);
    assert_eq!(now_of(wrong_amount.id).amount.0, 1015);
    assert_eq!(now_of(other_account.id).status, UnifiedStatus::Pending);
    for id in [
        waiting.id,
        already_paid.id,
        wrong_amount.id,
        other_account.id,
        not_listed.id,
    ] {
        assert!(!history_events(&g, id).contains(&"reconciliation".to_string()));
    }

    // The report as CSV, in French.
    let out = dir.path().join("rapport.csv");
    g.write_reconcile_report(&report, &out, Lang::Fr).unwrap();
    let rows = read_csv(&out, b';');
    assert_eq!(rows.len(), report.lines.len() + 1);
    assert_eq!(rows[0][0], "Résultat");
    assert!(rows
        .iter()
        .any(|r| r[0] == "montant différent" && r[5] == "1015" && r[6] == "1500"));

    // Again with the same file: nothing left to update, nothing moves back.
    let again = g.reconcile(&file, "Abidjan").unwrap();
    assert_eq!(again.counts.updated, 0);
    assert_eq!(again.counts.matched, 4);
    assert_eq!(now_of(validated.id).status, UnifiedStatus::Succeeded);
}

#[test]
fn a_final_status_is_never_moved_backwards() {
    let (dir, g) = setup();
    let now = guichet_store::now_utc();
    let paid = payout(
        &g,
        "Abidjan",
        "0707123456",
        1000,
        "Awa",
        &now,
        UnifiedStatus::Succeeded,
    );
    let rejected = payout(
        &g,
        "Abidjan",
        "0707123456",
        1000,
        "Awa",
        &now,
        UnifiedStatus::Rejected,
    );
    let text = [
        HEADER.to_string(),
        row("EA-1", &paid.reference, "1000", "REJ"),
        row("EA-2", &rejected.reference, "1000", "NEW"),
    ]
    .join("\n");
    let file = dir.path().join("jour.csv");
    std::fs::write(&file, text).unwrap();
    let report = g.reconcile(&file, "Abidjan").unwrap();
    assert_eq!(report.counts.status_differs, 2);
    let conn = g.store.conn();
    assert_eq!(
        table::get(&conn, paid.id).unwrap().status,
        UnifiedStatus::Succeeded
    );
    assert_eq!(
        table::get(&conn, rejected.id).unwrap().status,
        UnifiedStatus::Rejected
    );
}

#[test]
fn reconciliation_refuses_what_it_cannot_read() {
    let (dir, g) = setup();
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, "nom;téléphone\nAwa;0707123456\n").unwrap();
    let e = g.reconcile(&file, "Abidjan").unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("ID CinetPay"), "{e}");
    let e = g.reconcile(&file, "Douala").unwrap_err();
    assert!(e.to_string().contains("CinetPay"), "{e}");
}
