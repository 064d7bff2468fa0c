//! Finding out what became of a payout whose answer is missing (this process holds its lease),
//! whatever the provider: look it up by Guichet's own reference where the provider allows it,
//! else it is "outcome unknown". A provider answering "unknown" may still be receiving the
//! order, so the payout is sent again — under the *same* reference — only after several such
//! answers spread over minutes, at most `max_resends` times; then it is "outcome unknown", with
//! what to check. Nothing here re-sends at once.

use crate::adapters::{LookUp, Move, Payouts, Resend};
use crate::{Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::payouts::{Change, PayoutRow};
use guichet_types::UnifiedStatus;
use serde_json::json;

fn change<'a>(event: &'a str, detail: serde_json::Value) -> Change<'a> {
    Change {
        event,
        detail,
        ..Default::default()
    }
}

impl Guichet {
    pub(crate) async fn resolve(
        &self,
        payouts: &Payouts,
        account: &AccountRow,
        row: &PayoutRow,
    ) -> Result<()> {
        let id = row.id;
        match payouts.look_up(row).await {
            LookUp::Found(m) => {
                let status = m.to.unwrap_or(row.status);
                self.move_as(&m)?;
                if !status.is_final() {
                    self.schedule(id, 0)?;
                }
            }
            LookUp::NotFound => {
                let (before, resends) = self.store.payouts().since_last_send(id)?;
                let not_found = before + 1;
                self.move_payout(
                    id,
                    UnifiedStatus::Submitting,
                    &change("not_found", json!({"consecutive": not_found})),
                )?;
                if not_found < self.patience.not_found_before_resend {
                    return self.look_up_later(id, row.checks.max(1));
                }
                if resends >= self.patience.max_resends {
                    let name = account.provider.display_name();
                    let detail = format!(
                        "{name} still does not know this payout after {} sends under reference {}: it was very probably never made, but check your {name} back-office (transfer history) before paying again.",
                        resends + 1,
                        row.reference
                    );
                    self.move_payout(
                        id,
                        UnifiedStatus::OutcomeUnknown,
                        &Change {
                            detail_text: Some(&detail),
                            ..change("gave_up", json!({"sends": resends + 1}))
                        },
                    )?;
                    return Ok(());
                }
                self.resend(payouts, account, row).await?;
            }
            // Still no answer: asked again later, less and less often.
            LookUp::Failed(e) => {
                tracing::info!(reference = %row.reference, error = %e.message, "lookup failed; will retry");
                self.look_up_later(id, row.checks.max(1))?;
            }
            LookUp::Impossible(detail) => {
                self.move_payout(
                    id,
                    UnifiedStatus::OutcomeUnknown,
                    &Change {
                        event: "interrupted",
                        detail_text: Some(detail),
                        ..Default::default()
                    },
                )?;
            }
        }
        Ok(())
    }

    /// Sends a payout the provider has not heard of again, under its own reference.
    async fn resend(&self, payouts: &Payouts, account: &AccountRow, row: &PayoutRow) -> Result<()> {
        let id = row.id;
        let reason = json!({"reason": format!("unknown to {}", account.provider.display_name())});
        let resent = payouts
            .resend(
                row,
                Box::new(|| -> Result<()> {
                    self.store.events_mut().append(
                        "payout.resent",
                        Some(row.account_id),
                        Some(&row.reference),
                        &reason,
                    )?;
                    self.move_payout(
                        id,
                        UnifiedStatus::Submitting,
                        &change("resent", reason.clone()),
                    )?;
                    Ok(())
                }),
            )
            .await?;
        match resent {
            Resend::NotSent => self.look_up_later(id, row.checks.max(1))?,
            Resend::Accepted { provider_ref, lot } => {
                self.move_payout(
                    id,
                    UnifiedStatus::Pending,
                    &Change {
                        provider_ref: Some(&provider_ref),
                        lot: Some(&lot),
                        ..change("accepted", json!({"transaction_id": provider_ref}))
                    },
                )?;
                self.schedule(id, 0)?;
            }
            // Nothing was executed and it never will be: final, or it would sit "being sent"
            // and leave by itself whenever the balance allows.
            Resend::Refused { code, detail, raw } => {
                self.move_payout(
                    id,
                    UnifiedStatus::Failed,
                    &Change {
                        provider_status: code.as_deref(),
                        detail_text: Some(&detail),
                        ..change("refused", raw)
                    },
                )?;
            }
            Resend::Open => self.look_up_later(id, 0)?,
        }
        Ok(())
    }

    /// Records one move as a status change (no scheduling).
    fn move_as(&self, m: &Move) -> Result<()> {
        if let Some(to) = m.to {
            self.move_payout(
                m.id,
                to,
                &Change {
                    provider_status: m.provider_status.as_deref(),
                    provider_ref: m.provider_ref.as_deref(),
                    lot: m.lot.as_deref(),
                    detail_text: m.detail_text.as_deref(),
                    ..change(m.event, m.detail.clone())
                },
            )?;
        }
        Ok(())
    }
}
