//! No Tauri command and no event can hand a secret to the webview: every type a command returns
//! (read from `src-tauri/src/commands/`) or an event carries, followed through the generated
//! bindings (`ui/src/bindings/index.ts`), has no field that could hold a secret's value.

use std::collections::{BTreeMap, BTreeSet};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Field names that would carry a secret.
fn sounds_secret(field: &str) -> bool {
    let f = field.to_ascii_lowercase();
    [
        "secret", "password", "passwd", "private", "api_key", "apikey", "token",
    ]
    .iter()
    .any(|w| f.contains(w))
}

/// Fields allowed despite their name, and why.
const ALLOWED: [(&str, &str, &str); 1] = [(
    "ProviderInfo",
    "secrets",
    "the names of the secrets a provider needs (`api_key`…), not their values",
)];

/// `export type Name = body;` → name → body, comments removed.
fn bindings(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut clean = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        clean.push_str(&rest[..start]);
        rest = rest[start..].split_once("*/").map_or("", |(_, r)| r);
    }
    clean.push_str(rest);
    for chunk in clean.split("export type ").skip(1) {
        if let Some((name, body)) = chunk.split_once(" = ") {
            let body = body.trim().trim_end_matches(';');
            // `Page<T>` is keyed as `Page`: commands name it with its argument.
            let name = name.split('<').next().unwrap_or(name).trim();
            out.insert(name.to_string(), body.to_string());
        }
    }
    out
}

/// The `name: type` fields of a type body (every object literal in it, unions included).
fn fields(body: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() || chars[i] == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let mut j = i;
            if j < chars.len() && chars[j] == '?' {
                j += 1;
            }
            let before = chars[..start].iter().rev().find(|c| !c.is_whitespace());
            if j < chars.len() && chars[j] == ':' && matches!(before, Some('{') | Some(',')) {
                let mut depth = 0i32;
                let mut k = j + 1;
                while k < chars.len() {
                    match chars[k] {
                        '{' | '<' | '[' | '(' => depth += 1,
                        '}' | '>' | ']' | ')' if depth == 0 => break,
                        '}' | '>' | ']' | ')' => depth -= 1,
                        ',' if depth == 0 => break,
                        _ => {}
                    }
                    k += 1;
                }
                out.push((
                    name,
                    chars[j + 1..k]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .to_string(),
                ));
                i = k;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Capitalised identifiers in a piece of type text.
fn type_names(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(String::from)
        .collect()
}

/// Every problem reachable from `roots`.
fn check(defs: &BTreeMap<String, String>, roots: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.to_vec();
    let mut problems = Vec::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(body) = defs.get(&name) else {
            continue;
        };
        for (field, ty) in fields(body) {
            let allowed = ALLOWED.iter().any(|(t, f, _)| *t == name && *f == field);
            let only_flags_or_types = ty == "boolean"
                || type_names(&ty).iter().any(|t| defs.contains_key(t))
                    && !ty.contains("string")
                    && !ty.contains("number");
            if sounds_secret(&field) && !allowed && !only_flags_or_types {
                problems.push(format!("{name}.{field}: {ty}"));
            }
            todo.extend(type_names(&ty));
        }
        todo.extend(type_names(body));
    }
    problems
}

/// Types the Tauri commands return (`CmdResult<T>` or `-> T`).
fn command_return_types() -> Vec<String> {
    let dir = format!("{ROOT}/src-tauri/src/commands");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for item in text.split("#[tauri::command]").skip(1) {
            let signature = item.split('{').next().unwrap_or_default();
            if let Some((_, ret)) = signature.rsplit_once("->") {
                out.extend(type_names(ret).into_iter().filter(|t| {
                    !matches!(
                        t.as_str(),
                        "CmdResult" | "Vec" | "Option" | "Result" | "String"
                    )
                }));
            }
        }
    }
    out
}

#[test]
fn no_command_or_event_can_carry_a_secret_to_the_webview() {
    let defs =
        bindings(&std::fs::read_to_string(format!("{ROOT}/ui/src/bindings/index.ts")).unwrap());
    let mut roots = command_return_types();
    assert!(
        roots.iter().any(|t| t == "AccountView"),
        "commands found: {roots:?}"
    );
    assert!(
        roots.iter().any(|t| t == "PayoutDetail"),
        "commands found: {roots:?}"
    );
    for t in &roots {
        assert!(
            defs.contains_key(t),
            "command return type {t} is not in the bindings"
        );
    }
    roots.push("CoreEvent".into());
    let problems = check(&defs, &roots);
    assert!(
        problems.is_empty(),
        "fields that could carry a secret to the UI: {problems:?}"
    );
}

#[test]
fn the_check_would_see_a_secret_field() {
    let defs = bindings(
        "export type A = { id: number, inner: B, list: Array<C>, };\n\n\
         export type B = { name: string, set: boolean, };\n\n\
         export type C = { \"kind\": \"x\", private_key: string | null, } | { \"kind\": \"y\" };\n",
    );
    assert_eq!(
        check(&defs, &["A".into()]),
        ["C.private_key: string | null"]
    );
    let token = bindings("export type T = { label: string, /** a token */ token?: string, };\n");
    assert_eq!(check(&token, &["T".into()]), ["T.token: string"]);
}
