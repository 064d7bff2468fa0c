use crate::payouts::RowIssue;
use guichet_providers::{ErrorKind, ProviderError};
use guichet_secrets::SecretError;
use guichet_store::StoreError;
use guichet_types::Provider;
use serde::Serialize;

pub type Result<T> = std::result::Result<T, CoreError>;

/// Every failure the UI and the CLI show. `code()` is stable: the UI branches on it and
/// translates it; `to_string()` is the English explanation with the specifics.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Bad input from the merchant; `field` names what to fix, `why` says why for the screens.
    #[error("{field}: {message}")]
    Invalid {
        field: String,
        why: Invalid,
        message: String,
    },
    #[error("{what} `{key}` not found")]
    NotFound { what: &'static str, key: String },
    #[error("{what} `{key}` already exists")]
    Duplicate { what: &'static str, key: String },
    /// Guichet refuses to go on, for a reason the merchant can act on; `code` names it for the
    /// UI (`insufficient_balance`, `batch_already_sent`, `file_changed`, `nothing_to_send`,
    /// `balance_unavailable`).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Store(StoreError),
    #[error("{0}")]
    Io(String),
    /// A spreadsheet that can't be read; nothing was changed.
    #[error(transparent)]
    File(#[from] guichet_tabular::TabularError),
    /// A provider refused or could not be reached, in words.
    #[error("{0}")]
    Provider(String),
    /// A failure the screens word from its code and parameters; `message` is the English
    /// explanation the command line prints.
    #[error("{message}")]
    Coded { code: ErrorCode, message: String },
}

/// What went wrong, as a code with its parameters: the UI words each one in the merchant's
/// language (`ui/src/lib/errors.ts` covers every variant, checked by the compiler).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum ErrorCode {
    /// Bad input in `field`, and why.
    InvalidInput {
        field: String,
        why: Invalid,
    },
    /// A phone, amount or operator problem, worded as a batch row's.
    Row {
        issue: Box<RowIssue>,
    },
    NotFound {
        what: String,
        key: String,
    },
    Duplicate {
        what: String,
        key: String,
    },
    /// The account has payouts or collections: it is kept for the books.
    AccountInUse {
        label: String,
    },
    /// This account's provider cannot send payouts (SOFTSYSTEM collects only).
    CannotPayOut {
        provider: Provider,
    },
    /// CinetPay transfers need the account's notification URL.
    NotifyUrlNeeded {
        account: String,
    },
    /// My-CoolPay refused the SMS code the customer gave; `answer` is the provider's words.
    SmsCodeRefused {
        answer: String,
    },
    /// The provider offers no balance call for this account.
    NoBalanceCall,
    /// The provider refused or could not be reached.
    ProviderError {
        failure: ProviderFailure,
        answer: String,
    },
    InsufficientBalance,
    BatchAlreadySent,
    FileChanged,
    NothingToSend,
    BalanceUnavailable,
    TotalTooLarge,
    KeyringUnavailable,
    KeyringLocked,
    SecretMissing,
    KeyringError,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseError,
    IoError,
    FileUnreadable,
    FileEmpty,
    FileNoRows,
    FileTooLarge,
    FileTooManyRows,
    FileTooManyColumns,
    FileNotSpreadsheet,
    FileUnsafe,
    FileBadRow,
    SheetMissing,
    SheetAmbiguous,
    ColumnMissing,
    ColumnAmbiguous,
    ColumnUnknown,
    /// The system could not open the folder or link.
    OpenFailed,
    Internal,
    AwaitingApproval,
    NotAllowed,
    ApproverIsPreparer,
    AlreadyDecided,
    ApprovalRefused,
    LastOwner,
    NobodySignedIn,
    NotAwaitingApproval,
    /// Sending again is for an approved payout or batch whose send failed.
    NotUnsent,
    PinNeeded,
    PinWait,
    RequestChanged,
    WhoIsWorking,
    WrongPin,
    /// The batch left (or was cancelled): it can no longer be cancelled or scheduled.
    BatchNotWaiting,
}

/// Why a field was refused, with what the screens need to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Invalid {
    /// Nothing was given.
    Required,
    TooLong {
        max: u32,
    },
    /// Fewer than `min` characters (a PIN).
    TooShort {
        min: u32,
    },
    /// A batch whose payouts are not all final yet.
    BatchUnderWay {
        batch: i64,
    },
    /// A line of an amounts file whose number is not a mobile number.
    NotAPhoneOnLine {
        line: u32,
        value: String,
    },
    /// A number given twice in an amounts file (`first`: the line it was first on).
    PhoneTwice {
        line: u32,
        first: u32,
        phone: String,
    },
    /// A line of an amounts file whose number is not among the payouts to pay again.
    NotToRepay {
        line: u32,
        phone: String,
    },
    /// A correction for a payout that is not among the failures to pay again.
    NotAFailure {
        payout: i64,
    },
    /// A corrections file with neither an amount column nor a new number column.
    NoCorrectionColumn,
    /// A cell that gives no value (a formula never computed, `#REF!`), at `line`, `column`.
    UnreadableCell {
        line: u32,
        column: String,
    },
    /// Below `min` (amounts in francs, thresholds).
    AtLeast {
        min: i64,
    },
    /// Outside `min..=max` (hours, ports, minutes from UTC).
    Range {
        min: i64,
        max: i64,
    },
    /// Not a web address Guichet accepts (`https://`, or `http://` on this machine only).
    NotUrl {
        value: String,
    },
    NotEmail {
        value: String,
    },
    NotIpAddress {
        value: String,
    },
    /// Not a day (`23/11/2026`) or a time.
    NotDate {
        value: String,
    },
    /// Not a date and time (`2026-12-25 08:00`).
    NotDateTime {
        value: String,
    },
    /// A date and time already past, where one to come is needed.
    InThePast {
        value: String,
    },
    /// The last day is before the first.
    EndBeforeStart,
    /// A period longer than `max` days.
    TooManyDays {
        max: u32,
    },
    /// Not one of the choices offered.
    NotAChoice {
        value: String,
    },
    /// The account is of another provider than this needs.
    WrongProvider {
        account: String,
    },
    /// An account's provider is fixed once created.
    ProviderFixed,
    /// A new host needs the secrets typed again: the current ones are not sent there.
    SecretsAgain,
    /// Two labels that would share the same environment variables.
    LabelClash {
        other: String,
    },
    /// My-CoolPay pays Cameroonian numbers only.
    CameroonOnly,
    /// Digits only (the SMS code).
    DigitsOnly,
    /// The collection is not in a state that allows this.
    WrongState {
        reference: String,
    },
    /// The link is not one Guichet opens (only `https://` and its own checkout pages).
    LinkRefused,
    /// The content could not be read (a file, a notification's body).
    Unreadable,
}

