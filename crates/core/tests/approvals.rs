//! Approvals through core, as the app's commands call them: a batch held for approval tells
//! the approvers (an event) and writes one audit entry with its count and total; an approved
//! batch whose send failed stays listed as such and is sent again under the same references.

mod common;

use guichet_core::people::{AuditFilter, Kind, PolicyChange, Prepared, RequestStatus, Role};
use guichet_core::{CoreEvent, EventSink, Guichet};
use guichet_sandbox::{Fault, FaultRule, SandboxHandle};
use guichet_types::Amount;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Events(Mutex<Vec<CoreEvent>>);

impl EventSink for Events {
    fn emit(&self, event: CoreEvent) {
        self.0.lock().unwrap().push(event);
    }
}

/// Douala (My-CoolPay) with a batch above 1 000 F waiting for approval; Awa prepares, Ali
/// approves, Moussa owns.
async fn shop() -> (tempfile::TempDir, Guichet, SandboxHandle, Arc<Events>) {
    let sb = common::settled_sandbox().await;
    let (dir, g) = common::guichet_with_accounts(&sb);
    let events = Arc::new(Events::default());
    let g = g.with_events(events.clone());
    g.add_user("Moussa", Role::Owner, "48213579").unwrap();
    g.add_user("Awa", Role::Preparer, "13572468").unwrap();
    g.add_user("Ali", Role::Approver, "24681357").unwrap();
    g.set_approval_policy(
        "Douala",
        &PolicyChange {
            batch_approve_above: Some(Some(Amount(1_000))),
            ..Default::default()
        },
    )
    .unwrap();
    std::fs::write(
        dir.path().join("paie.csv"),
        "telephone;montant;nom\n677123456;5000;Awa\n699654321;2500;Yao\n",
    )
    .unwrap();
    (dir, g, sb, events)
}

fn audit(g: &Guichet, action: &str) -> Vec<guichet_core::people::AuditEntry> {
    g.audit_entries(&AuditFilter::default(), 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.row.action == action)
        .collect()
}

/// Prepared as the app's batch screen does (`payout_batch_confirm` calls `prepare_batch`).
async fn prepare(g: &Guichet, dir: &std::path::Path) -> i64 {
    g.sign_in(Some("Awa"), Some("13572468")).unwrap();
    let req = g
        .read_batch(&dir.join("paie.csv"), "Douala", &Default::default(), false)
        .unwrap();
    let preview = g.preview_batch(&req).await.unwrap();
    match g.prepare_batch(&req, &preview).await.unwrap() {
        Prepared::AwaitingApproval(v) => v.request.id,
        Prepared::Sent(b) => panic!("sent without approval: {b:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_batch_tells_the_approvers_and_is_logged_once_with_its_count_and_total() {
    let (dir, g, sb, events) = shop().await;
    let before = g
        .audit_entries(&AuditFilter::default(), 1000)
        .unwrap()
        .len();
    let id = prepare(&g, dir.path()).await;

    let waiting: Vec<CoreEvent> = events
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, CoreEvent::ApprovalWaiting { .. }))
        .cloned()
        .collect();
    assert_eq!(
        waiting,
        [CoreEvent::ApprovalWaiting {
            what: Kind::Batch,
            id,
            preparer: "Awa".into(),
            count: 2,
            total: Amount(7_500),
            account: "Douala".into(),
        }]
    );
    // One entry, the sign-in aside: the batch prepared, with its figures in typed fields.
    let all = g.audit_entries(&AuditFilter::default(), 1000).unwrap();
    let new: Vec<&str> = all[..all.len() - before]
        .iter()
        .map(|e| e.row.action.as_str())
        .collect();
    assert_eq!(new, ["batch.prepared", "signin"]);
    let prepared = &all[0];
    assert_eq!(
        (
            prepared.object.as_str(),
            prepared.object_id.as_deref(),
            prepared.count,
            prepared.total,
            prepared.row.user_name.as_deref()
        ),
        (
            "batch",
            Some(&*id.to_string()),
            Some(2),
            Some(Amount(7_500)),
            Some("Awa")
        )
    );
    assert!(sb.ledger().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_batch_whose_send_failed_stays_listed_and_is_sent_again_under_the_same_references(
) {
    let (dir, g, sb, _events) = shop().await;
    let id = prepare(&g, dir.path()).await;
    g.sign_in(Some("Ali"), Some("24681357")).unwrap();
    // The approval's own check reads the balance; the send's, just after the approval is
    // recorded, finds My-CoolPay down (every retry of it too).
    sb.set_faults(
        (0..6)
            .map(|_| FaultRule {
                route: "/balance".into(),
                method: None,
                nth: Some(2),
                probability: None,
                fault: Fault::Status { code: 503 },
            })
            .collect(),
    );
    let e = g.approve_batch(id).await.unwrap_err();
    assert_eq!(e.code(), "balance_unavailable", "{e}");
    sb.set_faults(vec![]);

    // Approved, not sent, and said so where the approvers look.
    let listed = g.awaiting_approval(Some(Kind::Batch)).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].request.status, RequestStatus::Approved);
    assert!(listed[0].unsent);
    assert_eq!(audit(&g, "batch.send_failed").len(), 1);
    assert!(sb.ledger().is_empty());
    // Approving again is no way round: it is not awaiting approval any more.
    assert_eq!(
        g.approve_batch(id).await.unwrap_err().code(),
        "not_awaiting_approval"
    );

    let view = g.resend_approved(Kind::Batch, id).await.unwrap();
    assert_eq!(view.request.status, RequestStatus::Sent);
    assert!(!view.unsent);
    let batch_id = view.request.batch_id.expect("linked to its batch");
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let payouts = g.list_payouts(None, None, None, 100).unwrap();
    assert_eq!(payouts.len(), 2);
    assert!(payouts.iter().all(|p| p.batch_id == Some(batch_id)));
    let mut ledger: Vec<String> = sb.ledger().iter().map(|e| e.reference.clone()).collect();
    ledger.sort();
    let mut ours: Vec<String> = payouts.iter().map(|p| p.reference.clone()).collect();
    ours.sort();
    assert_eq!(ledger, ours, "each payout left once, under its reference");
    assert!(g.awaiting_approval(None).unwrap().is_empty());
    // Sent: nothing to send again.
    assert_eq!(
        g.resend_approved(Kind::Batch, id).await.unwrap_err().code(),
        "not_unsent"
    );
    assert_eq!(audit(&g, "batch.resent").len(), 1);
}
