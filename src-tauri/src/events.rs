//! Forwards core events to the webview as the `guichet://event` Tauri event, and turns final
//! payout and collection outcomes, low balances and what waits for approval into desktop
//! notifications in the UI's language: one per payout sent alone, one per batch once all of it
//! is final.

use guichet_core::people::Kind;
use guichet_core::{CoreEvent, EventSink};
use guichet_types::{Amount, UnifiedStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Runtime};

pub const EVENT: &str = "guichet://event";

pub struct WebviewSink<R: Runtime> {
    pub app: AppHandle<R>,
    /// The merchant's notifications switch, when the notification plugin is there (not in the
    /// command tests' mock runtime).
    pub notify: Option<Arc<AtomicBool>>,
    pub english: Arc<AtomicBool>,
}

impl<R: Runtime> EventSink for WebviewSink<R> {
    fn emit(&self, event: CoreEvent) {
        let notify = self
            .notify
            .as_ref()
            .is_some_and(|on| on.load(Ordering::Relaxed));
        let english = self.english.load(Ordering::Relaxed);
        if let Some((title, body)) = notify.then(|| notification(&event, english)).flatten() {
            use tauri_plugin_notification::NotificationExt;
            if let Err(e) = self
                .app
                .notification()
                .builder()
                .title(title)
                .body(body)
                .show()
            {
                tracing::warn!(error = %e, "desktop notification failed");
            }
        }
        // A closed window is not an error for the core.
        let _ = self.app.emit(EVENT, &event);
    }
}

/// The desktop notification an event deserves, in a sentence with the amount and the person
/// (never an internal reference): one per payout sent alone, one per batch once all of it is
/// final, one per final collection, one per low balance.
pub fn notification(event: &CoreEvent, english: bool) -> Option<(String, String)> {
    match event {
        CoreEvent::PayoutStatus {
            status,
            is_final: true,
            batch_id: None,
            amount,
            name,
            phone,
            ..
        } => Some(payout_text(*status, *amount, name, phone, english)),
        CoreEvent::BatchFinished {
            batch_id,
            succeeded,
            failed,
            outcome_unknown,
        } => Some(batch_text(
            *batch_id,
            *succeeded,
            *failed,
            *outcome_unknown,
            english,
        )),
        CoreEvent::CollectionStatus {
            status,
            is_final: true,
            amount,
            name,
            phone,
            ..
        } => Some(collection_text(
            *status,
            *amount,
            name.as_deref().or(phone.as_deref()).unwrap_or(""),
            english,
        )),
        CoreEvent::LowBalance {
            account,
            amount,
            threshold,
            ..
        } => Some(low_balance_text(account, amount, *threshold, english)),
        CoreEvent::ApprovalWaiting {
            what,
            id,
            preparer,
            count,
            total,
            account,
        } => Some(approval_text(
            *what, *id, preparer, *count, *total, account, english,
        )),
        CoreEvent::BatchLeaving {
            batch_id,
            what,
            late_minutes,
            missing,
        } => Some(leaving_text(
            *batch_id,
            what,
            *late_minutes,
            *missing,
            english,
        )),
        _ => None,
    }
}

/// `1 300 000 FCFA`.
fn fcfa(amount: Amount) -> String {
    format!("{}\u{a0}FCFA", amount.grouped())
}

/// `+2250708123456` as `+225 07 08 12 34 56` (`+237 6 99 12 34 56`).
fn grouped_phone(e164: &str) -> String {
    let Some(rest) = e164.strip_prefix('+') else {
        return e164.to_string();
    };
    let (prefix, national) = match rest.get(..3) {
        Some(p @ ("225" | "237")) => (p, &rest[3..]),
        _ => return e164.to_string(),
    };
    let mut parts: Vec<&str> = Vec::new();
    let head = national.len() % 2;
    if head == 1 {
        parts.push(&national[..1]);
    }
    let mut i = head;
    while i + 2 <= national.len() {
        parts.push(&national[i..i + 2]);
        i += 2;
    }
    format!("+{prefix} {}", parts.join(" "))
}

