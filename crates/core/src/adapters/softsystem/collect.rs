//! SOFTSYSTEM's payment requests: starting one (a fresh orderId each time, on a channel), and
//! where one stands, asked by Guichet's own `orderId`.

use crate::adapters::collections::{
    lost, Answer, Interrupted, Read, Reading, Request, Rules, Shown, Start,
};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use futures_util::FutureExt;
use guichet_providers::{softsystem, ErrorKind, ProviderError};
use guichet_store::accounts::AccountRow;
use guichet_store::collections::CollectionRow;
use guichet_types::{phone, Country, UnifiedStatus};
use serde_json::json;

/// The customer pays from their phone: the number is needed; the reason may be left out.
pub(crate) const RULES: Rules = Rules {
    min_amount: 1,
    reason_required: false,
    phone_required: true,
    link_shared: true,
    channel: |c| channel_choice(c).map(|_| ()),
};

/// The channel the merchant chose, if any.
fn channel_choice(c: Option<&str>) -> Result<Option<&'static str>> {
    match c.map(str::trim) {
        Some(c) if !c.is_empty() => Ok(Some(softsystem_channel(c)?)),
        _ => Ok(None),
    }
}

/// SOFTSYSTEM's channel names, from what the merchant typed.
fn softsystem_channel(c: &str) -> Result<&'static str> {
    match c.to_ascii_lowercase().as_str() {
        "wave" => Ok("Wave"),
        "moov" | "flooz" => Ok("Moov"),
        "mtn" | "momo" => Ok("MTN"),
        "orange" | "om" => Ok("Orange"),
        _ => Err(CoreError::invalid(
            "channel",
            Invalid::NotAChoice {
                value: c.to_string(),
            },
            format!("`{c}`: the channel is Wave, Moov, MTN or Orange"),
        )),
    }
}

/// The channel a Côte d'Ivoire number belongs to (Wave cannot be told from a number).
fn channel_of(n: &phone::Phone) -> Option<&'static str> {
    if n.country != Country::CI {
        return None;
    }
    n.operator().map(|op| match op {
        phone::Operator::Orange => "Orange",
        phone::Operator::Mtn => "MTN",
        phone::Operator::Moov => "Moov",
    })
}

/// A payment request under a fresh orderId (20–40 letters and digits), and the page where the
/// customer pays.
pub(crate) async fn start(g: &Guichet, account: &AccountRow, req: &Request<'_>) -> Result<Start> {
    let channel = channel_choice(req.channel)?;
    let number = req
        .number
        .cloned()
        .expect("checked: a SOFTSYSTEM request has a phone");
    // Decided before anything is recorded: a request whose channel can't be told is the
    // merchant's input to complete, not a failed collection.
    let Some(channel) = channel.or_else(|| channel_of(&number)) else {
        return Err(CoreError::invalid(
            "channel",
            Invalid::Required,
            "choose the channel: Wave, Moov, MTN or Orange",
        ));
    };
    let client = g.softsystem_client(account).await?;
    // SOFTSYSTEM requires the three URLs. Without a notification URL of the merchant's own,
    // the provider's home page is where the customer lands (as in the document's example);
    // Guichet polls the status either way.
    let url = account
        .notify_url
        .clone()
        .unwrap_or_else(|| guichet_providers::hosts::SOFTSYSTEM.to_string());
    Ok(Start {
        reference: Some(softsystem::new_order_id()),
        send: Box::new(move |row| {
            async move {
                let request = softsystem::PaymentRequest {
                    amount: row.amount.0,
                    order_id: row.reference.clone(),
                    number: format!("{}{}", number.prefix, number.national),
                    channel: channel.to_string(),
                    object: row.reason.clone(),
                    success_url: url.clone(),
                    error_url: url.clone(),
                    callback_url: url,
                };
                match client.request_payment(&request).await {
                    Ok(page) => Answer::Awaiting {
                        detail: json!({"orderId": page.order_id, "url": page.url}),
                        shown: Shown {
                            link: Some(page.url),
                            provider_status: Some(channel.into()),
                            ..Default::default()
                        },
                        event: "answer",
                        check: true,
                    },
                    // The status can be asked by our orderId: the next sync finds out.
                    Err(e) if lost(&e) => Answer::AskLater(e),
                    Err(e) => Answer::Refused(e),
                }
            }
            .boxed()
        }),
    })
}

/// SOFTSYSTEM can be asked by our own orderId.
pub(crate) const INTERRUPTED_COLLECTION: Interrupted = Interrupted::AskAgain;

/// SOFTSYSTEM has never heard of this orderId: the request never arrived.
pub(crate) fn never_arrived(e: &ProviderError) -> Option<&'static str> {
    (e.kind == ErrorKind::NotFound)
        .then_some("The request never reached SOFTSYSTEM: nothing to pay. Create a new one.")
}

pub(crate) async fn read(g: &Guichet, account: &AccountRow, row: &CollectionRow) -> Result<Read> {
    let c = g.softsystem_client(account).await?;
    Ok(c.status(&row.reference).await.map(|s| {
        let mut status = s.unified();
        let mut note = None;
        if status == UnifiedStatus::Succeeded && s.amount.trim() != row.amount.0.to_string() {
            status = UnifiedStatus::Failed;
            note = Some(format!(
                "SOFTSYSTEM reports {} francs paid, not the {} asked: not accepted as paid",
                s.amount,
                row.amount.with_currency(&row.currency)
            ));
        }
        Some(Reading {
            status,
            provider_status: s.status.to_string(),
            provider_ref: None,
            note,
            detail: json!(s),
        })
    }))
}
