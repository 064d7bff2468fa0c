//! CinetPay's hosted payment form is reached by a browser POST (document 002) and must not be
//! framed. Guichet writes a small page that submits the signed form by itself and opens it in
//! the system browser. The page holds no secret: only the payment's fields and its signature.

use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use std::path::Path;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The auto-submitting page for a signed CinetPay form.
pub(crate) fn checkout_html(action: &str, fields: &[(&'static str, String)]) -> String {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>CinetPay</title>\
         <body onload=\"document.forms[0].submit()\" style=\"font-family:sans-serif;margin:3rem\">\
         <form method=\"post\" action=\"{}\">{inputs}\
         <p>Redirection vers la page de paiement CinetPay…</p>\
         <button type=\"submit\">Continuer vers CinetPay</button></form></body></html>",
        escape(action)
    )
}

impl Guichet {
    /// Writes the page under the data directory and returns its `file://` address.
    pub(crate) fn write_checkout_page(
        &self,
        reference: &str,
        action: &str,
        fields: &[(&'static str, String)],
    ) -> Result<String> {
        let dir = self.data_dir().join("checkout");
        guichet_store::private::create_dir(&dir)
            .map_err(|e| CoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(format!("{reference}.html"));
        guichet_store::private::write_file(&path, checkout_html(action, fields).as_bytes())
            .map_err(|e| CoreError::Io(format!("cannot write {}: {e}", path.display())))?;
        let path = path.canonicalize().unwrap_or(path);
        url::Url::from_file_path(&path)
            .map(|u| u.to_string())
            .map_err(|_| CoreError::Io(format!("{} is not an absolute path", path.display())))
    }

    /// Opens a collection's link (paylink, SOFTSYSTEM page, CinetPay page) in the system
    /// browser; returns what was opened. Links come from providers' answers: only the ones
    /// [`may_open`] accepts reach the browser.
    pub fn open_collection(&self, id: i64) -> Result<String> {
        self.require(crate::people::Action::Read)?;
        let row = self.store.collections().get(id)?;
        let Some(link) = row.link else {
            return Err(CoreError::invalid(
                "id",
                Invalid::WrongState {
                    reference: row.reference.clone(),
                },
                format!("collection {} has no link to open", row.reference),
            ));
        };
        let account = self.store.accounts().get(row.account_id)?;
        let local_simulator = account
            .base_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .is_some_and(|u| u.scheme() == "http" && crate::accounts::is_loopback_host(&u));
        if !may_open(&link, &self.data_dir().join("checkout"), local_simulator) {
            return Err(CoreError::invalid(
                "link", Invalid::LinkRefused,
                format!(
                    "the link of collection {} is not opened: only https:// addresses and Guichet's own checkout pages are",
                    row.reference
                ),
            ));
        }
        open_in_browser(&link)?;
        Ok(link)
    }
}

/// Whether a link may be handed to the browser: an `https://` address; a checkout page Guichet
/// wrote itself (a `file://` page in `checkout_dir`); or, for an account pointed at a simulator
/// on this machine, that simulator's `http://` page on the loopback. Never another scheme
/// (`file:///etc/…`, `javascript:`, `smb://`…): the browser would open whatever it names.
pub fn may_open(link: &str, checkout_dir: &Path, local_simulator: bool) -> bool {
    let Ok(url) = url::Url::parse(link) else {
        return false;
    };
    match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => local_simulator && crate::accounts::is_loopback_host(&url),
        "file" => {
            let (Ok(path), Ok(dir)) = (url.to_file_path(), checkout_dir.canonicalize()) else {
                return false;
            };
            path.canonicalize().is_ok_and(|p| {
                p.parent() == Some(dir.as_path()) && p.extension().is_some_and(|e| e == "html")
            })
        }
        _ => false,
    }
}

/// Opens `target` with the system's default browser (callers check it with [`may_open`]).
fn open_in_browser(target: &str) -> Result<()> {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        // Reaped in the background: the opener returns at once or lives as the browser.
        .map(|mut child| {
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| CoreError::Io(format!("cannot open the browser: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{checkout_html, may_open};

    #[test]
    fn the_page_posts_every_field_escaped_and_submits_itself() {
        let html = checkout_html(
            "https://secure.cinetpay.com/",
            &[("cpm_designation", "Pagne \"wax\" & <co>".into())],
        );
        assert!(html.contains("action=\"https://secure.cinetpay.com/\""));
        assert!(html.contains("value=\"Pagne &quot;wax&quot; &amp; &lt;co&gt;\""));
        assert!(html.contains("onload=\"document.forms[0].submit()\""));
        assert!(!html.contains("<iframe"));
    }

    #[test]
    fn only_https_and_guichets_own_checkout_pages_are_opened() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join("checkout");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("GCH1.html"), "<p>").unwrap();
        std::fs::write(data.path().join("guichet.db"), "").unwrap();
        let page = url::Url::from_file_path(dir.join("GCH1.html")).unwrap();
        let db = url::Url::from_file_path(data.path().join("guichet.db")).unwrap();
        let sideways = format!(
            "{}/../guichet.db",
            url::Url::from_directory_path(&dir).unwrap()
        );
        for (link, local, expected) in [
            ("https://checkout.cinetpay.com/pay/1", false, true),
            (page.as_str(), false, true),
            ("http://checkout.cinetpay.com/pay/1", false, false),
            ("http://127.0.0.1:8080/pay/1", false, false),
            ("http://127.0.0.1:8080/pay/1", true, true),
            ("http://[::1]:8080/pay/1", true, true),
            ("http://evil.example/pay/1", true, false),
            ("file:///etc/passwd", false, false),
            (db.as_str(), false, false),
            (sideways.as_str(), false, false),
            ("javascript:alert(1)", false, false),
            ("smb://server/share", false, false),
            ("ms-settings:", false, false),
            ("", false, false),
        ] {
            assert_eq!(
                may_open(link, &dir, local),
                expected,
                "{link} (local simulator: {local})"
            );
        }
    }
}
