//! Importing 100,000 contacts: read, normalise, validate and store, beside its floor.
//!
//! - CSV floor: the csv crate reading the same file plus a bare prepared-statement insert of
//!   the same rows in one transaction, into the same database (WAL, synchronous=FULL).
//! - XLSX floor: calamine alone reading the same workbook.
//!
//! Also printed, for reading the XLSX figure: Guichet reading and checking the workbook alone
//! (the preview, nothing stored), and Guichet storing the same rows alone, already in memory
//! (the part of any import that is storing, not reading), with and without the name indexes
//! the contact list needs.
//!
//! Each figure is the best wall time of 5 runs; the parts run in turn, round after round, so a
//! figure and its floor meet the same load on a shared machine. Beside each, the CPU time the
//! process spent (all threads): steadier under load, but not the figure.
//!
//! `cargo bench -p guichet-core --bench contacts_import` prints each figure beside its floor.
//! Results are recorded in docs/contacts.md. For profiling one part alone, name the parts to
//! run after `--`: `csv-floor`, `csv`, `xlsx-floor`, `xlsx`, `xlsx-read`, `store`,
//! `store-no-names` (e.g. `-- xlsx`).

use guichet_core::contacts::ImportOptions;
use guichet_core::Guichet;
use guichet_store::accounts::{self, AccountFields};
use guichet_store::bulk;
use guichet_store::contacts::{self, NewContact};
use guichet_store::Store;
use guichet_types::{Country, Currency, Provider};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::{load_average, process_cpu};

// The allocator the app and the CLI ship with, so that the figures are theirs (the floors run in
// the same process, with the same allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROWS: usize = 100_000;
const RUNS: usize = 5;

/// One run: its wall time (the figure) and the CPU time the process spent in it (every thread;
/// less sensitive than wall time to other work on the machine, but not the figure).
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

struct Clock {
    wall: Instant,
    cpu: Duration,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: process_cpu(),
        }
    }

    fn stop(self) -> Sample {
        Sample {
            wall: self.wall.elapsed(),
            cpu: process_cpu() - self.cpu,
        }
    }
}

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
fn csv_floor(file: &Path, dir: &Path) -> Sample {
    let store = Store::open(dir.join("floor.db")).unwrap();
    let mut conn = store.conn();
    let account_id = accounts::insert(&conn, &account()).unwrap().id;
    let clock = Clock::start();
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
    clock.stop()
}

/// Guichet storing the same rows, already read and checked (in memory), into a fresh
/// database as an import does: one bulk write, the list's indexes set aside and built again
/// before the commit (the table is empty), 512 rows at a time, 64 per statement. The least any
/// import that keeps its contacts costs, with nothing read.
fn store_alone(file: &Path, dir: &Path, name_indexes: bool) -> Sample {
    let store = Store::open(dir.join("store.db")).unwrap();
    let conn = store.conn();
    let account_id = accounts::insert(&conn, &account()).unwrap().id;
    if !name_indexes {
        conn.execute_batch("DROP INDEX contacts_by_name; DROP INDEX contacts_by_account_name")
            .unwrap();
    }
    let rows: Vec<NewContact> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(file)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            NewContact {
                account_id,
                prefix: "225".into(),
                phone: r[2].replace(' ', ""),
                name: r[0].into(),
                surname: r[1].into(),
                email: r[3].into(),
                operator: Some("Orange".into()),
            }
        })
        .collect();
    let now = guichet_store::now_utc();
    let clock = Clock::start();
    bulk::write(&conn, |bulk| {
        bulk.set_aside_indexes("contacts")?;
        for batch in rows.chunks(512) {
            contacts::insert_new(bulk, batch, &now)?;
        }
        Ok::<_, guichet_store::StoreError>(())
    })
    .unwrap();
    clock.stop()
}

/// The floor for XLSX: calamine alone reading the sheet.
fn xlsx_floor(file: &Path) -> Sample {
    use calamine::Reader;
    let clock = Clock::start();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(file).unwrap();
    let range = wb.worksheet_range("Sheet1").unwrap();
    let cells = range.used_cells().count();
    assert!(cells >= ROWS * 4);
    clock.stop()
}

/// Guichet reading and checking alone, storing nothing: the preview, and the reading side of an
/// import (which stores on another thread as it reads).
fn read_alone(file: &Path, dir: &Path) -> Sample {
    let g = Guichet::open(dir).unwrap();
    g.store.accounts_mut().insert(&account()).unwrap();
    let clock = Clock::start();
    let preview = g
        .preview_contacts("Bench", file, &ImportOptions::default())
        .unwrap();
    let sample = clock.stop();
    assert_eq!(preview.totals.new as usize, ROWS);
    sample
}

