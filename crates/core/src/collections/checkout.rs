//! CinetPay's hosted payment form is reached by a browser POST (document 002) and must not be
//! framed. Guichet writes a small page that submits the signed form by itself and opens it in
//! the system browser. The page holds no secret: only the payment's fields and its signature.

use crate::{CoreError, Guichet, Result};

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
        std::fs::create_dir_all(&dir)
            .map_err(|e| CoreError::Io(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(format!("{reference}.html"));
        std::fs::write(&path, checkout_html(action, fields))
            .map_err(|e| CoreError::Io(format!("cannot write {}: {e}", path.display())))?;
        let path = path.canonicalize().unwrap_or(path);
        url::Url::from_file_path(&path)
            .map(|u| u.to_string())
            .map_err(|_| CoreError::Io(format!("{} is not an absolute path", path.display())))
    }

    /// Opens a collection's link (paylink, SOFTSYSTEM page, CinetPay page) in the system
    /// browser; returns what was opened.
    pub fn open_collection(&self, id: i64) -> Result<String> {
        let row = guichet_store::collections::get(&self.store.conn(), id)?;
        let Some(link) = row.link else {
            return Err(CoreError::invalid(
                "id",
                format!("collection {} has no link to open", row.reference),
            ));
        };
        open_in_browser(&link)?;
        Ok(link)
    }
}

/// Opens `target` (an http(s) or file URL) with the system's default browser.
pub fn open_in_browser(target: &str) -> Result<()> {
    if !(target.starts_with("https://")
        || target.starts_with("http://")
        || target.starts_with("file://"))
    {
        return Err(CoreError::invalid(
            "link",
            format!("`{target}` is not a web address"),
        ));
    }
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
    use super::checkout_html;

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
}
