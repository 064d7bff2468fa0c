//! CinetPay Transfer API (document 004): log in for a 5-minute token, then balance, contacts,
//! send money and check transfers. The token and `lang` always travel in the query string; bodies
//! are forms with one `data` field holding a JSON array.

pub mod codes;
pub mod wire;

use crate::executor::{Executor, RawResponse, Safety};
use crate::{ErrorKind, ExactAmount, ProviderError};
use guichet_secrets::Secret;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;
pub use wire::{
    ContactItem, ItemAnswer, SendItem, SendingStatus, TransferInfo, TransferStatus, TreatmentStatus,
};

/// The document says a token lives 5 minutes; renew a little before.
const TOKEN_LIFETIME: Duration = Duration::from_secs(5 * 60);
const TOKEN_MARGIN: Duration = Duration::from_secs(30);

pub struct Credentials {
    pub api_key: Secret,
    /// The API transfer password set in the back-office (not the API key).
    pub transfer_password: Secret,
}

struct Token {
    value: Secret,
    renew_at: Instant,
}

pub struct Client {
    exec: Arc<Executor>,
    base: String,
    lang: &'static str,
    credentials: Credentials,
    /// One token per account, shared by concurrent calls; the lock makes logins single-flight.
    token: Mutex<Option<Token>>,
    logins: std::sync::atomic::AtomicU64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransferBalance {
    pub amount: ExactAmount,
    pub in_using: ExactAmount,
    pub available: ExactAmount,
}

/// What CinetPay said about one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactOutcome {
    Added {
        lot: String,
    },
    /// 726: it was already a contact — fine for us.
    AlreadyPresent,
    Refused {
        code: String,
        message: String,
    },
}

/// What CinetPay said about one transfer order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Accepted {
        transaction_id: String,
        lot: String,
    },
    /// 805: this reference is already known, so an earlier attempt arrived; look it up.
    AlreadyExists,
    Refused {
        code: String,
        message: String,
        kind: ErrorKind,
    },
}

impl Client {
    /// `base_url`: the account's host override, or `None` for CinetPay's production host.
    pub fn new(exec: Arc<Executor>, base_url: Option<&str>, credentials: Credentials) -> Client {
        Client {
            exec,
            base: base_url
                .unwrap_or(crate::hosts::CINETPAY_TRANSFER)
                .trim_end_matches('/')
                .to_string(),
            lang: "fr",
            credentials,
            token: Mutex::new(None),
            logins: Default::default(),
        }
    }

