//! Importing 100,000 contacts: read, normalise, validate and store, beside its floor.
//!
//! - CSV floor: the csv crate reading the same file plus a bare prepared-statement insert of
//!   the same rows in one transaction, into the same database (WAL, synchronous=FULL).
//! - XLSX floor: calamine alone reading the same workbook.
//!
//! Also printed, for reading the XLSX figure: the bare insert of the same rows alone, already in
//! memory (the part of any import that is storing, not reading).
//!
//! `cargo bench -p guichet-core --bench contacts_import` prints each figure beside its floor.
//! Results are recorded in docs/contacts.md. For profiling one part alone, name the parts to
//! run after `--`: `csv-floor`, `csv`, `xlsx-floor`, `xlsx`, `store` (e.g. `-- xlsx`).

use guichet_core::contacts::ImportOptions;
use guichet_core::Guichet;
use guichet_store::accounts::{self, AccountFields};
use guichet_store::Store;
use guichet_types::{Country, Currency, Provider};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;
const RUNS: usize = 3;

fn phone(i: usize) -> String {
    let n = 10_000_000 + i;
    format!(
        "07 {:02} {:02} {:02} {:02}",
        n / 1_000_000 % 100,
        n / 10_000 % 100,
        n / 100 % 100,
        n % 100
    )
}

fn write_csv(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all("\u{feff}Nom;Prénoms;Téléphone;E-mail\r\n".as_bytes())
        .unwrap();
    for i in 0..ROWS {
        write!(f, "Koné {i};Aïcha Marie;{};a{i}@example.ci\r\n", phone(i)).unwrap();
    }
}

/// As Excel keeps a merchant's list: the numbers stored as numbers (leading zero lost).
fn write_xlsx(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Nom", "Prénoms", "Téléphone", "E-mail"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for i in 0..ROWS {
        let r = i as u32 + 1;
        ws.write(r, 0, format!("Koné {i}")).unwrap();
        ws.write(r, 1, "Aïcha Marie").unwrap();
        ws.write(r, 2, (710_000_000 + i) as f64).unwrap();
        ws.write(r, 3, format!("a{i}@example.ci")).unwrap();
    }
    wb.save(path).unwrap();
}

fn account() -> AccountFields {
    AccountFields {
        label: "Bench".into(),
        provider: Provider::Cinetpay,
        currency: Currency::XOF,
        country: Country::CI,
        site_id: Some("1".into()),
        public_key: None,
        client_reference: None,
        notify_url: None,
        base_url: None,
        low_balance_threshold: None,
        sandbox: false,
    }
}

const FLOOR_INSERT: &str = "INSERT INTO contacts (account_id, prefix, phone, name, surname,
     email, created_at, updated_at) VALUES (?1, '225', ?2, ?3, ?4, ?5, 'now', 'now')";

