//! People, approvals and the audit log: thin commands over `guichet_core::people`; every role
//! is checked in core. PINs come in from the sign-in and "add a person" forms and go no
//! further than core, which keeps only their hashes; no command returns one.

use super::blocking;
use crate::error::CmdResult;
use crate::state::AppState;
use guichet_core::payouts::{BatchDetail, PayoutRow};
use guichet_core::people::{
    Action, Actor, ApprovalView, AuditEntry, AuditFilter, Kind, PeopleState, Policy, PolicyChange,
    Prepared, Role, UserRow, Verdict,
};
use std::sync::atomic::Ordering;
use tauri::State;

/// What answers while several people share the folder and nobody is signed in: the sign-in
/// and the first screen's language.
pub const WITHOUT_ANYONE: &[&str] = &[
    "people_state",
    "sign_in",
    "sign_out",
    "ui_ready",
    "settings_get",
    "idle_lock_get",
];

/// The refusal of every other command while nobody is signed in.
pub fn nobody_signed_in() -> guichet_core::CoreError {
    guichet_core::CoreError::refused(
        "who_is_working",
        "several people work in this folder: sign in first",
    )
}

/// The idle lock's setting, in seconds (0: never). The screen offers minutes.
const IDLE_LOCK: &str = "idle_lock_seconds";
/// Ten minutes unless the owner chose otherwise.
const IDLE_LOCK_DEFAULT: u32 = 600;
/// A day at most.
const IDLE_LOCK_MAX_MINUTES: u32 = 24 * 60;

#[tauri::command]
pub async fn people_state(state: State<'_, AppState>) -> CmdResult<PeopleState> {
    let g = state.guichet.clone();
    blocking(move || g.people_state()).await
}

#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>, name: String, pin: String) -> CmdResult<Actor> {
    let g = state.guichet.clone();
    let actor = blocking(move || g.sign_in(Some(&name), Some(&pin))).await?;
    state.nobody.store(false, Ordering::Relaxed);
    Ok(actor)
}

/// "Changer de personne" and the idle lock: with several people, nobody acts until the next
/// sign-in (the app answers only the sign-in's commands meanwhile).
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> CmdResult<()> {
    let g = state.guichet.clone();
    let several = blocking(move || {
        let several = g.several_people()?;
        if several {
            g.sign_out();
        }
        Ok(several)
    })
    .await?;
    state.nobody.store(several, Ordering::Relaxed);
    Ok(())
}

/// Seconds of inactivity before the app signs out when several people share it (0: never).
#[tauri::command]
pub async fn idle_lock_get(state: State<'_, AppState>) -> CmdResult<u32> {
    let g = state.guichet.clone();
    blocking(move || g.setting(IDLE_LOCK, IDLE_LOCK_DEFAULT)).await
}

/// The owner sets the idle lock in minutes (0: never); it is kept in seconds.
#[tauri::command]
pub async fn idle_lock_set(state: State<'_, AppState>, minutes: u32) -> CmdResult<u32> {
    let g = state.guichet.clone();
    blocking(move || {
        g.require(Action::Settings)?;
        if minutes > IDLE_LOCK_MAX_MINUTES {
            return Err(guichet_core::CoreError::invalid(
                "idle_lock",
                guichet_core::Invalid::Range {
                    min: 0,
                    max: IDLE_LOCK_MAX_MINUTES.into(),
                },
                format!("{minutes} minutes: the idle lock is 0 (never) to a day"),
            ));
        }
        g.set_setting(IDLE_LOCK, &(minutes * 60))?;
        g.setting(IDLE_LOCK, IDLE_LOCK_DEFAULT)
    })
    .await
}

#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> CmdResult<Vec<UserRow>> {
    let g = state.guichet.clone();
    blocking(move || g.users()).await
}

#[tauri::command]
pub async fn user_add(
    state: State<'_, AppState>,
    name: String,
    role: Role,
    pin: String,
) -> CmdResult<UserRow> {
    let g = state.guichet.clone();
    blocking(move || g.add_user(&name, role, &pin)).await
}

#[tauri::command]
pub async fn user_remove(state: State<'_, AppState>, name: String) -> CmdResult<UserRow> {
    let g = state.guichet.clone();
    blocking(move || g.remove_user(&name)).await
}

#[tauri::command]
pub async fn approvals_waiting(
    state: State<'_, AppState>,
    kind: Option<Kind>,
) -> CmdResult<Vec<ApprovalView>> {
    let g = state.guichet.clone();
    blocking(move || g.awaiting_approval(kind)).await
}

#[tauri::command]
pub async fn batch_approve(
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Prepared<BatchDetail>> {
    let done = state.guichet.approve_batch(id).await;
    state.poller.wake();
    Ok(done?)
}

#[tauri::command]
pub async fn payout_approve(state: State<'_, AppState>, id: i64) -> CmdResult<Prepared<PayoutRow>> {
    let done = state.guichet.approve_payout(id).await;
    state.poller.wake();
    Ok(done?)
}

#[tauri::command]
pub async fn approval_reject(
    state: State<'_, AppState>,
    kind: Kind,
    id: i64,
    reason: String,
) -> CmdResult<ApprovalView> {
    let g = state.guichet.clone();
    blocking(move || g.reject(kind, id, &reason)).await
}

/// Sends again an approved payout or batch whose send failed (`unsent` in the list), under the
/// references it was given.
#[tauri::command]
pub async fn approval_resend(
    state: State<'_, AppState>,
    kind: Kind,
    id: i64,
) -> CmdResult<ApprovalView> {
    let done = state.guichet.resend_approved(kind, id).await;
    // Tracking, and whatever an error left queued, is the poller's.
    state.poller.wake();
    Ok(done?)
}

#[tauri::command]
pub async fn policy_get(state: State<'_, AppState>, account: String) -> CmdResult<Policy> {
    let g = state.guichet.clone();
    blocking(move || g.approval_policy(&account)).await
}

#[tauri::command]
pub async fn policy_set(
    state: State<'_, AppState>,
    account: String,
    change: PolicyChange,
) -> CmdResult<Policy> {
    let g = state.guichet.clone();
    blocking(move || g.set_approval_policy(&account, &change)).await
}

#[tauri::command]
pub async fn audit_list(
    state: State<'_, AppState>,
    filter: AuditFilter,
    limit: u32,
) -> CmdResult<Vec<AuditEntry>> {
    let g = state.guichet.clone();
    blocking(move || g.audit_entries(&filter, limit)).await
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> CmdResult<Verdict> {
    let g = state.guichet.clone();
    blocking(move || g.verify_audit()).await
}

#[tauri::command]
pub async fn audit_export(state: State<'_, AppState>, path: String) -> CmdResult<u64> {
    let g = state.guichet.clone();
    blocking(move || g.export_audit(std::path::Path::new(&path))).await
}

/// The screens that send (payout form, batch review) receive what was sent; one held for
/// approval comes back as the `awaiting_approval` refusal, which they show as it is.
pub fn sent_or_waiting<T>(done: Prepared<T>) -> CmdResult<T> {
    match done {
        Prepared::Sent(t) => Ok(t),
        Prepared::AwaitingApproval(v) => Err(guichet_core::CoreError::refused(
            "awaiting_approval",
            format!(
                "{} #{} awaits approval ({} missing): nothing was sent",
                match v.request.kind {
                    Kind::Batch => "batch",
                    Kind::Payout => "payout",
                },
                v.request.id,
                v.approvals_missing
            ),
        )
        .into()),
    }
}
