//! Payouts and batches above an account's thresholds wait for approval instead of leaving.
//! What is held is what was asked (the rows read from the file, or the payout), with its
//! SHA-256: no payout exists yet, so nothing can be sent while it waits. Approving re-runs the
//! pre-flight (bounds, duplicates, balance) and, once enough people other than the preparer
//! approved, hands it to the usual path — `confirm_batch` then `send_batch`, or a queued
//! payout then `submit` — each payout recorded with its own reference before it leaves.

use super::{Action, Actor, Decision, Kind, Policy, RequestStatus};
use crate::payouts::{
    BatchDetail, BatchLine, BatchPreview, BatchRequest, PayoutInput, PayoutRow, SendPlan,
};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use guichet_store::approvals::{NewRequest, RequestRow};
use guichet_store::StoreError;
use guichet_types::Amount;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A batch held for approval: what `BatchRequest` read from the file.
#[derive(Debug, Serialize, Deserialize)]
struct HeldBatch {
    account: String,
    file_name: String,
    sheet: Option<String>,
    sheet_found: bool,
    file_sha256: String,
    lines: Vec<BatchLine>,
    again: bool,
    /// When it leaves once approved (now, at a time, or once the balance covers it).
    #[serde(default)]
    plan: SendPlan,
}

/// A single payout held for approval.
#[derive(Debug, Serialize, Deserialize)]
struct HeldPayout {
    account: String,
    phone: String,
    amount: i64,
    name: String,
    reason: String,
    operator: Option<String>,
}

impl HeldBatch {
    fn request(self) -> BatchRequest {
        BatchRequest {
            account: self.account,
            file_name: self.file_name,
            sheet: self.sheet,
            sheet_found: self.sheet_found,
            file_sha256: self.file_sha256,
            lines: self.lines,
            again: self.again,
            remembered: None,
            list: None,
            own_batch: None,
        }
    }
}

impl HeldPayout {
    fn input(&self) -> PayoutInput {
        PayoutInput {
            phone: self.phone.clone(),
            amount: self.amount,
            name: self.name.clone(),
            reason: self.reason.clone(),
            operator: self.operator.clone(),
        }
    }
}

/// What became of a payout or a batch asked for: sent (as before approvals existed), or
/// waiting for approval. In JSON a sent one is what it always was; a waiting one carries
/// `"status": "awaiting_approval"`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Prepared<T> {
    Sent(T),
    AwaitingApproval(Box<ApprovalView>),
}

/// One person's decision, named.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DecisionView {
    pub user: String,
    pub decision: Decision,
    pub reason: Option<String>,
    pub at: String,
}

/// A payout or batch prepared for approval, with the names the screens show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalView {
    #[serde(flatten)]
    pub request: RequestRow,
    pub account: String,
    pub currency: String,
    pub prepared_by_name: String,
    pub decisions: Vec<DecisionView>,
    /// Approvals still needed.
    pub approvals_missing: i64,
    /// Every approval was given but the send did not go through (the provider down, the
    /// balance short…): `resend_approved` sends it again, under the same references.
    pub unsent: bool,
}

/// A change of an account's approval policy: `None` leaves a field as it is; a threshold of
/// `Some(None)` removes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct PolicyChange {
    #[serde(default)]
    pub approve_above: Option<Option<Amount>>,
    #[serde(default)]
    pub batch_approve_above: Option<Option<Amount>>,
    #[serde(default)]
    pub approvals: Option<u8>,
}

fn sha256(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn word(kind: Kind) -> &'static str {
    match kind {
        Kind::Payout => "payout",
        Kind::Batch => "batch",
    }
}

impl Guichet {
    pub fn approval_policy(&self, account_label: &str) -> Result<Policy> {
        self.require(Action::Read)?;
        let account = self.account_row(account_label)?;
        Ok(self.store.approvals().policy(account.id)?)
    }

