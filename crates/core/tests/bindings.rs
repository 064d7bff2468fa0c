//! TypeScript bindings for the types the UI receives, generated from the Rust types so the UI
//! never keeps its own copies. `UPDATE_BINDINGS=1 cargo test -p guichet-core --features ts --test
//! bindings` rewrites `ui/src/bindings/index.ts`; without it, the test fails when the file is stale.
#![cfg(feature = "ts")]

use guichet_core::accounts::{AccountForm, AccountView, ProviderInfo, SecretState};
use guichet_core::adapters::{CallbackCheck, Capabilities};
use guichet_core::automation::{Automation, AutomationState};
use guichet_core::balances::{AccountBalances, AccountTest};
use guichet_core::books::export::{Dataset, ExportRequest, ExportSummary, FileFormat};
use guichet_core::books::reconcile::{Category, ReconCounts, ReconLine, ReconcileReport};
use guichet_core::books::{DateStyle, Lang};
use guichet_core::callbacks::CallbackOutcome;
use guichet_core::collections::{CollectionDetail, CollectionInput, HistoryReport};
use guichet_core::contacts::{
    ColumnChoice, ContactEdit, ContactImport, ContactImportRow, Field, Format, ImportOptions,
    ImportTotals, MappedColumn, PhoneError, Problem, PushOutcome, RowReason, RowState, SampleRow,
    SheetList, TableInfo,
};
use guichet_core::dashboard::{
    AccountSummary, BalancePoint, BalanceSeries, Dashboard, DayTotals, ToDo, ToDoKind,
};
use guichet_core::draft::PayoutDraft;
use guichet_core::log::EventFilter;
use guichet_core::payouts::{
    AmountEdit, AmountReading, BatchBlocker, BatchColumns, BatchDetail, BatchLine, BatchPreview,
    FileTotal, ListChanges, ListPerson, ListSaved, OperatorTotal, PaidBefore, Payee, PayeeList,
    PayeeListDetail, PayoutDetail, PayoutFilter, PayoutInput, PreviewRow, RememberedColumns,
    RetryCorrection, RetryOf, RowIssue, StatusCount, SyncReport,
};
use guichet_core::payouts::{BatchNotice, BatchPlan, NoticeKind, PlanState, SendPlan, WhenShort};
use guichet_core::people::{
    Actor, ApprovalView, AuditEntry, AuditFacts, AuditFilter, Break, Broken, Decision,
    DecisionView, Kind, PeopleState, Policy, PolicyChange, Prepared, RequestStatus, Role, UserRow,
    Verdict,
};
use guichet_core::settings::Settings;
use guichet_core::{CoreEvent, ErrorCode, Invalid, ProviderFailure};
use guichet_store::approvals::RequestRow;
use guichet_store::audit::AuditRow;
use guichet_store::balances::BalanceSnapshot;
use guichet_store::batches::BatchRow;
use guichet_store::callbacks::CallbackRow;
use guichet_store::collections::{CollectionHistoryRow, CollectionKind, CollectionRow};
use guichet_store::contacts::{
    ContactCursor, ContactPage, ContactPageRequest, ContactRow, ProviderState,
};
use guichet_store::events::EventRow;
use guichet_store::page::{Page, PageRequest};
use guichet_store::payouts::{HistoryRow, PayoutRow};
use guichet_types::{Amount, AmountInput, Country, Currency, Provider, UnifiedStatus};
use ts_rs::TS;