/// How a provider call failed, for the screens to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProviderFailure {
    Credentials,
    InsufficientBalance,
    RateLimited,
    Unavailable,
    Refused,
}

impl ErrorCode {
    /// The code alone (`not_found`), as the command line and the logs name it.
    pub fn name(&self) -> &'static str {
        match self {
            ErrorCode::InvalidInput { .. } => "invalid_input",
            ErrorCode::Row { .. } => "invalid_input",
            ErrorCode::NotFound { .. } => "not_found",
            ErrorCode::Duplicate { .. } => "duplicate",
            ErrorCode::AccountInUse { .. } => "account_in_use",
            ErrorCode::CannotPayOut { .. } => "cannot_pay_out",
            ErrorCode::NotifyUrlNeeded { .. } => "notify_url_needed",
            ErrorCode::SmsCodeRefused { .. } => "sms_code_refused",
            ErrorCode::NoBalanceCall => "no_balance_call",
            ErrorCode::ProviderError { .. } => "provider_error",
            ErrorCode::InsufficientBalance => "insufficient_balance",
            ErrorCode::BatchAlreadySent => "batch_already_sent",
            ErrorCode::FileChanged => "file_changed",
            ErrorCode::NothingToSend => "nothing_to_send",
            ErrorCode::BalanceUnavailable => "balance_unavailable",
            ErrorCode::TotalTooLarge => "total_too_large",
            ErrorCode::KeyringUnavailable => "keyring_unavailable",
            ErrorCode::KeyringLocked => "keyring_locked",
            ErrorCode::SecretMissing => "secret_missing",
            ErrorCode::KeyringError => "keyring_error",
            ErrorCode::DatabaseCorrupt => "database_corrupt",
            ErrorCode::DatabaseTooNew => "database_too_new",
            ErrorCode::DatabaseError => "database_error",
            ErrorCode::IoError => "io_error",
            ErrorCode::FileUnreadable => "file_unreadable",
            ErrorCode::FileEmpty => "file_empty",
            ErrorCode::FileNoRows => "file_no_rows",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::FileTooManyRows => "file_too_many_rows",
            ErrorCode::FileTooManyColumns => "file_too_many_columns",
            ErrorCode::FileNotSpreadsheet => "file_not_spreadsheet",
            ErrorCode::FileUnsafe => "file_unsafe",
            ErrorCode::FileBadRow => "file_bad_row",
            ErrorCode::SheetMissing => "sheet_missing",
            ErrorCode::SheetAmbiguous => "sheet_ambiguous",
            ErrorCode::ColumnMissing => "column_missing",
            ErrorCode::ColumnAmbiguous => "column_ambiguous",
            ErrorCode::ColumnUnknown => "column_unknown",
            ErrorCode::OpenFailed => "open_failed",
            ErrorCode::Internal => "internal",
            ErrorCode::AwaitingApproval => "awaiting_approval",
            ErrorCode::NotAllowed => "not_allowed",
            ErrorCode::ApproverIsPreparer => "approver_is_preparer",
            ErrorCode::AlreadyDecided => "already_decided",
            ErrorCode::ApprovalRefused => "approval_refused",
            ErrorCode::LastOwner => "last_owner",
            ErrorCode::NobodySignedIn => "nobody_signed_in",
            ErrorCode::NotAwaitingApproval => "not_awaiting_approval",
            ErrorCode::NotUnsent => "not_unsent",
            ErrorCode::PinNeeded => "pin_needed",
            ErrorCode::PinWait => "pin_wait",
            ErrorCode::RequestChanged => "request_changed",
            ErrorCode::WhoIsWorking => "who_is_working",
            ErrorCode::WrongPin => "wrong_pin",
            ErrorCode::BatchNotWaiting => "batch_not_waiting",
        }
    }

    /// The code of a name the core gives as text (refusals, spreadsheet errors).
    fn named(name: &str, field: &str) -> ErrorCode {
        match name {
            "insufficient_balance" => ErrorCode::InsufficientBalance,
            "batch_already_sent" => ErrorCode::BatchAlreadySent,
            "file_changed" => ErrorCode::FileChanged,
            "nothing_to_send" => ErrorCode::NothingToSend,
            "balance_unavailable" => ErrorCode::BalanceUnavailable,
            "total_too_large" => ErrorCode::TotalTooLarge,
            "file_unreadable" => ErrorCode::FileUnreadable,
            "file_empty" => ErrorCode::FileEmpty,
            "file_no_rows" => ErrorCode::FileNoRows,
            "file_too_large" => ErrorCode::FileTooLarge,
            "file_too_many_rows" => ErrorCode::FileTooManyRows,
            "file_too_many_columns" => ErrorCode::FileTooManyColumns,
            "file_not_spreadsheet" => ErrorCode::FileNotSpreadsheet,
            "file_unsafe" => ErrorCode::FileUnsafe,
            "file_bad_row" => ErrorCode::FileBadRow,
            "sheet_missing" => ErrorCode::SheetMissing,
            "sheet_ambiguous" => ErrorCode::SheetAmbiguous,
            "column_missing" => ErrorCode::ColumnMissing,
            "column_ambiguous" => ErrorCode::ColumnAmbiguous,
            "column_unknown" => ErrorCode::ColumnUnknown,
            "awaiting_approval" => ErrorCode::AwaitingApproval,
            "not_allowed" => ErrorCode::NotAllowed,
            "approver_is_preparer" => ErrorCode::ApproverIsPreparer,
            "already_decided" => ErrorCode::AlreadyDecided,
            "approval_refused" => ErrorCode::ApprovalRefused,
            "last_owner" => ErrorCode::LastOwner,
            "nobody_signed_in" => ErrorCode::NobodySignedIn,
            "not_awaiting_approval" => ErrorCode::NotAwaitingApproval,
            "not_unsent" => ErrorCode::NotUnsent,
            "pin_needed" => ErrorCode::PinNeeded,
            "pin_wait" => ErrorCode::PinWait,
            "request_changed" => ErrorCode::RequestChanged,
            "who_is_working" => ErrorCode::WhoIsWorking,
            "wrong_pin" => ErrorCode::WrongPin,
            "batch_not_waiting" => ErrorCode::BatchNotWaiting,
            _ => ErrorCode::InvalidInput {
                field: field.to_string(),
                why: Invalid::Unreadable,
            },
        }
    }
}

