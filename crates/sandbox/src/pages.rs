//! The customer-facing checkout pages of the simulated providers: plain HTML where a person (or
//! a test) pays or refuses.

use axum::response::Html;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page titled for `provider`, asking to pay `amount` for `what`; its buttons POST to
/// `{action}/pay` (one per means of payment in `means`, as `?operator=CODE`, or a single one when
/// there is no choice) and `{action}/refuse`.
pub fn checkout(
    provider: &str,
    amount: &str,
    what: &str,
    status: Option<&str>,
    action: &str,
    means: &[(&str, &str)],
) -> Html<String> {
    let status = status
        .map(|s| format!("<p>Statut : {}</p>", escape(s)))
        .unwrap_or_default();
    let pay = if means.is_empty() {
        format!(
            "<form method=\"post\" action=\"{}/pay\"><button>Payer</button></form>",
            escape(action)
        )
    } else {
        means
            .iter()
            .map(|(code, label)| {
                format!(
                    "<form method=\"post\" action=\"{}/pay?operator={}\"><button>Payer avec {}</button></form>",
                    escape(action),
                    escape(code),
                    escape(label)
                )
            })
            .collect()
    };
    Html(format!(
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>{provider} (bac à sable)</title>\
         <body style=\"font-family:sans-serif;max-width:30rem;margin:3rem auto\">\
         <p><strong>Bac à sable</strong> — aucun argent réel.</p>\
         <h1>Payer {amount}</h1><p>{what}</p>{status}{pay}\
         <form method=\"post\" action=\"{action}/refuse\"><button>Refuser</button></form></body></html>",
        provider = escape(provider),
        amount = escape(amount),
        what = escape(what),
        action = escape(action),
    ))
}

/// What the page says once the customer has chosen.
pub fn chosen(done: bool) -> Html<String> {
    Html(
        if done {
            "<h1>Merci, c'est noté.</h1>"
        } else {
            "<h1>Ce paiement est déjà terminé.</h1>"
        }
        .to_string(),
    )
}