/// « 10 000 FCFA à Awa Koné » / « 10 000 FCFA au +225 07 08 12 34 56 ».
fn to_whom(amount: Amount, name: &str, phone: &str, english: bool) -> String {
    let name = name.trim();
    match (name.is_empty(), english) {
        (false, false) => format!("{} à {name}", fcfa(amount)),
        (false, true) => format!("{} to {name}", fcfa(amount)),
        (true, false) => format!("{} au {}", fcfa(amount), grouped_phone(phone)),
        (true, true) => format!("{} to {}", fcfa(amount), grouped_phone(phone)),
    }
}

fn payout_text(
    status: UnifiedStatus,
    amount: Amount,
    name: &str,
    phone: &str,
    english: bool,
) -> (String, String) {
    let what = to_whom(amount, name, phone, english);
    let body = match (status, english) {
        (UnifiedStatus::Succeeded, false) => format!("{what} : payé."),
        (UnifiedStatus::Succeeded, true) => format!("{what}: paid."),
        (UnifiedStatus::Rejected, false) => format!("{what} : rejeté, rien n'est parti."),
        (UnifiedStatus::Rejected, true) => format!("{what}: rejected, nothing left."),
        (_, false) => format!("{what} : échoué, rien n'est parti."),
        (_, true) => format!("{what}: failed, nothing left."),
    };
    let title = if english {
        "Guichet — payout"
    } else {
        "Guichet — paiement"
    };
    (title.into(), body)
}

/// « payé » / « payés » (French takes the singular for 0 and 1).
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n < 2 { one } else { many })
}

/// A batch that was to leave later: left (late, when Guichet was not open at its time), waiting
/// for funds, waiting for something else, or not sent for want of funds.
fn leaving_text(
    batch_id: i64,
    what: &guichet_core::payouts::NoticeKind,
    late_minutes: Option<i64>,
    missing: Option<Amount>,
    english: bool,
) -> (String, String) {
    use guichet_core::payouts::NoticeKind;
    let short = missing.map(fcfa).unwrap_or_default();
    let body = match (what, english) {
        (NoticeKind::Sent, false) => match late_minutes {
            Some(m) => format!(
                "Lot n° {batch_id} envoyé avec {m} min de retard : Guichet n'était pas ouvert à l'heure prévue."
            ),
            None => format!("Lot n° {batch_id} parti : ses paiements sont envoyés."),
        },
        (NoticeKind::Sent, true) => match late_minutes {
            Some(m) => format!(
                "Batch #{batch_id} sent {m} min late: Guichet was not open at its time."
            ),
            None => format!("Batch #{batch_id} left: its payouts are being sent."),
        },
        (NoticeKind::Held, false) => {
            format!("Lot n° {batch_id} en attente de fonds : il manque {short}.")
        }
        (NoticeKind::Held, true) => {
            format!("Batch #{batch_id} is waiting for funds: {short} missing.")
        }
        (NoticeKind::Waiting, false) => format!(
            "Lot n° {batch_id} : son heure est venue mais il attend (voyez la liste des lots)."
        ),
        (NoticeKind::Waiting, true) => {
            format!("Batch #{batch_id}: its time came but it waits (see the batches list).")
        }
        (NoticeKind::Cancelled, false) => format!(
            "Lot n° {batch_id} non envoyé : le solde ne suffisait pas, il manquait {short}."
        ),
        (NoticeKind::Cancelled, true) => format!(
            "Batch #{batch_id} not sent: the balance was short by {short}."
        ),
    };
    let title = if english {
        "Guichet — batch"
    } else {
        "Guichet — lot de paiements"
    };
    (title.into(), body)
}

