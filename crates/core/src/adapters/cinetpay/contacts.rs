//! CinetPay's contact list (document 004): payouts go only to numbers in it.

use crate::adapters::contacts::{ContactList, Pushed};
use futures_util::FutureExt;
use guichet_providers::cinetpay_transfer::{self, ContactItem, ContactOutcome};
use guichet_store::contacts::ProviderState;
use std::sync::Arc;

/// Contacts per request: CinetPay documents no maximum; integrators send 50 at a time.
pub(crate) const CONTACTS_CHUNK: usize = 50;

pub(crate) fn contact_list(client: Arc<cinetpay_transfer::Client>) -> ContactList {
    ContactList::Kept {
        chunk: CONTACTS_CHUNK,
        push: Box::new(move |contacts| {
            let client = client.clone();
            async move {
                let items: Vec<ContactItem> = contacts
                    .into_iter()
                    .map(|c| ContactItem {
                        prefix: c.prefix,
                        phone: c.phone,
                        surname: c.surname,
                        name: c.name,
                        email: c.email,
                    })
                    .collect();
                let answers = client.add_contacts(&items).await?;
                Ok(answers
                    .into_iter()
                    .map(|(_, outcome)| match outcome {
                        ContactOutcome::Added { lot } => Pushed {
                            state: ProviderState::Added,
                            code: "0".to_string(),
                            message: None,
                            lot: Some(lot),
                        },
                        ContactOutcome::AlreadyPresent => Pushed {
                            state: ProviderState::Present,
                            code: "726".into(),
                            message: None,
                            lot: None,
                        },
                        ContactOutcome::Refused { code, message } => Pushed {
                            state: ProviderState::Failed,
                            code,
                            message: Some(message),
                            lot: None,
                        },
                    })
                    .collect())
            }
            .boxed()
        }),
    }
}
