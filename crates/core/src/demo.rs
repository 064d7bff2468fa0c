//! Demo mode: accounts at the built-in provider simulator, marked as sandbox everywhere, so a
//! merchant can try every screen before giving Guichet real keys.

use crate::accounts::{AccountView, NewAccount};
use crate::{Guichet, Result};
use guichet_secrets::Secret;
use guichet_types::Provider;

/// What the simulator hands out (see `guichet-sandbox`'s demo credentials).
#[derive(Debug, Clone)]
pub struct DemoAccounts {
    pub base_url: String,
    pub cinetpay_site_id: String,
    pub cinetpay_api_key: String,
    pub cinetpay_transfer_password: String,
    pub mycoolpay_public_key: String,
    pub mycoolpay_private_key: String,
    pub softsystem_client_reference: String,
    pub softsystem_access_token: String,
}

pub const DEMO_CINETPAY: &str = "Démo CinetPay";
pub const DEMO_MYCOOLPAY: &str = "Démo My-CoolPay";
pub const DEMO_SOFTSYSTEM: &str = "Démo SOFTSYSTEM";

impl Guichet {
    /// The host of the demo accounts, if any exist: the app restarts its simulator there.
    pub fn demo_base_url(&self) -> Result<Option<String>> {
        Ok(self
            .list_accounts()?
            .into_iter()
            .find(|a| a.sandbox)
            .and_then(|a| a.base_url))
    }

    /// Creates (or points again at `demo.base_url`) the demo accounts.
    pub fn setup_demo(&self, demo: &DemoAccounts) -> Result<Vec<AccountView>> {
        let existing = self.list_accounts()?;
        for (label, provider) in [
            (DEMO_CINETPAY, Provider::Cinetpay),
            (DEMO_MYCOOLPAY, Provider::Mycoolpay),
            (DEMO_SOFTSYSTEM, Provider::Softsystem),
        ] {
            if existing.iter().any(|a| a.label == label) {
                self.edit_account(
                    label,
                    crate::accounts::AccountChanges {
                        base_url: Some(demo.base_url.clone()),
                        ..Default::default()
                    },
                )?;
                continue;
            }
            let mut input = NewAccount {
                label: label.into(),
                provider: Some(provider),
                base_url: Some(demo.base_url.clone()),
                sandbox: true,
                ..Default::default()
            };
            match provider {
                Provider::Cinetpay => {
                    input.site_id = Some(demo.cinetpay_site_id.clone());
                    input.notify_url = Some(format!("{}/notify", demo.base_url));
                    input.secrets = vec![
                        ("api_key".into(), Secret::new(demo.cinetpay_api_key.clone())),
                        (
                            "transfer_password".into(),
                            Secret::new(demo.cinetpay_transfer_password.clone()),
                        ),
                    ];
                }
                Provider::Softsystem => {
                    input.client_reference = Some(demo.softsystem_client_reference.clone());
                    input.secrets = vec![(
                        "access_token".into(),
                        Secret::new(demo.softsystem_access_token.clone()),
                    )];
                }
                Provider::Mycoolpay => {
                    input.public_key = Some(demo.mycoolpay_public_key.clone());
                    input.secrets = vec![(
                        "private_key".into(),
                        Secret::new(demo.mycoolpay_private_key.clone()),
                    )];
                }
            }
            self.add_account(input)?;
        }
        Ok(self
            .list_accounts()?
            .into_iter()
            .filter(|a| a.sandbox)
            .collect())
    }
}