/// Guichet: read, normalise, validate and store, into a fresh data directory.
fn import(file: &Path, dir: &Path) -> Sample {
    let g = Guichet::open(dir).unwrap();
    g.store.accounts_mut().insert(&account()).unwrap();
    let clock = Clock::start();
    let done = g
        .stage_contacts("Bench", file, &ImportOptions::default())
        .unwrap();
    let sample = clock.stop();
    assert_eq!(done.totals.new as usize, ROWS, "{:?}", done.totals);
    // The search index is filled on a thread of its own once the import has committed; it is
    // not part of the import, but left running it would slow the runs measured after this one.
    let indexing = Instant::now();
    while g.store.contacts().behind().unwrap() {
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "  (the search index caught up {:.1} ms after the import)",
        indexing.elapsed().as_secs_f64() * 1e3
    );
    sample
}

/// The runs of one part: the best wall time and the best CPU time.
struct Runs(Vec<Sample>);

impl Runs {
    fn best(&self) -> Sample {
        Sample {
            wall: self.0.iter().map(|s| s.wall).min().unwrap(),
            cpu: self.0.iter().map(|s| s.cpu).min().unwrap(),
        }
    }
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
    type Part<'a> = (&'a str, Box<dyn Fn(usize) -> Sample + 'a>);
    let parts: Vec<Part> = vec![
        (
            "csv-floor",
            Box::new(|i| csv_floor(&csv_file, &dir("csv-floor", i))),
        ),
        ("csv", Box::new(|i| import(&csv_file, &dir("csv", i)))),
        ("xlsx-floor", Box::new(|_| xlsx_floor(&xlsx_file))),
        ("xlsx", Box::new(|i| import(&xlsx_file, &dir("xlsx", i)))),
        (
            "xlsx-read",
            Box::new(|i| read_alone(&xlsx_file, &dir("xlsx-read", i))),
        ),
        (
            "store",
            Box::new(|i| store_alone(&csv_file, &dir("store", i), true)),
        ),
        (
            "store-no-names",
            Box::new(|i| store_alone(&csv_file, &dir("store-no-names", i), false)),
        ),
    ];
    let load_before = load_average();
    // Each round runs every part once, so that a figure and its floor meet the same load on a
    // shared machine, rather than one all of its runs before the other.
    let mut runs: std::collections::HashMap<&str, Runs> = Default::default();
    for i in 0..RUNS {
        for (name, part) in parts.iter().filter(|(name, _)| run(name)) {
            let sample = part(i);
            runs.entry(*name).or_insert(Runs(Vec::new())).0.push(sample);
        }
    }
    let best = |part: &str| runs.get(part).map(Runs::best);
    let (csv_base, csv_ours) = (best("csv-floor"), best("csv"));
    let (xlsx_base, xlsx_ours) = (best("xlsx-floor"), best("xlsx"));
    let (reading, storing) = (best("xlsx-read"), best("store"));
    let storing_bare = best("store-no-names");

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let line = |what: &str, ours: Option<Sample>, floor: Option<Sample>, target: f64| {
        let (Some(ours), Some(floor)) = (ours, floor) else {
            for (part, d) in [("guichet", ours), ("floor", floor)] {
                if let Some(d) = d {
                    println!("{what:<5} {ROWS} rows: {part} {:>7.1} ms", ms(d.wall));
                }
            }
            return;
        };
        let ratio = ms(ours.wall) / ms(floor.wall);
        println!(
            "{what:<5} {ROWS} rows: guichet {:>7.1} ms   floor {:>7.1} ms   ratio {ratio:.2}x (target <= {target}x) {}   (CPU {:.0} ms / {:.0} ms = {:.2}x)",
            ms(ours.wall),
            ms(floor.wall),
            if ratio <= target { "ok" } else { "OVER" },
            ms(ours.cpu),
            ms(floor.cpu),
            ms(ours.cpu) / ms(floor.cpu),
        );
    };
    println!("best of {RUNS} runs each, the parts run in turn; load average {load_before} before, {} after", load_average());
    line("CSV", csv_ours, csv_base, 1.5);
    line("XLSX", xlsx_ours, xlsx_base, 1.3);
    let beside_floor = |what: &str, s: Sample| {
        print!("{what}: {:.1} ms (CPU {:.0} ms)", ms(s.wall), ms(s.cpu));
        match xlsx_base {
            Some(base) => println!(" = {:.2}x the XLSX floor", ms(s.wall) / ms(base.wall)),
            None => println!(),
        }
    };
    if let Some(reading) = reading {
        beside_floor(
            "reading and checking the XLSX alone (the preview, nothing stored)",
            reading,
        );
    }
    if let Some(storing) = storing {
        beside_floor(
            &format!("storing {ROWS} rows alone (Guichet's bulk write, rows in memory)"),
            storing,
        );
    }
    if let Some(storing) = storing_bare {
        beside_floor(
            "the same without the two name indexes the contact list is paged from",
            storing,
        );
    }
}