    /// Changes an account's approval policy (owners only).
    pub fn set_approval_policy(
        &self,
        account_label: &str,
        change: &PolicyChange,
    ) -> Result<Policy> {
        self.require(Action::ManagePolicies)?;
        let account = self.account_row(account_label)?;
        let mut p = self.store.approvals().policy(account.id)?;
        if let Some(a) = change.approve_above {
            p.approve_above = a;
        }
        if let Some(a) = change.batch_approve_above {
            p.batch_approve_above = a;
        }
        if let Some(k) = change.approvals {
            if !(1..=2).contains(&k) {
                return Err(CoreError::invalid(
                    "approvals",
                    Invalid::Range { min: 1, max: 2 },
                    "1 or 2 approvals",
                ));
            }
            p.approvals = k;
        }
        for a in [p.approve_above, p.batch_approve_above]
            .into_iter()
            .flatten()
        {
            if a.0 < 0 {
                return Err(CoreError::invalid(
                    "threshold",
                    Invalid::AtLeast { min: 0 },
                    "a threshold is 0 francs or more",
                ));
            }
        }
        self.store.approvals_mut().set_policy(account.id, &p)?;
        self.audit(
            "policy.changed",
            Some(&account.label),
            json!({"approve_above": p.approve_above, "batch_approve_above": p.batch_approve_above,
                   "approvals": p.approvals}),
        )?;
        Ok(p)
    }

    /// Whether `amount` asks for approval under `threshold`: only when a person acts and
    /// someone else is there to approve (a merchant alone sees no difference).
    fn needs_approval(
        &self,
        actor: &Actor,
        threshold: Option<Amount>,
        amount: Amount,
    ) -> Result<bool> {
        Ok(actor.id.is_some()
            && threshold.is_some_and(|t| amount.0 > t.0)
            && self.several_people()?)
    }

    /// Sends a reviewed batch, or holds it for approval when its total is above the account's
    /// threshold. `preview` is the review the person saw (its blockers stop it either way).
    pub async fn prepare_batch(
        &self,
        req: &BatchRequest,
        preview: &BatchPreview,
    ) -> Result<Prepared<BatchDetail>> {
        self.prepare_batch_planned(req, preview, &SendPlan::default())
            .await
    }

    /// [`Guichet::prepare_batch`] leaving as `plan` says: now, at a time, or once the balance
    /// covers it. A batch leaving later is recorded (its `plan` says when) and not sent yet.
    pub async fn prepare_batch_planned(
        &self,
        req: &BatchRequest,
        preview: &BatchPreview,
        plan: &SendPlan,
    ) -> Result<Prepared<BatchDetail>> {
        let actor = self.require(Action::Prepare)?;
        let account = self.account_row(&req.account)?;
        let policy = self.store.approvals().policy(account.id)?;
        if !self.needs_approval(&actor, policy.batch_approve_above, preview.total)? {
            let (batch, planned) = self
                .confirm_planned(req, &preview.file_sha256, plan, false)
                .await?;
            self.batch_confirmed(&actor, batch.id, None)?;
            if planned.is_some() {
                return Ok(Prepared::Sent(self.batch(batch.id)?));
            }
            let report = self.send_batch(batch.id).await?;
            return Ok(Prepared::Sent(report));
        }
        if let Some(at) = &plan.at {
            crate::payouts::future_local(at)?;
        }
        if req.file_sha256 != preview.file_sha256 {
            return Err(CoreError::refused(
                "file_changed",
                format!(
                    "{} changed since it was reviewed: review it again",
                    req.file_name
                ),
            ));
        }
        if let Some(e) = plan.blocked(preview) {
            return Err(e);
        }
        let held = HeldBatch {
            account: req.account.clone(),
            file_name: req.file_name.clone(),
            sheet: req.sheet.clone(),
            sheet_found: req.sheet_found,
            file_sha256: req.file_sha256.clone(),
            lines: req.lines.clone(),
            again: req.again,
            plan: plan.clone(),
        };
        let text = serde_json::to_string(&held).map_err(|e| CoreError::Io(e.to_string()))?;
        let view = self.hold(
            &actor,
            NewRequest {
                kind: Kind::Batch,
                account_id: account.id,
                prepared_by: actor.id.unwrap_or_default(),
                label: &req.file_name,
                count: i64::from(preview.count),
                total: preview.total,
                request: &text,
                request_sha256: &sha256(&text),
                needed: i64::from(policy.approvals),
            },
            json!({"file": req.file_name, "sha256": req.file_sha256, "count": preview.count,
                   "total": preview.total, "account": account.label}),
        )?;
        Ok(Prepared::AwaitingApproval(Box::new(view)))
    }

