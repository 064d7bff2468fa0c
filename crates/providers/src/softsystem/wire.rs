//! SOFTSYSTEM wire format (document 003): the payment request's body with the document's own
//! key spelling and order; answers read leniently (numbers where text is expected, `null`).

use crate::wire;
use guichet_types::UnifiedStatus;
use serde::{Deserialize, Serialize};

/// `POST /api/paymentgateway`'s body, keys as the document writes them.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentBody<'a> {
    #[serde(rename = "Montant")]
    pub montant: String,
    #[serde(rename = "Currency")]
    pub currency: &'static str,
    pub error_url: &'a str,
    pub callback_url: &'a str,
    pub client_reference: &'a str,
    #[serde(rename = "Canal")]
    pub canal: &'a str,
    pub success_url: &'a str,
    #[serde(rename = "orderId")]
    pub order_id: &'a str,
    pub numero: &'a str,
    pub objet: &'a str,
}

/// `paymentgateway`'s answer: the page where the customer pays.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageAnswer {
    #[serde(default, deserialize_with = "wire::some_string")]
    pub url: Option<String>,
}

/// `GET /api/getstatusgateway/{orderId}`'s answer, as Guichet keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentStatus {
    #[serde(
        default,
        rename(deserialize = "orderId"),
        deserialize_with = "wire::raw_text"
    )]
    pub order_id: String,
    #[serde(default)]
    pub status: Status,
    #[serde(
        default,
        rename(deserialize = "montant"),
        deserialize_with = "wire::raw_text"
    )]
    pub amount: String,
    #[serde(
        default,
        rename(deserialize = "reseau"),
        deserialize_with = "wire::raw_text"
    )]
    pub network: String,
}

impl PaymentStatus {
    pub fn unified(&self) -> UnifiedStatus {
        UnifiedStatus::from(&self.status)
    }
}

/// A payment's `status`: `Accepte` is paid; refusals, failures and cancellations are final;
/// anything else — the customer has not paid yet — is kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    Accepte,
    Refuse,
    Echec,
    Annule,
    Unknown(String),
}

impl Status {
    pub fn parse(s: &str) -> Status {
        match s.trim().to_lowercase().as_str() {
            "accepte" | "accepté" => Status::Accepte,
            "refuse" | "refusé" => Status::Refuse,
            "echec" | "échec" | "echoue" | "échoué" => Status::Echec,
            "annule" | "annulé" => Status::Annule,
            _ => Status::Unknown(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Accepte => "Accepte",
            Status::Refuse => "Refuse",
            Status::Echec => "Echec",
            Status::Annule => "Annule",
            Status::Unknown(s) => s,
        }
    }
}

/// Not paid yet is the customer's to do, never a failure.
impl From<&Status> for UnifiedStatus {
    fn from(s: &Status) -> UnifiedStatus {
        match s {
            Status::Accepte => UnifiedStatus::Succeeded,
            Status::Refuse | Status::Echec | Status::Annule => UnifiedStatus::Failed,
            Status::Unknown(_) => UnifiedStatus::AwaitingCustomer,
        }
    }
}

wire::status_text!(Status, unknown_by_default);
