//! CinetPay's hosted payments: starting one (the signature first, kept: `checkPayStatus` must
//! give it back; then the form the customer's browser posts), and where one stands, asked by
//! Guichet's own transaction id; paid only with the amount and signature Guichet stored.

use crate::adapters::collections::{Answer, Interrupted, Read, Reading, Rules, Shown, Start};
use crate::{Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::cinetpay_payment::{self, PayResult};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::{phone, UnifiedStatus};
use serde_json::json;

/// CinetPay's minimum (document 002: `cpm_amount` an integer of at least 5); the customer's
/// number is optional (typed on CinetPay's form otherwise).
pub(crate) const RULES: Rules = Rules {
    min_amount: 5,
    reason_required: true,
    phone_required: false,
    link_shared: false,
    channel: |_| Ok(()),
};

/// A hosted payment under Guichet's own reference.
pub(crate) async fn start(
    g: &Guichet,
    account: &AccountRow,
    number: Option<&phone::Phone>,
) -> Result<Start> {
    let client = g.cinetpay_payment_client(account).await?;
    let notify = account.notify_url.clone().unwrap_or_default();
    let number = number.cloned();
    Ok(Start {
        reference: None,
        send: Box::new(move |row| {
            async move {
                let now = time::OffsetDateTime::now_utc();
                let payment = cinetpay_payment::Payment {
                    amount: row.amount.0,
                    trans_id: row.reference.clone(),
                    trans_date: format!(
                        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                        now.year(),
                        u8::from(now.month()),
                        now.day(),
                        now.hour(),
                        now.minute(),
                        now.second()
                    ),
                    designation: row.reason.clone(),
                    custom: row.reference.clone(),
                    language: "fr".into(),
                    phone: number.map(|n| {
                        // CinetPay's example number is the national one without the country prefix.
                        (n.prefix, n.national)
                    }),
                };
                match client.signature(&payment).await {
                    Ok(signature) => {
                        let form =
                            client.checkout_form(&payment, &signature, &notify, &notify, &notify);
                        Answer::Awaiting {
                            detail: json!({ "signature": signature }),
                            shown: Shown {
                                signature: Some(signature),
                                form: Some(form),
                                ..Default::default()
                            },
                            event: "answer",
                            check: true,
                        }
                    }
                    // Without the signature the customer cannot reach the payment form: nothing
                    // can have been paid.
                    Err(e) => Answer::Refused(e),
                }
            }
            .boxed()
        }),
    })
}

/// The customer never got the payment form: nothing can have been paid.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::Settle {
    status: UnifiedStatus::Failed,
    explanation: "Guichet stopped before the payment page was ready; create a new one.",
};

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let c = g.cinetpay_payment_client(account).await?;
    let stored = row.signature.clone().unwrap_or_default();
    Ok(c.check(&row.reference).await.map(|s| {
        let status = s.verdict(row.amount.0, &stored);
        let note = (s.result == PayResult::Paid && status != UnifiedStatus::Succeeded).then(|| {
            format!(
                "CinetPay reports a payment of {} francs, but its amount or signature differs from what Guichet stored ({}): not accepted as paid",
                s.amount, row.amount.with_currency(&row.currency)
            )
        });
        Some(Reading {
            status,
            provider_status: s.result.as_str().to_string(),
            provider_ref: (!s.payid.is_empty()).then(|| s.payid.clone()),
            note,
            detail: json!(s),
        })
    }))
}