    /// Sends one payout, or holds it for approval when it is above the account's threshold.
    pub async fn prepare_payout(
        &self,
        account_label: &str,
        input: PayoutInput,
    ) -> Result<Prepared<PayoutRow>> {
        let actor = self.require(Action::Prepare)?;
        let account = self.account_row(account_label)?;
        let policy = self.store.approvals().policy(account.id)?;
        if !self.needs_approval(&actor, policy.approve_above, Amount(input.amount))? {
            let sent = self.send_payout(account_label, input).await?;
            if let Some(id) = actor.id {
                self.store
                    .approvals_mut()
                    .set_prepared_by(None, Some(sent.id), id)?;
            }
            self.audit(
                "payout.sent",
                Some(&sent.id.to_string()),
                json!({"amount": sent.amount, "name": sent.name, "status": sent.status}),
            )?;
            return Ok(Prepared::Sent(sent));
        }
        let number = self.validate_payout(&account, &input)?;
        let held = HeldPayout {
            account: account.label.clone(),
            phone: input.phone.clone(),
            amount: input.amount,
            name: input.name.trim().to_string(),
            reason: input.reason.trim().to_string(),
            operator: input.operator.clone(),
        };
        let text = serde_json::to_string(&held).map_err(|e| CoreError::Io(e.to_string()))?;
        let label = if held.name.is_empty() {
            number.e164()
        } else {
            format!("{} ({})", held.name, number.e164())
        };
        let view = self.hold(
            &actor,
            NewRequest {
                kind: Kind::Payout,
                account_id: account.id,
                prepared_by: actor.id.unwrap_or_default(),
                label: &label,
                count: 1,
                total: Amount(input.amount),
                request: &text,
                request_sha256: &sha256(&text),
                needed: i64::from(policy.approvals),
            },
            json!({"amount": input.amount, "name": held.name, "phone": number.e164(),
                   "account": account.label}),
        )?;
        Ok(Prepared::AwaitingApproval(Box::new(view)))
    }

    /// Records a request and its audit entry in one transaction.
    fn hold(
        &self,
        actor: &Actor,
        n: NewRequest,
        details: serde_json::Value,
    ) -> Result<ApprovalView> {
        let tx = self.store.write()?;
        let row = tx.approvals_mut().insert_request(&n)?;
        tx.audit_mut().append(&guichet_store::audit::NewAudit {
            user_id: actor.id,
            user_name: actor.name.as_deref(),
            action: &format!("{}.prepared", word(n.kind)),
            subject: Some(&row.id.to_string()),
            details: &details,
        })?;
        tx.commit()?;
        let view = self.approval(row.id)?;
        self.events.emit(crate::CoreEvent::ApprovalWaiting {
            what: n.kind,
            id: view.request.id,
            preparer: view.prepared_by_name.clone(),
            count: n.count,
            total: n.total,
            account: view.account.clone(),
        });
        Ok(view)
    }

    /// Payouts and batches waiting for approval, and those approved whose send failed, newest
    /// first.
    pub fn awaiting_approval(&self, kind: Option<Kind>) -> Result<Vec<ApprovalView>> {
        self.require(Action::Read)?;
        // Read first: a handle taken from the store holds its connection until dropped.
        let mut rows =
            self.store
                .approvals()
                .requests(kind, Some(RequestStatus::AwaitingApproval), 1000)?;
        // Approved but not sent (the send failed): still to be dealt with, so still listed.
        rows.extend(
            self.store
                .approvals()
                .requests(kind, Some(RequestStatus::Approved), 1000)?,
        );
        rows.sort_unstable_by_key(|r| std::cmp::Reverse(r.id));
        rows.into_iter().map(|r| self.approval_view(r)).collect()
    }

    pub fn approval(&self, id: i64) -> Result<ApprovalView> {
        self.require(crate::people::Action::Read)?;
        let r = self.store.approvals().request(id)?;
        self.approval_view(r)
    }

