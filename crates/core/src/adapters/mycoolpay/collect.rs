//! My-CoolPay's collections (payins and paylinks): starting one, the code a payin may ask
//! for, and where one stands, asked with My-CoolPay's own reference.

use super::client;
use crate::adapters::collections::{lost, Answer, Interrupted, Read, Reading, Rules, Shown, Start};
use crate::{Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::{mycoolpay, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::{CollectionKind, CollectionRow};
use guichet_types::UnifiedStatus;
use serde_json::json;

/// The provider status that means "type the customer's SMS code" (My-CoolPay `REQUIRE_OTP`).
pub const REQUIRE_OTP: &str = "REQUIRE_OTP";

/// A payin is confirmed on the customer's phone: the number is needed.
pub(crate) const PAYIN_RULES: Rules = Rules {
    min_amount: 1,
    reason_required: true,
    phone_required: true,
    link_shared: true,
    channel: |_| Ok(()),
};

/// A paylink is a link for the customer: the number is optional.
pub(crate) const PAYLINK_RULES: Rules = Rules {
    phone_required: false,
    ..PAYIN_RULES
};

fn payin_request(row: &CollectionRow) -> mycoolpay::PayinRequest {
    mycoolpay::PayinRequest {
        amount: row.amount.0,
        reason: row.reason.clone(),
        app_transaction_ref: row.reference.clone(),
        customer_phone_number: row.phone.clone(),
        customer_name: row.name.clone(),
        customer_email: row.email.clone(),
        customer_lang: Some("fr".into()),
    }
}

fn failed(e: ProviderError) -> Answer {
    if lost(&e) {
        Answer::Lost(e)
    } else {
        Answer::Refused(e)
    }
}

/// A payin: the customer confirms with a USSD code, or My-CoolPay first wants the SMS code the
/// customer received (provider status `REQUIRE_OTP`, not checked until [`authorize`]).
fn payin_answer(answer: mycoolpay::PayinAnswer, event: &'static str) -> Answer {
    let (reference, ussd, provider_status) = match answer {
        mycoolpay::PayinAnswer::Pending {
            transaction_ref,
            ussd,
        } => (transaction_ref, Some(ussd), "PENDING"),
        mycoolpay::PayinAnswer::RequireOtp { transaction_ref } => {
            (transaction_ref, None, REQUIRE_OTP)
        }
    };
    Answer::Awaiting {
        detail: json!({"transaction_ref": reference, "action": provider_status, "ussd": ussd}),
        shown: Shown {
            provider_ref: Some(reference),
            provider_status: Some(provider_status.into()),
            ussd,
            ..Default::default()
        },
        event,
        check: provider_status != REQUIRE_OTP,
    }
}

/// A payin or a paylink, under Guichet's own reference.
pub(crate) async fn start(
    g: &Guichet,
    account: &AccountRow,
    kind: CollectionKind,
) -> Result<Start> {
    let client = client(g, account).await?;
    Ok(Start {
        reference: None,
        send: Box::new(move |row| {
            async move {
                let request = payin_request(&row);
                if kind == CollectionKind::Paylink {
                    return match client.paylink(&request).await {
                        Ok((reference, url)) => Answer::Awaiting {
                            detail: json!({"transaction_ref": reference, "payment_url": url}),
                            shown: Shown {
                                provider_ref: Some(reference),
                                link: Some(url),
                                ..Default::default()
                            },
                            event: "answer",
                            check: true,
                        },
                        Err(e) => failed(e),
                    };
                }
                match client.payin(&request).await {
                    Ok(answer) => payin_answer(answer, "answer"),
                    Err(e) => failed(e),
                }
            }
            .boxed()
        }),
    })
}

/// Sends the code the customer received by SMS for a payin that asked for one.
pub(crate) async fn authorize(
    g: &Guichet,
    account: &AccountRow,
    reference: &str,
    code: &str,
) -> Result<std::result::Result<Answer, ProviderError>> {
    let client = client(g, account).await?;
    Ok(client
        .authorize(reference, code)
        .await
        .map(|a| payin_answer(a, "authorized")))
}

/// My-CoolPay can only be asked with its own reference, which never came back.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::Settle {
    status: UnifiedStatus::OutcomeUnknown,
    explanation: "Guichet stopped while this request was being sent: it may or may not exist at My-CoolPay. Check the back-office before asking the customer again.",
};

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let c = client(g, account).await?;
    let Some(reference) = row.provider_ref.as_deref() else {
        return Ok(Ok(None));
    };
    Ok(c.check_status(reference).await.map(|s| {
        let status = match s.unified() {
            // Not final: the customer has yet to pay.
            UnifiedStatus::Pending => UnifiedStatus::AwaitingCustomer,
            other => other,
        };
        Some(Reading {
            status,
            provider_status: s.status.to_string(),
            provider_ref: None,
            note: (!s.message.is_empty()).then(|| s.message.clone()),
            detail: json!(s),
        })
    }))
}
