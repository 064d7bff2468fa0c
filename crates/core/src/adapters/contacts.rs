//! A provider's contact list as the neutral import (`contacts::push`) sees it: whether the
//! provider keeps one, and pushing contacts to it. Nothing here writes: the import records each
//! contact's answer.

use crate::{Guichet, Result};
use futures_util::future::BoxFuture;
use guichet_providers::ProviderError;
use guichet_store::accounts::AccountRow;
use guichet_store::contacts::ProviderState;

/// One contact as a provider's list takes it.
pub(crate) struct Listed {
    pub prefix: String,
    pub phone: String,
    pub surname: String,
    pub name: String,
    pub email: String,
}

/// The provider's answer for one contact pushed.
pub(crate) struct Pushed {
    pub state: ProviderState,
    /// The provider's code (`0` added, CinetPay's `726` already there, or the refusal's).
    pub code: String,
    pub message: Option<String>,
    pub lot: Option<String>,
}

/// Pushes one chunk of contacts; answers in the same order.
pub(crate) type Push = Box<
    dyn Fn(Vec<Listed>) -> BoxFuture<'static, std::result::Result<Vec<Pushed>, ProviderError>>
        + Send
        + Sync,
>;

/// An account's contact list at its provider.
pub(crate) enum ContactList {
    /// Kept by the provider: contacts are pushed `chunk` at a time.
    Kept { chunk: usize, push: Push },
    /// The provider keeps none, in these words.
    NotKept(String),
}

pub(crate) async fn contact_list(g: &Guichet, account: &AccountRow) -> Result<ContactList> {
    super::adapter(account.provider)
        .contact_list(g, account)
        .await
}