    fn approval_view(&self, r: RequestRow) -> Result<ApprovalView> {
        let account = self.store.accounts().get(r.account_id)?;
        let name = |id: i64| -> Result<String> { Ok(self.store.users().get(id)?.name) };
        let rows = self.store.approvals().decisions(r.id)?;
        let decisions = rows
            .into_iter()
            .map(|d| {
                Ok(DecisionView {
                    user: name(d.user_id)?,
                    decision: d.decision,
                    reason: d.reason,
                    at: d.at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let approved = decisions
            .iter()
            .filter(|d| d.decision == Decision::Approved)
            .count() as i64;
        Ok(ApprovalView {
            account: account.fields.label,
            currency: account.fields.currency.as_str().to_string(),
            prepared_by_name: name(r.prepared_by)?,
            approvals_missing: (r.needed - approved).max(0),
            unsent: r.status == RequestStatus::Approved,
            decisions,
            request: r,
        })
    }

    /// The request `id`, when it is of `kind`.
    fn request_of(&self, kind: Kind, id: i64) -> Result<RequestRow> {
        match self.store.approvals().request(id) {
            Ok(r) if r.kind == kind => Ok(r),
            Ok(_) | Err(StoreError::NotFound { .. }) => Err(CoreError::NotFound {
                what: match kind {
                    Kind::Batch => "batch awaiting approval",
                    Kind::Payout => "payout awaiting approval",
                },
                key: id.to_string(),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// The request `id` of `kind`, still waiting, and whether `actor` may decide on it.
    fn decidable(&self, actor: &Actor, kind: Kind, id: i64) -> Result<(RequestRow, i64)> {
        let r = self.request_of(kind, id)?;
        let Some(user_id) = actor.id else {
            return Err(CoreError::refused(
                "nobody_signed_in",
                "approvals are given by a person: sign in first",
            ));
        };
        if r.status != RequestStatus::AwaitingApproval {
            return Err(CoreError::refused(
                "not_awaiting_approval",
                format!(
                    "{} #{id} is {}, not awaiting approval",
                    word(kind),
                    r.status.as_str()
                ),
            ));
        }
        if r.prepared_by == user_id {
            return Err(self_approval(kind, id, actor));
        }
        if sha256(&r.request) != r.request_sha256 {
            return Err(CoreError::refused(
                "request_changed",
                format!(
                    "{} #{id} no longer matches what was prepared: reject it",
                    word(kind)
                ),
            ));
        }
        Ok((r, user_id))
    }

    /// Approves a batch or a payout waiting for approval. The pre-flight runs again first;
    /// when this approval is the last one needed, it is sent through the usual path.
    pub async fn approve_batch(&self, id: i64) -> Result<Prepared<BatchDetail>> {
        let actor = self.require(Action::Approve)?;
        let (r, user_id) = self.decidable(&actor, Kind::Batch, id)?;
        let held: HeldBatch =
            serde_json::from_str(&r.request).map_err(|e| CoreError::Io(e.to_string()))?;
        let plan = held.plan.clone();
        let req = held.request();
        let preview = self.preview_batch(&req).await?;
        if let Some(e) = plan.blocked(&preview) {
            return Err(e);
        }
        if !self.decide(&actor, user_id, &r, Decision::Approved, None)? {
            return Ok(Prepared::AwaitingApproval(Box::new(self.approval(id)?)));
        }
        Ok(Prepared::Sent(
            self.send_approved_batch(&actor, &r, &req, &plan).await?,
        ))
    }

    /// Queues an approved batch (once: a request already linked to its batch keeps it, and
    /// its payouts their references), sends it — or, planned to leave later, leaves it to
    /// whichever sender runs then — and marks the request sent. A failure is written to the
    /// audit log and leaves the request `approved`, to be sent again. (A batch still waiting
    /// for its time is never taken by `send_batch`: the store's claim skips it.)
    async fn send_approved_batch(
        &self,
        actor: &Actor,
        r: &RequestRow,
        req: &BatchRequest,
        plan: &SendPlan,
    ) -> Result<BatchDetail> {
        let sent = async {
            let batch_id = match r.batch_id {
                Some(b) => b,
                None => {
                    let (batch, planned) = self
                        .confirm_planned(req, &req.file_sha256, plan, true)
                        .await?;
                    self.batch_confirmed(actor, batch.id, Some(r))?;
                    if planned.is_some() {
                        return self.batch(batch.id);
                    }
                    batch.id
                }
            };
            self.send_batch(batch_id).await
        }
        .await;
        let report = sent.map_err(|e| self.send_failed(actor, r, e))?;
        self.store
            .approvals_mut()
            .mark_sent(r.id, Some(report.batch.id), None)?;
        Ok(report)
    }

    /// Queues an approved payout (once), sends it and marks the request sent; as for a batch,
    /// a failure leaves it `approved`, linked to its payout.
    async fn send_approved_payout(
        &self,
        actor: &Actor,
        r: &RequestRow,
        held: &HeldPayout,
    ) -> Result<PayoutRow> {
        let sent = async {
            let payout_id = match r.payout_id {
                Some(p) => p,
                None => {
                    let row = self.queue_one(&held.account, &held.input(), None)?;
                    self.store.approvals_mut().link(r.id, None, Some(row.id))?;
                    row.id
                }
            };
            self.submit(&[payout_id]).await?;
            Ok(payout_id)
        }
        .await;
        let payout_id = sent.map_err(|e| self.send_failed(actor, r, e))?;
        self.store
            .approvals_mut()
            .mark_sent(r.id, None, Some(payout_id))?;
        let sent = self.payout(payout_id)?.payout;
        self.journal(
            "payout.sent",
            sent.account_id,
            &sent.reference,
            crate::journal::payout(&sent),
        );
        self.audit_as(
            actor,
            "payout.sent",
            Some(&sent.id.to_string()),
            json!({"request": r.id, "count": 1, "amount": sent.amount, "total": sent.amount,
                   "name": sent.name, "status": sent.status}),
        )?;
        Ok(sent)
    }

    /// The audit entry of an approved request whose send failed; gives the error back.
    fn send_failed(&self, actor: &Actor, r: &RequestRow, e: CoreError) -> CoreError {
        let logged = self.audit_as(
            actor,
            &format!("{}.send_failed", word(r.kind)),
            Some(&r.id.to_string()),
            json!({"count": r.count, "total": r.total, "code": e.code(),
                   "error": e.to_string()}),
        );
        if let Err(l) = logged {
            tracing::warn!(error = %l, "the failed send could not be logged");
        }
        e
    }

    /// Sends again an approved payout or batch whose send failed, under the references it was
    /// given (its payouts already queued are sent, never made anew; a batch the failure
    /// stopped before its payouts existed is queued now, once).
    pub async fn resend_approved(&self, kind: Kind, id: i64) -> Result<ApprovalView> {
        let actor = self.require(Action::Approve)?;
        let r = self.request_of(kind, id)?;
        if r.status != RequestStatus::Approved {
            return Err(CoreError::refused(
                "not_unsent",
                format!(
                    "{} #{id} is {}: only an approved one whose send failed is sent again",
                    word(kind),
                    r.status.as_str()
                ),
            ));
        }
        if sha256(&r.request) != r.request_sha256 {
            return Err(CoreError::refused(
                "request_changed",
                format!(
                    "{} #{id} no longer matches what was prepared: it is not sent",
                    word(kind)
                ),
            ));
        }
        self.audit_as(
            &actor,
            &format!("{}.resent", word(kind)),
            Some(&id.to_string()),
            json!({"count": r.count, "total": r.total, "batch": r.batch_id,
                   "payout": r.payout_id}),
        )?;
        match kind {
            Kind::Batch => {
                let held: HeldBatch =
                    serde_json::from_str(&r.request).map_err(|e| CoreError::Io(e.to_string()))?;
                let plan = held.plan.clone();
                self.send_approved_batch(&actor, &r, &held.request(), &plan)
                    .await?;
            }
            Kind::Payout => {
                let held: HeldPayout =
                    serde_json::from_str(&r.request).map_err(|e| CoreError::Io(e.to_string()))?;
                self.send_approved_payout(&actor, &r, &held).await?;
            }
        }
        self.approval(id)
    }

    pub async fn approve_payout(&self, id: i64) -> Result<Prepared<PayoutRow>> {
        let actor = self.require(Action::Approve)?;
        let (r, user_id) = self.decidable(&actor, Kind::Payout, id)?;
        let held: HeldPayout =
            serde_json::from_str(&r.request).map_err(|e| CoreError::Io(e.to_string()))?;
        let account = self.account_row(&held.account)?;
        self.validate_payout(&account, &held.input())?;
        if !self.decide(&actor, user_id, &r, Decision::Approved, None)? {
            return Ok(Prepared::AwaitingApproval(Box::new(self.approval(id)?)));
        }
        Ok(Prepared::Sent(
            self.send_approved_payout(&actor, &r, &held).await?,
        ))
    }

    /// Rejects a batch or payout waiting for approval, with the reason.
    pub fn reject(&self, kind: Kind, id: i64, reason: &str) -> Result<ApprovalView> {
        let actor = self.require(Action::Approve)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CoreError::invalid(
                "reason",
                Invalid::Required,
                "say why it is rejected",
            ));
        }
        let (r, user_id) = self.decidable(&actor, kind, id)?;
        self.decide(&actor, user_id, &r, Decision::Rejected, Some(reason))?;
        self.approval(id)
    }

    /// Records a decision, its audit entry and, when it settles the request, its new status,
    /// in one transaction. True when this approval was the last one needed.
    fn decide(
        &self,
        actor: &Actor,
        user_id: i64,
        r: &RequestRow,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<bool> {
        let tx = self.store.write()?;
        tx.approvals_mut()
            .decide(r.id, user_id, decision, reason, &r.request_sha256)
            .map_err(|e| match e {
                StoreError::Refused(why) if why.contains("who prepared it") => {
                    self_approval(r.kind, r.id, actor)
                }
                StoreError::Refused(why) => CoreError::refused("approval_refused", why),
                StoreError::Duplicate { .. } => CoreError::refused(
                    "already_decided",
                    format!(
                        "{} already decided on {} #{}: nobody approves twice",
                        actor.who(),
                        word(r.kind),
                        r.id
                    ),
                ),
                e => e.into(),
            })?;
        let approved = tx
            .approvals()
            .decisions(r.id)?
            .iter()
            .filter(|d| d.decision == Decision::Approved)
            .count() as i64;
        let (action, settles) = match decision {
            Decision::Rejected => ("rejected", Some(RequestStatus::Rejected)),
            Decision::Approved if approved >= r.needed => {
                ("approved", Some(RequestStatus::Approved))
            }
            Decision::Approved => ("approved", None),
        };
        let last = match settles {
            Some(to) => tx
                .approvals_mut()
                .set_status(r.id, RequestStatus::AwaitingApproval, to)?,
            None => false,
        };
        tx.audit_mut().append(&guichet_store::audit::NewAudit {
            user_id: Some(user_id),
            user_name: actor.name.as_deref(),
            action: &format!("{}.{action}", word(r.kind)),
            subject: Some(&r.id.to_string()),
            details: &json!({"total": r.total, "count": r.count, "reason": reason,
                             "sha256": r.request_sha256, "approvals": approved,
                             "needed": r.needed}),
        })?;
        tx.commit()?;
        Ok(last && decision == Decision::Approved)
    }

    /// A batch confirmed (its payouts queued with their references): who prepared it, which
    /// request it came from, and the audit entry.
    fn batch_confirmed(
        &self,
        actor: &Actor,
        batch_id: i64,
        from: Option<&RequestRow>,
    ) -> Result<()> {
        let batch = self.store.batches().get(batch_id)?;
        match from {
            Some(r) => self
                .store
                .approvals_mut()
                .link(r.id, Some(batch_id), None)?,
            None => {
                if let Some(id) = actor.id {
                    self.store
                        .approvals_mut()
                        .set_prepared_by(Some(batch_id), None, id)?;
                }
            }
        }
        self.audit(
            "batch.sent",
            Some(&batch_id.to_string()),
            json!({"request": from.map(|r| r.id), "file": batch.file_name,
                   "count": batch.row_count, "total": batch.total}),
        )
    }
}

fn self_approval(kind: Kind, id: i64, actor: &Actor) -> CoreError {
    CoreError::refused(
        "approver_is_preparer",
        format!(
            "{} prepared {} #{id}: who prepares it cannot approve or reject it; another person must",
            actor.who(),
            word(kind)
        ),
    )
}