    /// How many logins this client made (one per token lifetime is the goal).
    pub fn login_count(&self) -> u64 {
        self.logins.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn token(&self) -> Result<Secret, ProviderError> {
        let mut slot = self.token.lock().await;
        if let Some(t) = slot.as_ref().filter(|t| t.renew_at > Instant::now()) {
            return Ok(t.value.clone());
        }
        let value = self.login().await?;
        *slot = Some(Token {
            value: value.clone(),
            renew_at: Instant::now() + TOKEN_LIFETIME - TOKEN_MARGIN,
        });
        Ok(value)
    }

    /// Forgets `used` if it is still the cached token, so the next call logs in again.
    async fn drop_token(&self, used: &Secret) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|t| &t.value == used) {
            *slot = None;
        }
    }

    async fn login(&self) -> Result<Secret, ProviderError> {
        self.logins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let url = format!("{}/v1/auth/login", self.base);
        let (key, pw, lang) = (
            self.credentials.api_key.clone(),
            self.credentials.transfer_password.clone(),
            self.lang,
        );
        let raw = self
            .exec
            .send("cinetpay.login", Safety::Idempotent, move |http| {
                http.post(&url)
                    .query(&[("lang", lang)])
                    .form(&[("apikey", key.expose()), ("password", pw.expose())])
            })
            .await?;
        let env = parse(&raw, "cinetpay.login")?;
        env.data::<wire::LoginData>()
            .and_then(|d| d.token)
            .map(Secret::new)
            .ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::Unknown,
                    "CinetPay login answered without a token",
                )
                .with_raw(raw.body.clone())
            })
    }

    /// Runs an authenticated call; on 705/706/707 logs in once more and retries once (the call
    /// was refused, so repeating it is safe even when it moves money).
    async fn authed(
        &self,
        what: &str,
        safety: Safety,
        build: impl Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Result<(RawResponse, wire::Envelope), ProviderError> {
        for attempt in 0..2 {
            let token = self.token().await?;
            let raw = self
                .exec
                .send(what, safety, |http| build(http, token.expose()))
                .await?;
            match wire::envelope(&raw.body) {
                Some(env) if codes::needs_new_token(env.code.as_str()) && attempt == 0 => {
                    tracing::info!(call = what, code = %env.code, "CinetPay token refused; logging in again");
                    self.drop_token(&token).await;
                }
                _ => {
                    let env = parse(&raw, what)?;
                    return Ok((raw, env));
                }
            }
        }
        Err(ProviderError::new(
            ErrorKind::Credentials,
            "CinetPay refused a fresh session token",
        ))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn balance(&self) -> Result<TransferBalance, ProviderError> {
        let url = self.url("/v1/transfer/check/balance");
        let lang = self.lang;
        let (raw, env) = self
            .authed("cinetpay.balance", Safety::Idempotent, |http, token| {
                http.get(&url).query(&[("token", token), ("lang", lang)])
            })
            .await?;
        let data = env.data::<wire::BalanceData>();
        let field = |k: &str, v: Option<ExactAmount>| {
            v.ok_or_else(|| {
                ProviderError::new(
                    ErrorKind::Unknown,
                    format!("CinetPay balance without `{k}`"),
                )
                .with_raw(raw.body.clone())
            })
        };
        let (amount, in_using, available) = match data {
            Some(d) => (d.amount, d.in_using, d.available),
            None => (None, None, None),
        };
        Ok(TransferBalance {
            amount: field("amount", amount)?,
            in_using: field("inUsing", in_using)?,
            available: field("available", available)?,
        })
    }

    /// Adds contacts; results are matched to the input by phone number, never by position.
    pub async fn add_contacts(
        &self,
        contacts: &[ContactItem],
    ) -> Result<Vec<(ContactItem, ContactOutcome)>, ProviderError> {
        let url = self.url("/v1/transfer/contact");
        let data = serde_json::to_string(contacts).expect("contacts serialise");
        let lang = self.lang;
        let (_, env) = self
            .authed("cinetpay.contacts", Safety::Idempotent, |http, token| {
                http.post(&url)
                    .query(&[("token", token), ("lang", lang)])
                    .form(&[("data", data.as_str())])
            })
            .await?;
        let answers: Vec<ItemAnswer> = env.items();
        Ok(contacts
            .iter()
            .map(|c| {
                let answer = answers.iter().find(|a| {
                    a.phone.as_ref().is_some_and(|p| p.0 == c.phone)
                        && a.prefix.as_ref().is_none_or(|p| p.0 == c.prefix)
                });
                let outcome = match answer {
                    None => ContactOutcome::Refused {
                        code: String::new(),
                        message: "CinetPay did not answer for this contact".into(),
                    },
                    Some(a) => match a.code().as_str() {
                        "0" => ContactOutcome::Added { lot: a.lot.clone() },
                        "726" => ContactOutcome::AlreadyPresent,
                        code => ContactOutcome::Refused {
                            code: code.to_string(),
                            message: codes::describe(code).0.to_string(),
                        },
                    },
                };
                (c.clone(), outcome)
            })
            .collect())
    }

    /// Sends transfer orders — once: this call is never repeated by the executor. Results are
    /// matched by `client_transaction_id`. A lost answer is `ErrorKind::OutcomeUnknown`: look each
    /// order up with [`Client::check`].
    pub async fn send(
        &self,
        orders: &[SendItem],
    ) -> Result<Vec<(SendItem, SendOutcome)>, ProviderError> {
        let url = self.url("/v1/transfer/money/send/contact");
        let data = serde_json::to_string(orders).expect("orders serialise");
        let lang = self.lang;
        let (_, env) = self
            .authed("cinetpay.send", Safety::MovesMoney, |http, token| {
                http.post(&url)
                    .query(&[("token", token), ("lang", lang)])
                    .form(&[("data", data.as_str())])
            })
            .await?;
        let answers: Vec<ItemAnswer> = env.items();
        Ok(orders
            .iter()
            .map(|o| {
                let answer = answers
                    .iter()
                    .find(|a| a.client_transaction_id == o.client_transaction_id);
                let outcome = match answer {
                    // Not mentioned: we cannot know whether it was taken.
                    None => SendOutcome::Refused {
                        code: String::new(),
                        message: "no answer for this order".into(),
                        kind: ErrorKind::OutcomeUnknown,
                    },
                    Some(a) => match a.code().as_str() {
                        "0" => SendOutcome::Accepted {
                            transaction_id: a.transaction_id.clone(),
                            lot: a.lot.clone(),
                        },
                        "805" => SendOutcome::AlreadyExists,
                        code => {
                            let (message, kind) = codes::describe(code);
                            SendOutcome::Refused {
                                code: code.to_string(),
                                message: message.to_string(),
                                kind,
                            }
                        }
                    },
                };
                (o.clone(), outcome)
            })
            .collect())
    }

    /// Looks a transfer up by our reference; `None` when CinetPay has no such transfer (723).
    pub async fn check(
        &self,
        client_transaction_id: &str,
    ) -> Result<Option<TransferInfo>, ProviderError> {
        let url = self.url("/v1/transfer/check/money");
        let lang = self.lang;
        let result = self
            .authed("cinetpay.check", Safety::Idempotent, |http, token| {
                http.get(&url).query(&[
                    ("token", token),
                    ("lang", lang),
                    ("client_transaction_id", client_transaction_id),
                ])
            })
            .await;
        match result {
            Ok((_, env)) => Ok(env
                .items::<TransferInfo>()
                .into_iter()
                .find(|t| t.client_transaction_id == client_transaction_id)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl Client {
    /// Every transfer of a lot (one send request) in one call. The caller matches the answers to
    /// its payouts by `client_transaction_id`, never by position. `723` gives an empty list.
    pub async fn check_lot(&self, lot: &str) -> Result<Vec<TransferInfo>, ProviderError> {
        let url = self.url("/v1/transfer/check/money");
        let lang = self.lang;
        let result = self
            .authed("cinetpay.check_lot", Safety::Idempotent, |http, token| {
                http.get(&url)
                    .query(&[("token", token), ("lang", lang), ("lot", lot)])
            })
            .await;
        match result {
            Ok((_, env)) => Ok(env
                .items::<TransferInfo>()
                .into_iter()
                .filter(|t| !t.client_transaction_id.is_empty())
                .collect()),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

/// The envelope of an answer, or the error it carries.
fn parse(raw: &RawResponse, what: &str) -> Result<wire::Envelope, ProviderError> {
    let Some(env) = wire::envelope(&raw.body) else {
        let kind = match raw.status {
            429 => ErrorKind::RateLimited {
                retry_after_s: raw.retry_after.unwrap_or(60),
            },
            s if s >= 500 => ErrorKind::Unavailable,
            _ => ErrorKind::Unknown,
        };
        return Err(ProviderError::new(
            kind,
            format!("{what}: unreadable answer (HTTP {})", raw.status),
        )
        .with_raw(raw.body.clone()));
    };
    if env.code == "0" {
        return Ok(env);
    }
    let (meaning, mut kind) = codes::describe(env.code.as_str());
    if let ErrorKind::RateLimited { .. } = kind {
        kind = ErrorKind::RateLimited {
            retry_after_s: raw.retry_after.unwrap_or(60),
        };
    }
    let detail = if env.description.is_empty() {
        env.message.clone()
    } else {
        env.description.clone()
    };
    Err(
        ProviderError::new(kind, format!("CinetPay {}: {meaning} ({detail})", env.code))
            .with_code(env.code.0.clone())
            .with_raw(raw.body.clone()),
    )
}