/// The floor for CSV: csv crate + one prepared INSERT per row, one transaction.
fn csv_floor(file: &Path, dir: &Path) -> Duration {
    let store = Store::open(dir.join("floor.db")).unwrap();
    let mut conn = store.conn();
    let account_id = accounts::insert(&conn, &account()).unwrap().id;
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx.prepare(FLOOR_INSERT).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_path(file)
            .unwrap();
        for r in reader.records() {
            let r = r.unwrap();
            insert
                .execute(rusqlite::params![account_id, &r[2], &r[0], &r[1], &r[3]])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    start.elapsed()
}

/// The same inserts as the CSV floor, of rows already in memory: storing alone.
fn store_alone(file: &Path, dir: &Path) -> Duration {
    let store = Store::open(dir.join("store.db")).unwrap();
    let mut conn = store.conn();
    let account_id = accounts::insert(&conn, &account()).unwrap().id;
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(file)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let start = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx.prepare(FLOOR_INSERT).unwrap();
        for r in &rows {
            insert
                .execute(rusqlite::params![account_id, &r[2], &r[0], &r[1], &r[3]])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    start.elapsed()
}

/// The floor for XLSX: calamine alone reading the sheet.
fn xlsx_floor(file: &Path) -> Duration {
    use calamine::Reader;
    let start = Instant::now();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(file).unwrap();
    let range = wb.worksheet_range("Sheet1").unwrap();
    let cells = range.used_cells().count();
    assert!(cells >= ROWS * 4);
    start.elapsed()
}

/// Guichet: read, normalise, validate and store, into a fresh data directory.
fn import(file: &Path, dir: &Path) -> Duration {
    let g = Guichet::open(dir).unwrap();
    accounts::insert(&g.store.conn(), &account()).unwrap();
    let start = Instant::now();
    let done = g
        .stage_contacts("Bench", file, &ImportOptions::default())
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(done.totals.new as usize, ROWS, "{:?}", done.totals);
    // The search index is filled on a thread of its own once the import has committed; it is
    // not part of the import, but left running it would slow the runs measured after this one.
    let indexing = Instant::now();
    while guichet_store::contact_search::behind(&g.store.conn()).unwrap() {
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "  (the search index caught up {:.1} ms after the import)",
        indexing.elapsed().as_secs_f64() * 1e3
    );
    elapsed
}

fn best(mut f: impl FnMut(usize) -> Duration) -> Duration {
    (0..RUNS).map(&mut f).min().unwrap()
}

fn main() {
    let files = tempfile::tempdir().unwrap();
    let csv_file = files.path().join("contacts.csv");
    let xlsx_file = files.path().join("contacts.xlsx");
    write_csv(&csv_file);
    write_xlsx(&xlsx_file);
    let scratch = tempfile::tempdir().unwrap();
    let dir = |name: &str, i: usize| {
        let d = scratch.path().join(format!("{name}-{i}"));
        std::fs::create_dir_all(&d).unwrap();
        d
    };

    let asked: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let run = |part: &str| asked.is_empty() || asked.iter().any(|a| a == part);
    let timed = |part: &str, f: &mut dyn FnMut(usize) -> Duration| run(part).then(|| best(f));
    let csv_base = timed("csv-floor", &mut |i| {
        csv_floor(&csv_file, &dir("csv-floor", i))
    });
    let csv_ours = timed("csv", &mut |i| import(&csv_file, &dir("csv", i)));
    let xlsx_base = timed("xlsx-floor", &mut |_| xlsx_floor(&xlsx_file));
    let xlsx_ours = timed("xlsx", &mut |i| import(&xlsx_file, &dir("xlsx", i)));
    let storing = timed("store", &mut |i| store_alone(&csv_file, &dir("store", i)));

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let line = |what: &str, ours: Option<Duration>, floor: Option<Duration>, target: f64| {
        let (Some(ours), Some(floor)) = (ours, floor) else {
            for (part, d) in [("guichet", ours), ("floor", floor)] {
                if let Some(d) = d {
                    println!("{what:<5} {ROWS} rows: {part} {:>7.1} ms", ms(d));
                }
            }
            return;
        };
        let ratio = ours.as_secs_f64() / floor.as_secs_f64();
        println!(
            "{what:<5} {ROWS} rows: guichet {:>7.1} ms   floor {:>7.1} ms   ratio {ratio:.2}x (target <= {target}x) {}",
            ours.as_secs_f64() * 1e3,
            floor.as_secs_f64() * 1e3,
            if ratio <= target { "ok" } else { "OVER" }
        );
    };
    println!("best of {RUNS} runs each");
    line("CSV", csv_ours, csv_base, 1.5);
    line("XLSX", xlsx_ours, xlsx_base, 1.3);
    if let Some(storing) = storing {
        print!(
            "storing {ROWS} rows alone (the CSV floor's inserts, rows in memory): {:.1} ms",
            ms(storing)
        );
        match xlsx_base {
            Some(base) => println!(" = {:.2}x the XLSX floor", ms(storing) / ms(base)),
            None => println!(),
        }
    }
}
