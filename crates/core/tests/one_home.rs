//! A fourth aggregator touches one adapter folder, one wire module and one enum arm: no code
//! outside those names a provider (or a kind of collection) by its variant. This reads the
//! shipped Rust sources (tests left out) and lists every line that does, outside the places
//! allowed below; the README's "One home per provider" names the same places.

use std::path::{Path, PathBuf};

/// Where a provider's or a kind's variant may be named, and why.
const ALLOWED: &[(&str, &str)] = &[
    ("crates/types/src/provider.rs", "the Provider enum"),
    ("crates/store/src/collections.rs", "the CollectionKind enum"),
    (
        "crates/core/src/adapters/mod.rs",
        "the one match: adapter(p)",
    ),
    (
        "crates/core/src/adapters/cinetpay/",
        "CinetPay's adapter folder",
    ),
    (
        "crates/core/src/adapters/mycoolpay/",
        "My-CoolPay's adapter folder",
    ),
    (
        "crates/core/src/adapters/softsystem/",
        "SOFTSYSTEM's adapter folder",
    ),
    // Commands of one provider, named for it: a new provider adds none of these.
    (
        "crates/core/src/books/reconcile.rs",
        "reconciles CinetPay transfer statements",
    ),
    (
        "crates/core/src/collections/history.rs",
        "CinetPay's history sync",
    ),
    (
        "crates/core/src/collections/create.rs",
        "collect_payin/paylink/softsystem/cinetpay, one-line commands of one kind",
    ),
];

const VARIANTS: &[&str] = &[
    "Provider::Cinetpay",
    "Provider::Mycoolpay",
    "Provider::Softsystem",
    "CollectionKind::Payin",
    "CollectionKind::Paylink",
    "CollectionKind::Softsystem",
    "CollectionKind::Cinetpay",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The shipped part of a source file: what comes before its unit tests.
fn shipped(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at])
}

#[test]
fn no_code_outside_the_adapters_names_a_provider() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates", "src-tauri/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut found = Vec::new();
    let mut scanned = 0;
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Tests, benches and the simulator's own code are not what a provider adds to.
        if rel.contains("/tests/") || rel.contains("/benches/") || !rel.contains("/src/") {
            continue;
        }
        scanned += 1;
        if ALLOWED.iter().any(|(place, _)| rel.starts_with(place)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in shipped(&text).lines().enumerate() {
            if VARIANTS.iter().any(|v| line.contains(v)) {
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(scanned > 100, "the sources were found ({scanned} files)");
    assert!(
        found.is_empty(),
        "provider variants named outside the adapters:\n{}",
        found.join("\n")
    );
}

#[test]
fn each_providers_demo_account_keeps_its_name() {
    use guichet_core::demo::{demo_label, DEMO_CINETPAY, DEMO_MYCOOLPAY, DEMO_SOFTSYSTEM};
    use guichet_types::Provider;
    assert_eq!(demo_label(Provider::Cinetpay), DEMO_CINETPAY);
    assert_eq!(demo_label(Provider::Mycoolpay), DEMO_MYCOOLPAY);
    assert_eq!(demo_label(Provider::Softsystem), DEMO_SOFTSYSTEM);
}