impl CoreError {
    /// Bad input in `field`: `why` for the screens, `message` in English for the command line.
    pub fn invalid(
        field: impl Into<String>,
        why: Invalid,
        message: impl Into<String>,
    ) -> CoreError {
        CoreError::Invalid {
            field: field.into(),
            why,
            message: message.into(),
        }
    }

    /// A phone number refused, worded by the screens as a batch row's.
    pub fn phone(e: &guichet_types::phone::PhoneError) -> CoreError {
        CoreError::issue(RowIssue::new("phone", e.code(), e.to_string()).with_value(e.written()))
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> CoreError {
        CoreError::Refused {
            code,
            message: message.into(),
        }
    }

    /// A failure with its typed code; `message` is the English the command line prints.
    pub fn coded(code: ErrorCode, message: impl Into<String>) -> CoreError {
        CoreError::Coded {
            code,
            message: message.into(),
        }
    }

    /// A phone, amount or operator problem, worded by the screens as a batch row's.
    pub fn issue(issue: RowIssue) -> CoreError {
        let message = format!("{}: {}", issue.column, issue.message);
        CoreError::coded(
            ErrorCode::Row {
                issue: Box::new(issue),
            },
            message,
        )
    }

    /// A provider's refusal or silence, typed for the screens, in words for the command line.
    pub fn provider(e: &ProviderError) -> CoreError {
        let failure = match e.kind {
            ErrorKind::Credentials => ProviderFailure::Credentials,
            ErrorKind::InsufficientBalance => ProviderFailure::InsufficientBalance,
            ErrorKind::RateLimited { .. } => ProviderFailure::RateLimited,
            ErrorKind::Unavailable | ErrorKind::NotSent | ErrorKind::OutcomeUnknown => {
                ProviderFailure::Unavailable
            }
            _ => ProviderFailure::Refused,
        };
        CoreError::coded(
            ErrorCode::ProviderError {
                failure,
                answer: e.message.clone(),
            },
            crate::clients::explain(e),
        )
    }

    /// The typed code with its parameters, for the screens.
    pub fn reason(&self) -> ErrorCode {
        match self {
            CoreError::Coded { code, .. } => code.clone(),
            CoreError::Invalid { field, why, .. } => ErrorCode::InvalidInput {
                field: field.clone(),
                why: why.clone(),
            },
            CoreError::NotFound { what, key } => ErrorCode::NotFound {
                what: what.to_string(),
                key: key.clone(),
            },
            CoreError::Duplicate { what, key } => ErrorCode::Duplicate {
                what: what.to_string(),
                key: key.clone(),
            },
            CoreError::Provider(message) => ErrorCode::ProviderError {
                failure: ProviderFailure::Refused,
                answer: message.clone(),
            },
            CoreError::Secret(SecretError::Unavailable(..)) => ErrorCode::KeyringUnavailable,
            CoreError::Secret(SecretError::Denied(_)) => ErrorCode::KeyringLocked,
            CoreError::Secret(SecretError::Missing { .. }) => ErrorCode::SecretMissing,
            CoreError::Secret(SecretError::Other(_)) => ErrorCode::KeyringError,
            CoreError::Store(StoreError::Corrupt { .. }) => ErrorCode::DatabaseCorrupt,
            CoreError::Store(StoreError::NewerSchema { .. }) => ErrorCode::DatabaseTooNew,
            CoreError::Store(_) => ErrorCode::DatabaseError,
            CoreError::Io(_) => ErrorCode::IoError,
            other => ErrorCode::named(other.code(), ""),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Coded { code, .. } => code.name(),
            CoreError::Invalid { .. } => "invalid_input",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Duplicate { .. } => "duplicate",
            CoreError::Refused { code, .. } => code,
            CoreError::Secret(SecretError::Unavailable(..)) => "keyring_unavailable",
            CoreError::Secret(SecretError::Denied(_)) => "keyring_locked",
            CoreError::Secret(SecretError::Missing { .. }) => "secret_missing",
            CoreError::Secret(SecretError::Other(_)) => "keyring_error",
            CoreError::Store(StoreError::Corrupt { .. }) => "database_corrupt",
            CoreError::Store(StoreError::NewerSchema { .. }) => "database_too_new",
            CoreError::Store(_) => "database_error",
            CoreError::Io(_) => "io_error",
            CoreError::File(e) => e.code(),
            CoreError::Provider(_) => "provider_error",
        }
    }

    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::Invalid { field, .. } => Some(field),
            CoreError::Coded {
                code: ErrorCode::Row { issue },
                ..
            } => Some(&issue.column),
            _ => None,
        }
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> CoreError {
        match e {
            StoreError::NotFound { what, key } => CoreError::NotFound { what, key },
            StoreError::Duplicate { what, key } => CoreError::Duplicate { what, key },
            other => CoreError::Store(other),
        }
    }
}

impl From<guichet_tabular::export::ExportError> for CoreError {
    fn from(e: guichet_tabular::export::ExportError) -> CoreError {
        match e {
            guichet_tabular::export::ExportError::Delimiter(_) => CoreError::invalid(
                "delimiter",
                Invalid::NotAChoice {
                    value: String::new(),
                },
                e.to_string(),
            ),
            other => CoreError::Io(other.to_string()),
        }
    }
}