fn generated() -> String {
    // JSON carries ids and francs as plain numbers; all are far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let cfg = &cfg;
    let decls = [
        Amount::decl(cfg),
        AmountInput::decl(cfg),
        Provider::decl(cfg),
        Country::decl(cfg),
        Currency::decl(cfg),
        UnifiedStatus::decl(cfg),
        SecretState::decl(cfg),
        AccountView::decl(cfg),
        CallbackCheck::decl(cfg),
        Capabilities::decl(cfg),
        ProviderInfo::decl(cfg),
        AccountForm::decl(cfg),
        CoreEvent::decl(cfg),
        PayoutInput::decl(cfg),
        PayoutRow::decl(cfg),
        HistoryRow::decl(cfg),
        PayoutDetail::decl(cfg),
        SyncReport::decl(cfg),
        BatchLine::decl(cfg),
        RowIssue::decl(cfg),
        PaidBefore::decl(cfg),
        RetryCorrection::decl(cfg),
        RetryOf::decl(cfg),
        AmountReading::decl(cfg),
        PayoutDraft::decl(cfg),
        ProviderFailure::decl(cfg),
        Invalid::decl(cfg),
        ErrorCode::decl(cfg),
        FileTotal::decl(cfg),
        RememberedColumns::decl(cfg),
        BatchColumns::decl(cfg),
        PreviewRow::decl(cfg),
        OperatorTotal::decl(cfg),
        BatchBlocker::decl(cfg),
        BatchRow::decl(cfg),
        BatchPreview::decl(cfg),
        StatusCount::decl(cfg),
        BatchDetail::decl(cfg),
        BatchPlan::decl(cfg),
        PlanState::decl(cfg),
        WhenShort::decl(cfg),
        SendPlan::decl(cfg),
        BatchNotice::decl(cfg),
        NoticeKind::decl(cfg),
        BalanceSnapshot::decl(cfg),
        AccountBalances::decl(cfg),
        AccountTest::decl(cfg),
        PageRequest::decl(cfg),
        Page::<()>::decl(cfg),
        PayoutFilter::decl(cfg),
        EventRow::decl(cfg),
        EventFilter::decl(cfg),
        BalancePoint::decl(cfg),
        BalanceSeries::decl(cfg),
        AccountSummary::decl(cfg),
        DayTotals::decl(cfg),
        ToDoKind::decl(cfg),
        ToDo::decl(cfg),
        Dashboard::decl(cfg),
        Settings::decl(cfg),
        CollectionKind::decl(cfg),
        CollectionInput::decl(cfg),
        CollectionRow::decl(cfg),
        CollectionHistoryRow::decl(cfg),
        CollectionDetail::decl(cfg),
        HistoryReport::decl(cfg),
        CallbackOutcome::decl(cfg),
        CallbackRow::decl(cfg),
        Automation::decl(cfg),
        AutomationState::decl(cfg),
        Field::decl(cfg),
        Format::decl(cfg),
        MappedColumn::decl(cfg),
        SampleRow::decl(cfg),
        TableInfo::decl(cfg),
        SheetList::decl(cfg),
        ColumnChoice::decl(cfg),
        ImportOptions::decl(cfg),
        RowState::decl(cfg),
        Problem::decl(cfg),
        PhoneError::decl(cfg),
        RowReason::decl(cfg),
        PushOutcome::decl(cfg),
        ContactImportRow::decl(cfg),
        ImportTotals::decl(cfg),
        ContactImport::decl(cfg),
        ProviderState::decl(cfg),
        ContactRow::decl(cfg),
        ContactCursor::decl(cfg),
        ContactPageRequest::decl(cfg),
        ContactPage::decl(cfg),
        ContactEdit::decl(cfg),
        Lang::decl(cfg),
        DateStyle::decl(cfg),
        Dataset::decl(cfg),
        FileFormat::decl(cfg),
        ExportRequest::decl(cfg),
        ExportSummary::decl(cfg),
        Category::decl(cfg),
        ReconLine::decl(cfg),
        ReconCounts::decl(cfg),
        ReconcileReport::decl(cfg),
        Role::decl(cfg),
        UserRow::decl(cfg),
        Actor::decl(cfg),
        PeopleState::decl(cfg),
        Kind::decl(cfg),
        RequestStatus::decl(cfg),
        RequestRow::decl(cfg),
        Decision::decl(cfg),
        DecisionView::decl(cfg),
        ApprovalView::decl(cfg),
        Prepared::<ts_rs::Dummy>::decl(cfg),
        Policy::decl(cfg),
        PolicyChange::decl(cfg),
        AuditRow::decl(cfg),
        AuditEntry::decl(cfg),
        AuditFacts::decl(cfg),
        AuditFilter::decl(cfg),
        Break::decl(cfg),
        Broken::decl(cfg),
        Verdict::decl(cfg),
        AmountEdit::decl(cfg),
        ListChanges::decl(cfg),
        ListPerson::decl(cfg),
        ListSaved::decl(cfg),
        Payee::decl(cfg),
        PayeeList::decl(cfg),
        PayeeListDetail::decl(cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by crates/core/tests/bindings.rs. Do not edit.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    // Operators in plain words: the screens name them from the one table.
    out.push_str("/** Operator codes and their names (`guichet_types::operator`). */\n");
    out.push_str("export const OPERATOR_NAMES: Record<string, string> = {\n");
    for (code, name) in guichet_types::operator::OPERATOR_NAMES {
        out.push_str(&format!("  {code}: {name:?},\n"));
    }
    out.push_str("};\n");
    out.trim_end().to_string() + "\n"
}

#[test]
fn ui_bindings_are_up_to_date() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings/index.ts");
    let want = generated();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/bindings/index.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p guichet-core --features ts --test bindings`"
    );
}
