// Every command the webview may call. build.rs turns each into an `allow-<name>` permission
// (underscores as dashes) and capabilities/default.json grants exactly these; a command that is
// registered in lib.rs but missing here, or not granted, is refused at run time.
// tests/capabilities.rs checks that the three lists agree.
pub const COMMANDS: &[&str] = &[
    "provider_catalog",
    "account_list",
    "account_add",
    "account_edit",
    "account_remove",
    "balance_check",
    "account_test",
    "demo_start",
    "contacts_sheets",
    "contacts_columns",
    "contacts_preview",
    "contacts_import",
    "contacts_list",
    "contacts_edit",
    "contacts_delete",
    "payout_send",
    "payout_page",
    "payout_show",
    "dashboard",
    "event_page",
    "ui_ready",
    "settings_get",
    "settings_set_language",
    "settings_set_notifications",
    "open_data_dir",
    "export_run",
    "reconcile_run",
    "reconcile_report_save",
];
