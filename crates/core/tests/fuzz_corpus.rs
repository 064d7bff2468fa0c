//! The fuzz targets (`fuzz/`) on their committed corpus, in the normal test run: the inputs the
//! fuzzer kept (and any crash it found, once fixed) stay regression tests, and the targets keep
//! compiling without the nightly toolchain cargo-fuzz needs.

#[path = "../../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(
            outcome.is_ok(),
            "fuzz/corpus/{target}/{:?} panics",
            path.file_name().unwrap()
        );
        n += 1;
    }
    assert!(n > 0, "no corpus for {target}");
}

#[test]
fn amount_corpus() {
    replay("amount", targets::amount);
}

#[test]
fn phone_corpus() {
    replay("phone", targets::phone);
}

#[test]
fn cinetpay_transfer_corpus() {
    replay("cinetpay_transfer", targets::cinetpay_transfer);
}

#[test]
fn cinetpay_payment_corpus() {
    replay("cinetpay_payment", targets::cinetpay_payment);
}

#[test]
fn mycoolpay_corpus() {
    replay("mycoolpay", targets::mycoolpay);
}

#[test]
fn softsystem_corpus() {
    replay("softsystem", targets::softsystem);
}

#[test]
fn tabular_corpus() {
    replay("tabular", targets::tabular);
}

#[test]
fn callback_corpus() {
    replay("callback", targets::callback);
}