fn batch_text(
    batch_id: i64,
    succeeded: u64,
    failed: u64,
    unknown: u64,
    english: bool,
) -> (String, String) {
    if english {
        let en = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut body = format!(
            "Batch #{batch_id} is over: {} paid, {} failed",
            en(succeeded, "payout", "payouts"),
            failed
        );
        if unknown > 0 {
            body.push_str(&format!(
                ", {unknown} with an unknown outcome (check before paying again)"
            ));
        }
        body.push('.');
        ("Guichet — batch".into(), body)
    } else {
        let mut body = format!(
            "Lot n° {batch_id} terminé : {}, {}",
            plural(succeeded, "paiement payé", "paiements payés"),
            plural(failed, "échoué", "échoués")
        );
        if unknown > 0 {
            body.push_str(&format!(
                ", {} (vérifiez avant de repayer)",
                plural(unknown, "au résultat inconnu", "au résultat inconnu")
            ));
        }
        body.push('.');
        ("Guichet — lot de paiements".into(), body)
    }
}

fn collection_text(
    status: UnifiedStatus,
    amount: Amount,
    from: &str,
    english: bool,
) -> (String, String) {
    let who = if from.starts_with('+') {
        grouped_phone(from)
    } else {
        from.to_string()
    };
    let body = match (status, english, who.is_empty()) {
        (UnifiedStatus::Succeeded, false, false) => format!("{} reçus de {who}.", fcfa(amount)),
        (UnifiedStatus::Succeeded, false, true) => format!("{} reçus.", fcfa(amount)),
        (UnifiedStatus::Succeeded, true, false) => format!("{} received from {who}.", fcfa(amount)),
        (UnifiedStatus::Succeeded, true, true) => format!("{} received.", fcfa(amount)),
        (UnifiedStatus::Cancelled, false, _) => format!("Encaissement de {} annulé.", fcfa(amount)),
        (UnifiedStatus::Cancelled, true, _) => format!("Collection of {} cancelled.", fcfa(amount)),
        (_, false, _) => format!("Encaissement de {} non payé.", fcfa(amount)),
        (_, true, _) => format!("Collection of {} not paid.", fcfa(amount)),
    };
    let title = if english {
        "Guichet — collection"
    } else {
        "Guichet — encaissement"
    };
    (title.into(), body)
}

fn low_balance_text(
    account: &str,
    amount: &str,
    threshold: i64,
    english: bool,
) -> (String, String) {
    let threshold = fcfa(Amount(threshold));
    // The provider's exact text, whole francs shown (a fraction of a franc cannot be spent).
    let whole = amount.split('.').next().unwrap_or(amount);
    let amount = whole
        .parse::<i64>()
        .map(|a| fcfa(Amount(a)))
        .unwrap_or_else(|_| amount.to_string());
    if english {
        (
            "Guichet — low balance".into(),
            format!("The balance of “{account}” is {amount}, below the threshold of {threshold}."),
        )
    } else {
        (
            "Guichet — solde bas".into(),
            format!("Le solde de « {account} » est de {amount}, sous le seuil de {threshold}."),
        )
    }
}

