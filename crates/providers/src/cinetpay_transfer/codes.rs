//! The CinetPay Transfer code table (document 004, annex 7), with what Guichet does about each.

use crate::ErrorKind;

/// The meaning of a CinetPay code, and the error kind the core acts on.
pub fn describe(code: &str) -> (&'static str, ErrorKind) {
    let invalid = |f: &str| ErrorKind::InvalidField(f.to_string());
    match code {
        "0" => ("operation succeeded", ErrorKind::Unknown),
        "-1" => ("the request could not be executed", ErrorKind::Unavailable),
        "701" => ("wrong API key or transfer password", ErrorKind::Credentials),
        "702" => (
            "CinetPay could not create a session token",
            ErrorKind::Unavailable,
        ),
        "703" => ("the merchant account is invalid", ErrorKind::Credentials),
        "704" => ("the parameters sent are not correct", invalid("request")),
        "705" => ("the session token expired", ErrorKind::Credentials),
        "706" => ("the session token is invalid", ErrorKind::Credentials),
        "707" => ("a new session token is needed", ErrorKind::Credentials),
        "708" => (
            "not allowed (is this IP address authorised?)",
            ErrorKind::Credentials,
        ),
        "709" | "710" => (
            "CinetPay failed to execute the request",
            ErrorKind::Unavailable,
        ),
        "715" => ("an unknown error occurred at CinetPay", ErrorKind::Unknown),
        "716" => ("a value sent is incorrect", invalid("data")),
        "717" => (
            "the number is not a valid CinetPay personal account",
            invalid("phone"),
        ),
        "718" => ("the JSON sent is malformed", invalid("data")),
        "719" => ("the amount must be at least 200 XOF", invalid("amount")),
        "720" => ("the amount must be below 1,500,000 XOF", invalid("amount")),
        "721" | "804" => (
            "the operator is not supported by CinetPay",
            invalid("operator"),
        ),
        "602" => (
            "the CinetPay transfer balance is too low",
            ErrorKind::InsufficientBalance,
        ),
        "723" => ("no transfer found", ErrorKind::NotFound),
        "724" => (
            "the number is not in the CinetPay contact list",
            invalid("phone"),
        ),
        "725" => (
            "a valid notification URL is required",
            invalid("notify_url"),
        ),
        "726" => ("the contact already exists", ErrorKind::DuplicateReference),
        "801" => (
            "the amount is invalid (whole francs, multiple of 5)",
            invalid("amount"),
        ),
        "802" => ("the phone number is invalid", invalid("phone")),
        "805" => (
            "this transaction reference already exists at CinetPay",
            ErrorKind::DuplicateReference,
        ),
        "429" => (
            "too many requests",
            ErrorKind::RateLimited { retry_after_s: 60 },
        ),
        _ => ("unknown CinetPay code", ErrorKind::Unknown),
    }
}

/// Codes that mean "log in again": the request was refused, so repeating it is safe.
pub fn needs_new_token(code: &str) -> bool {
    matches!(code, "705" | "706" | "707")
}
