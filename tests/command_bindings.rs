//! The UI's typed calls to the commands, generated from the commands' own signatures in
//! `src-tauri/src/commands/*.rs`: a command's name, its arguments (camelCase, as Tauri reads
//! them) and its result are what TypeScript sees. `UPDATE_BINDINGS=1 cargo test -p guichet-app
//! --test command_bindings` rewrites `ui/src/bindings/commands.ts`; without it the test fails
//! when the file is stale. The types themselves come from the ts-rs bindings (`./index`).

use std::collections::BTreeSet;
use std::path::Path;
use syn::{FnArg, GenericArgument, Item, PathArguments, ReturnType, Type};

const OUT: &str = "ui/src/bindings/commands.ts";

/// Arguments Tauri fills itself: not sent by the webview.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

struct Command {
    name: String,
    args: Vec<(String, String, bool)>,
    result: String,
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn generic(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The TypeScript of a Rust type; the names of the bindings' types it uses go to `used`.
fn ts(ty: &Type, used: &mut BTreeSet<String>) -> String {
    match ty {
        Type::Reference(r) => ts(&r.elem, used),
        Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        Type::Tuple(t) => {
            let items: Vec<_> = t.elems.iter().map(|e| ts(e, used)).collect();
            format!("[{}]", items.join(", "))
        }
        Type::Path(p) => {
            let last = p.path.segments.last().expect("a type name");
            let name = last.ident.to_string();
            let inner = generic(&last.arguments);
            match name.as_str() {
                "String" | "str" | "PathBuf" | "Path" => "string".into(),
                "bool" => "boolean".into(),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize"
                | "f32" | "f64" => "number".into(),
                "Option" => format!("{} | null", ts(inner[0], used)),
                "Vec" => {
                    let item = ts(inner[0], used);
                    if item.contains(' ') {
                        format!("({item})[]")
                    } else {
                        format!("{item}[]")
                    }
                }
                "CmdResult" | "Result" => ts(inner[0], used),
                _ => {
                    used.insert(name.clone());
                    if inner.is_empty() {
                        name
                    } else {
                        let items: Vec<_> = inner.iter().map(|t| ts(t, used)).collect();
                        format!("{name}<{}>", items.join(", "))
                    }
                }
            }
        }
        _ => panic!("a command argument or result of a kind Guichet does not send"),
    }
}

fn injected(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(r) => &*r.elem,
        t => t,
    };
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())))
}

fn commands(dir: &Path, used: &mut BTreeSet<String>) -> Vec<Command> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&source).unwrap();
        for item in parsed.items {
            let Item::Fn(f) = item else { continue };
            let is_command = f.attrs.iter().any(|a| {
                let path = a.path();
                path.segments.len() == 2
                    && path.segments[0].ident == "tauri"
                    && path.segments[1].ident == "command"
            });
            if !is_command {
                continue;
            }
            let mut args = Vec::new();
            for input in &f.sig.inputs {
                let FnArg::Typed(arg) = input else { continue };
                if injected(&arg.ty) {
                    continue;
                }
                let syn::Pat::Ident(name) = &*arg.pat else {
                    panic!("{}: an argument without a name", f.sig.ident)
                };
                let optional = matches!(&*arg.ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
                args.push((camel(&name.ident.to_string()), ts(&arg.ty, used), optional));
            }
            // Trailing optional arguments may be left out (Tauri reads a missing one as None).
            let mut trailing = true;
            for a in args.iter_mut().rev() {
                trailing &= a.2;
                a.2 = trailing;
            }
            let result = match &f.sig.output {
                ReturnType::Default => "null".into(),
                ReturnType::Type(_, ty) => ts(ty, used),
            };
            out.push(Command {
                name: f.sig.ident.to_string(),
                args,
                result,
            });
        }
    }
    out
}

fn generated(root: &Path) -> String {
    let mut used = BTreeSet::new();
    let commands = commands(&root.join("src-tauri/src/commands"), &mut used);
    let mut out = String::from(
        "// Generated from src-tauri/src/commands/*.rs by `UPDATE_BINDINGS=1 cargo test -p guichet-app --test\n\
         // command_bindings`. Do not edit: change the command in Rust and generate again.\n\
         import { invoke } from \"@tauri-apps/api/core\";\n",
    );
    if !used.is_empty() {
        let names: Vec<_> = used.into_iter().collect();
        out.push_str(&format!(
            "import type {{ {} }} from \"./index\";\n",
            names.join(", ")
        ));
    }
    out.push_str("\nexport const commands = {\n");
    for c in &commands {
        let params: Vec<_> = c
            .args
            .iter()
            .map(|(n, t, optional)| format!("{n}{}: {t}", if *optional { "?" } else { "" }))
            .collect();
        let names: Vec<_> = c.args.iter().map(|(n, _, _)| n.as_str()).collect();
        let body = if names.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", names.join(", "))
        };
        out.push_str(&format!(
            "  {}: ({}) => invoke<{}>(\"{}\"{body}),\n",
            camel(&c.name),
            params.join(", "),
            c.result,
            c.name
        ));
    }
    out.push_str("};\n");
    out
}

/// Every command the app registers is one the UI can call, and the other way round.
#[test]
fn every_registered_command_is_generated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    let made: BTreeSet<_> = commands(&root.join("src-tauri/src/commands"), &mut used)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let lib = std::fs::read_to_string(root.join("src-tauri/src/lib.rs")).unwrap();
    let list = lib
        .split("generate_handler![")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("the handler list");
    let registered: BTreeSet<_> = list
        .split(',')
        .filter_map(|p| p.trim().rsplit("::").next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(made, registered);
}

#[test]
fn the_ui_calls_the_commands_as_rust_declares_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = generated(root);
    let path = root.join(OUT);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{OUT} is stale: run `UPDATE_BINDINGS=1 cargo test -p guichet-app --test command_bindings`"
    );
}
