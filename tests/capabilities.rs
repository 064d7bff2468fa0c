//! The window may call exactly the commands Guichet registers, and nothing it does not use:
//! the command list (src-tauri/commands.rs, from which build.rs makes permissions), the handler
//! registered in src-tauri/src/lib.rs and capabilities/default.json must agree. The CSP must stay
//! strict: no remote origin, no inline or evaluated script.

include!("../src-tauri/commands.rs");

use std::collections::BTreeSet;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn registered() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(root().join("src-tauri/src/lib.rs")).unwrap();
    let start = lib
        .find("generate_handler![")
        .expect("generate_handler! in lib.rs");
    let end = start + lib[start..].find(']').unwrap();
    lib[start..end]
        .split(',')
        .filter_map(|item| item.trim().rsplit("::").next())
        .filter(|name| !name.is_empty() && !name.contains('['))
        .map(str::to_string)
        .collect()
}

fn capability() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("capabilities/default.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_registered_command_is_listed_and_granted_and_nothing_more() {
    let listed: BTreeSet<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        registered(),
        listed,
        "src-tauri/src/lib.rs and src-tauri/commands.rs disagree"
    );
    let granted: BTreeSet<String> = capability()["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(
        granted, listed,
        "capabilities/default.json must grant exactly the commands of src-tauri/commands.rs"
    );
}

#[test]
fn plugins_are_granted_only_what_the_window_uses() {
    let others: Vec<String> = capability()["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.starts_with("allow-"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        others,
        [
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
            "dialog:allow-save"
        ],
        "no `:default` sets: each plugin permission is named for what the UI calls"
    );
}

#[test]
fn the_content_security_policy_allows_no_remote_content() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap())
            .unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for want in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'none'",
    ] {
        assert!(directives.contains(&want), "CSP lacks `{want}`: {csp}");
    }
    for forbidden in ["http:", "https:", "*", "'unsafe-eval'", "ws:", "wss:"] {
        for d in &directives {
            let sources: Vec<&str> = d.split_whitespace().skip(1).collect();
            assert!(
                !sources.iter().any(|s| *s == forbidden
                    || (s.starts_with(forbidden) && !s.starts_with("http://ipc.localhost"))),
                "CSP directive `{d}` allows `{forbidden}`"
            );
        }
    }
    let script = directives
        .iter()
        .find(|d| d.starts_with("script-src"))
        .unwrap();
    assert!(!script.contains("unsafe-inline"), "{script}");
    assert_eq!(conf["app"]["withGlobalTauri"], serde_json::Value::Null);
}