/// « Awa a préparé le lot n° 3 (48 paiements, 1 250 000 FCFA, Boutique) : il attend votre
/// approbation. »
fn approval_text(
    kind: Kind,
    id: i64,
    preparer: &str,
    count: i64,
    total: Amount,
    account: &str,
    english: bool,
) -> (String, String) {
    let total = fcfa(total);
    if english {
        let what = match kind {
            Kind::Batch => format!(
                "batch #{id} ({count} {}, {total}, {account})",
                if count == 1 { "payout" } else { "payouts" }
            ),
            Kind::Payout => format!("payout #{id} ({total}, {account})"),
        };
        (
            "Guichet — awaiting approval".into(),
            format!("{preparer} prepared {what}: it awaits your approval."),
        )
    } else {
        let what = match kind {
            Kind::Batch => format!(
                "le lot n° {id} ({}, {total}, {account}) : il attend",
                plural(count.max(0) as u64, "paiement", "paiements")
            ),
            Kind::Payout => format!("le paiement n° {id} ({total}, {account}) : il attend"),
        };
        (
            "Guichet — à approuver".into(),
            format!("{preparer} a préparé {what} votre approbation."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payout(status: UnifiedStatus, name: &str) -> CoreEvent {
        CoreEvent::PayoutStatus {
            id: 1,
            reference: "GCH1A249B6A995SPDC63P2".into(),
            status,
            is_final: true,
            batch_id: None,
            amount: Amount(10_000),
            name: name.into(),
            phone: "+2250708123456".into(),
        }
    }

    /// They read « Paiement GCH1A249B6A995SPDC63P2 : payé ».
    #[test]
    fn notifications_are_sentences_with_the_amount_and_the_person() {
        let (_, body) = notification(&payout(UnifiedStatus::Succeeded, "Awa Koné"), false).unwrap();
        assert_eq!(body, "10\u{202f}000\u{a0}FCFA à Awa Koné : payé.");
        let (_, body) = notification(&payout(UnifiedStatus::Failed, ""), false).unwrap();
        assert_eq!(
            body,
            "10\u{202f}000\u{a0}FCFA au +225 07 08 12 34 56 : échoué, rien n'est parti."
        );
        let (_, body) = notification(&payout(UnifiedStatus::Succeeded, "Awa Koné"), true).unwrap();
        assert_eq!(body, "10\u{202f}000\u{a0}FCFA to Awa Koné: paid.");
        for english in [false, true] {
            let (_, body) = notification(&payout(UnifiedStatus::Failed, "Awa"), english).unwrap();
            assert!(!body.contains("GCH"), "{body}");
        }
    }

    #[test]
    fn approvers_are_told_what_waits_in_their_language() {
        let waiting = CoreEvent::ApprovalWaiting {
            what: Kind::Batch,
            id: 3,
            preparer: "Awa".into(),
            count: 48,
            total: Amount(1_250_000),
            account: "Boutique".into(),
        };
        let (title, body) = notification(&waiting, false).unwrap();
        assert_eq!(title, "Guichet — à approuver");
        assert_eq!(
            body,
            "Awa a préparé le lot n° 3 (48 paiements, 1\u{202f}250\u{202f}000\u{a0}FCFA, Boutique) : il attend votre approbation."
        );
        let (_, body) = notification(&waiting, true).unwrap();
        assert_eq!(
            body,
            "Awa prepared batch #3 (48 payouts, 1\u{202f}250\u{202f}000\u{a0}FCFA, Boutique): it awaits your approval."
        );
    }

    /// They read « payé(s) » and « F CFA ».
    #[test]
    fn batch_and_balance_notifications_have_plurals_and_one_currency_spelling() {
        let batch = CoreEvent::BatchFinished {
            batch_id: 7,
            succeeded: 2,
            failed: 1,
            outcome_unknown: 0,
        };
        let (_, body) = notification(&batch, false).unwrap();
        assert_eq!(body, "Lot n° 7 terminé : 2 paiements payés, 1 échoué.");
        let low = CoreEvent::LowBalance {
            account: "Boutique".into(),
            balance: "transfer".into(),
            amount: "1300000.0".into(),
            threshold: 2_000_000,
        };
        let (_, body) = notification(&low, false).unwrap();
        assert_eq!(
            body,
            "Le solde de « Boutique » est de 1\u{202f}300\u{202f}000\u{a0}FCFA, sous le seuil de 2\u{202f}000\u{202f}000\u{a0}FCFA."
        );
        for english in [false, true] {
            let (_, body) = notification(&low, english).unwrap();
            assert!(!body.contains("F CFA") && !body.contains("(s)"), "{body}");
        }
    }

    /// A batch that waited says why, with what is missing, in the merchant's language.
    #[test]
    fn batches_that_waited_say_when_they_left_or_what_they_lack() {
        use guichet_core::payouts::NoticeKind;
        let held = CoreEvent::BatchLeaving {
            batch_id: 3,
            what: NoticeKind::Held,
            late_minutes: None,
            missing: Some(Amount(85_000)),
        };
        let (_, body) = notification(&held, false).unwrap();
        assert_eq!(
            body,
            "Lot n° 3 en attente de fonds : il manque 85\u{202f}000\u{a0}FCFA."
        );
        let late = CoreEvent::BatchLeaving {
            batch_id: 4,
            what: NoticeKind::Sent,
            late_minutes: Some(180),
            missing: None,
        };
        let (_, body) = notification(&late, true).unwrap();
        assert_eq!(
            body,
            "Batch #4 sent 180 min late: Guichet was not open at its time."
        );
    }
}
