//! 1,000,000 payouts to CSV: Guichet's export beside its floor, the csv crate writing the same
//! rows read by a bare query (no BOM, no local dates, no neutralising, no status words).
//! Each side runs in its own child process so that its peak memory (VmHWM) is its own.
//! `cargo bench -p guichet-core --bench export` (ROWS=200000 for a quicker run).

use guichet_core::books::export::{Dataset, ExportRequest};
use guichet_core::Guichet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let (side, dir, out) = (
            &args[i + 1],
            PathBuf::from(&args[i + 2]),
            PathBuf::from(&args[i + 3]),
        );
        let t = Instant::now();
        let rows = match side.as_str() {
            "guichet" => guichet(&dir, &out),
            _ => floor(&dir, &out),
        };
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!("{ms:.0} {} {rows} {bytes}", peak_kib());
        return;
    }
    // `cargo bench` passes `--bench`; anything else is ignored.
    let rows: i64 = std::env::var("ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    seed(dir.path(), rows);
    println!(
        "seeded {rows} payouts in {:.1} s ({} MB database)",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(dir.path().join("guichet.db"))
            .unwrap()
            .len()
            / 1_000_000
    );

    let mut best = [(f64::MAX, 0u64, 0u64, 0u64); 2];
    for run in 0..RUNS {
        for (i, side) in ["floor", "guichet"].iter().enumerate() {
            let out = dir.path().join(format!("{side}.csv"));
            let o = Command::new(std::env::current_exe().unwrap())
                .args(["--child", side])
                .arg(dir.path())
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let line = String::from_utf8(o.stdout).unwrap();
            let v: Vec<f64> = line
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            assert_eq!(v[2] as i64, rows, "{side} wrote every row");
            eprintln!(
                "run {}: {side:<8} {:>6.0} ms  peak {:>6.1} MB",
                run + 1,
                v[0],
                v[1] / 1024.0
            );
            if v[0] < best[i].0 {
                best[i] = (v[0], v[1] as u64, v[2] as u64, v[3] as u64);
            }
            let _ = std::fs::remove_file(&out);
        }
    }
    let [(floor_ms, floor_kib, _, floor_bytes), (ours_ms, ours_kib, _, ours_bytes)] = best;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "\n{rows} payouts to CSV, best of {RUNS} (each side in its own process)"
    );
    let _ = writeln!(
        out,
        "{:<34} {:>10} {:>12} {:>10}",
        "", "time", "peak memory", "file"
    );
    for (name, ms, kib, bytes) in [
        (
            "floor: bare query + csv crate",
            floor_ms,
            floor_kib,
            floor_bytes,
        ),
        (
            "guichet export payouts (CSV)",
            ours_ms,
            ours_kib,
            ours_bytes,
        ),
    ] {
        let _ = writeln!(
            out,
            "{name:<34} {:>8.2} s {:>9.1} MB {:>7} MB",
            ms / 1000.0,
            kib as f64 / 1024.0,
            bytes / 1_000_000
        );
    }
    let ratio = ours_ms / floor_ms;
    let _ = writeln!(
        out,
        "ratio {ratio:.2}× the floor (target ≤ 1.50×): {}",
        if ratio <= 1.5 { "met" } else { "NOT met" }
    );
}

/// One CinetPay account and `rows` payouts spread over 30 days, as the payouts flow records them.
fn seed(dir: &Path, rows: i64) {
    let g = Guichet::open(dir).unwrap();
    let mut conn = g.store.conn();
    conn.execute(
        "INSERT INTO accounts (label, provider, currency, country, site_id, created_at, updated_at)
         VALUES ('Abidjan', 'cinetpay', 'XOF', 'CI', '445160', '2026-11-01T00:00:00.000Z',
                 '2026-11-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO payouts (account_id, reference, prefix, phone, name, operator, reason, amount,
             currency, status, provider_ref, lot, provider_status, created_at, updated_at,
             submitted_at, final_at)
         SELECT 1, 'GCH19A4F' || printf('%08d', i), '225', '07' || printf('%08d', i),
             'Bénéficiaire n° ' || i, 'OM', 'Salaire novembre', 200 + 5 * (i % 10000), 'XOF',
             CASE WHEN i % 10 = 0 THEN 'rejected' ELSE 'succeeded' END, 'EA2611' || i,
             'LOT' || (i / 50), CASE WHEN i % 10 = 0 THEN 'REJ' ELSE 'VAL' END,
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || (i * 2) || ' seconds'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || (i * 2 + 1) || ' seconds'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || (i * 2) || ' seconds'),
             strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || (i * 2 + 1) || ' seconds')
         FROM n",
        [rows],
    )
    .unwrap();
    tx.commit().unwrap();
}

fn guichet(dir: &Path, out: &Path) -> u64 {
    let g = Guichet::open(dir).unwrap();
    let req = ExportRequest {
        dataset: Some(Dataset::Payouts),
        utc_offset_minutes: Some(0),
        ..Default::default()
    };
    g.export(&req, out).unwrap().rows
}

/// The same rows, the same columns, written as they are stored.
fn floor(dir: &Path, out: &Path) -> u64 {
    let conn = rusqlite::Connection::open_with_flags(
        dir.join("guichet.db"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT t.id, t.created_at, a.label, a.provider, t.reference, t.provider_ref, t.lot,
                 t.prefix, t.phone, t.name, t.operator, t.reason, t.amount, t.currency, t.status,
                 t.provider_status, t.status_detail, t.submitted_at, t.final_at
             FROM payouts t JOIN accounts a ON a.id = t.account_id ORDER BY t.id",
        )
        .unwrap();
    let file = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(out).unwrap());
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(file);
    let mut rows = stmt.query([]).unwrap();
    let mut n = 0u64;
    let mut buf = String::new();
    while let Some(r) = rows.next().unwrap() {
        for i in 0..19 {
            use rusqlite::types::ValueRef;
            match r.get_ref(i).unwrap() {
                ValueRef::Text(t) => w.write_field(t).unwrap(),
                ValueRef::Integer(v) => {
                    buf.clear();
                    use std::fmt::Write as _;
                    let _ = write!(buf, "{v}");
                    w.write_field(buf.as_bytes()).unwrap();
                }
                _ => w.write_field(b"").unwrap(),
            }
        }
        w.write_record(None::<&[u8]>).unwrap();
        n += 1;
    }
    w.flush().unwrap();
    n
}

/// Peak resident memory of this process, in KiB (Linux `VmHWM`).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
