//! What the command-line tests share: `guichet sandbox` as its own process, and `guichet` run
//! against a data directory the way a merchant's script runs it.
// Each test binary uses the part it needs.
#![allow(dead_code)]

use std::borrow::Borrow;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub struct Sandbox(Child, pub serde_json::Value);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

pub fn sandbox() -> Sandbox {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["--json", "sandbox"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    while !text.trim_end().ends_with('}') {
        reader.read_line(&mut text).unwrap();
    }
    Sandbox(child, serde_json::from_str(&text).unwrap())
}

impl Sandbox {
    /// Adds the sandbox's demo CinetPay merchant to the data directory `dir` as account
    /// `label`, its callbacks sent back to the sandbox.
    pub fn add_cinetpay(&self, dir: &Path, label: &str) {
        let demo = &self.1;
        let text = |k: &str| demo[k].as_str().unwrap();
        add_cinetpay_account(
            dir,
            label,
            text("base_url"),
            text("cinetpay_site_id"),
            text("cinetpay_api_key"),
            text("cinetpay_transfer_password"),
        );
    }

    /// Adds the sandbox's demo My-CoolPay merchant to the data directory `dir` as account
    /// `label`.
    pub fn add_mycoolpay(&self, dir: &Path, label: &str) {
        let demo = &self.1;
        let text = |k: &str| demo[k].as_str().unwrap();
        add_mycoolpay_account(
            dir,
            label,
            text("base_url"),
            text("mycoolpay_public_key"),
            text("mycoolpay_private_key"),
        );
    }
}

/// Adds a CinetPay account `label` to `dir` through `guichet account add`, secrets on standard
/// input, its notifications sent to `base`'s `/notify`.
pub fn add_cinetpay_account(
    dir: &Path,
    label: &str,
    base: &str,
    site_id: &str,
    api_key: &str,
    transfer_password: &str,
) {
    ok(guichet(
        dir,
        &[
            "account",
            "add",
            "--provider",
            "cinetpay",
            "--label",
            label,
            "--site-id",
            site_id,
            "--base-url",
            base,
            "--notify-url",
            &format!("{base}/notify"),
            "--secrets-stdin",
        ],
        &format!("api_key={api_key}\ntransfer_password={transfer_password}\n"),
    ));
}

/// Adds a My-CoolPay account `label` to `dir` through `guichet account add`, its private key on
/// standard input.
pub fn add_mycoolpay_account(
    dir: &Path,
    label: &str,
    base: &str,
    public_key: &str,
    private_key: &str,
) {
    ok(guichet(
        dir,
        &[
            "account",
            "add",
            "--provider",
            "mycoolpay",
            "--label",
            label,
            "--public-key",
            public_key,
            "--base-url",
            base,
            "--secrets-stdin",
        ],
        &format!("private_key={private_key}\n"),
    ));
}

pub fn guichet(dir: &Path, args: &[&str], stdin: &str) -> Output {
    guichet_env(dir, args, stdin, &[])
}

/// `guichet --data-dir DIR ARGS…` with `stdin` typed in and `env` added to its environment
/// (a data directory set in the caller's environment is not inherited).
pub fn guichet_env(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("GUICHET_DATA_DIR")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// What a run that must succeed printed.
pub fn ok(o: impl Borrow<Output>) -> String {
    let o = o.borrow();
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// What a run that must fail said on stderr.
pub fn err(o: impl Borrow<Output>) -> String {
    let o = o.borrow();
    assert!(
        !o.status.success(),
        "unexpectedly succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stderr.clone()).unwrap()
}
