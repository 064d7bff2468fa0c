//! Demo mode: accounts at the built-in provider simulator, marked as sandbox everywhere, so a
//! merchant can try every screen before giving Guichet real keys.

use crate::accounts::{AccountInput, AccountView};
use crate::{Guichet, Result};
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

impl DemoAccounts {
    /// An account of `provider` at the simulator, named `label`: its identifier, the
    /// simulator's host and the secrets it hands out. The one place demo accounts are made
    /// (the app's demo mode, tests, benches).
    pub fn account(&self, label: &str, provider: Provider) -> AccountInput {
        let mut input = AccountInput {
            label: Some(label.into()),
            provider: Some(provider),
            base_url: Some(self.base_url.clone()),
            ..Default::default()
        };
        crate::adapters::adapter(provider).demo_account(self, &mut input);
        input
    }
}

pub const DEMO_CINETPAY: &str = "Démo CinetPay";
pub const DEMO_MYCOOLPAY: &str = "Démo My-CoolPay";
pub const DEMO_SOFTSYSTEM: &str = "Démo SOFTSYSTEM";

/// The demo account of a provider: "Démo" and its name ([`DEMO_CINETPAY`]…).
pub fn demo_label(p: Provider) -> String {
    format!("Démo {}", p.display_name())
}

impl Guichet {
    /// The host of the demo accounts, if any exist: the app restarts its simulator there.
    pub fn demo_base_url(&self) -> Result<Option<String>> {
        Ok(self
            .list_accounts()?
            .into_iter()
            .find(|a| a.account.sandbox)
            .and_then(|a| a.account.fields.base_url))
    }

    /// Creates (or points again at `demo.base_url`) the demo accounts.
    pub fn setup_demo(&self, demo: &DemoAccounts) -> Result<Vec<AccountView>> {
        self.require(crate::people::Action::ManageAccounts)?;
        let existing = self.list_accounts()?;
        for provider in Provider::ALL {
            let label = demo_label(provider);
            let label = label.as_str();
            let mut input = demo.account(label, provider);
            if let Some(a) = existing.iter().find(|a| a.account.label == label) {
                if a.account.base_url.as_deref() != Some(demo.base_url.as_str()) {
                    // A new host needs the secrets again: the simulator's own.
                    self.edit_account(
                        label,
                        crate::accounts::AccountInput {
                            base_url: Some(demo.base_url.clone()),
                            secrets: input.secrets,
                            ..Default::default()
                        },
                    )?;
                }
                continue;
            }
            input.sandbox = true;
            if crate::adapters::adapter(provider).needs_notify_url() {
                input.notify_url = Some(format!("{}/notify", demo.base_url));
            }
            self.add_account(input)?;
        }
        Ok(self
            .list_accounts()?
            .into_iter()
            .filter(|a| a.account.sandbox)
            .collect())
    }
}

/// A number the demo's CinetPay simulator refuses (`SandboxHandle::fail_phone`), so the demo
/// history shows a rejected payout next to paid ones.
pub const DEMO_REFUSED_PHONE: &str = "0707999999";

/// The demo contacts, as a merchant's spreadsheet would list them.
const DEMO_CONTACTS: &str = "Nom;Prénoms;Téléphone;E-mail\r\n\
    Koné;Awa;07 07 12 34 56;awa.kone@example.ci\r\n\
    Traoré;Moussa;05 05 22 33 44;\r\n\
    Yao;Adjoua;01 02 03 04 05;adjoua@example.ci\r\n\
    Bamba;Issouf;07 08 09 10 11;\r\n\
    Diallo;Fatou;07 07 99 99 99;\r\n";

impl Guichet {
    /// Fills a fresh demo with something to look at: contacts pushed to the CinetPay simulator,
    /// payouts queued for the poller to send (one to a number the simulator refuses), and
    /// My-CoolPay payment links waiting for their customers. Everything goes through the same
    /// use cases as real work, against the simulator. Does nothing if payouts already exist.
    pub async fn seed_demo_history(&self) -> Result<()> {
        self.require(crate::people::Action::ManageAccounts)?;
        let existing = self.payout_page(
            &crate::payouts::PayoutFilter::default(),
            guichet_store::page::PageRequest::first(1),
        )?;
        if !existing.rows.is_empty() {
            return Ok(());
        }
        let file = self.data_dir().join("contacts-exemple.csv");
        guichet_store::private::write_file(&file, DEMO_CONTACTS.as_bytes())
            .map_err(|e| crate::CoreError::Io(format!("{}: {e}", file.display())))?;
        self.import_contacts(DEMO_CINETPAY, &file, &Default::default())
            .await?;
        let pay =
            |phone: &str, amount: i64, name: &str, reason: &str| crate::payouts::PayoutInput {
                phone: phone.into(),
                amount,
                name: name.into(),
                reason: reason.into(),
                operator: None,
            };
        for input in [
            pay("07 07 12 34 56", 25_000, "Awa Koné", "Salaire novembre"),
            pay("05 05 22 33 44", 7_500, "Moussa Traoré", "Livraison"),
            pay(
                "01 02 03 04 05",
                150_000,
                "Adjoua Yao",
                "Fournisseur tissus",
            ),
            pay("07 07 99 99 99", 12_000, "Fatou Diallo", "Prime"),
        ] {
            self.queue_payout(DEMO_CINETPAY, &input, None)?;
        }
        for input in [
            pay("6 77 12 34 56", 20_000, "Jean Mballa", "Commission"),
            pay("6 99 88 77 66", 5_000, "Aïcha Nji", "Transport"),
        ] {
            self.queue_payout(DEMO_MYCOOLPAY, &input, None)?;
        }
        for (amount, name) in [(15_000, "Boutique Akwa"), (42_500, "Client Bonamoussadi")] {
            self.collect_paylink(
                DEMO_MYCOOLPAY,
                crate::collections::CollectionInput {
                    amount,
                    name: Some(name.into()),
                    reason: "Facture".into(),
                    ..Default::default()
                },
            )
            .await?;
        }
        Ok(())
    }
}
