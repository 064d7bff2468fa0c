//! Storing an import's new contacts, then pushing them to CinetPay in chunks.

use super::{operator_name, ContactImport, ImportOptions, ImportTotals, PushOutcome, PUSH_TASK};
use crate::clients::{explain, AccountClient};
use crate::{CoreEvent, Guichet, Result};
use guichet_providers::cinetpay_transfer::{ContactItem, ContactOutcome};
use guichet_store::accounts::AccountRow;
use guichet_store::contacts::{self as table, NewContact, ProviderState};
use std::path::Path;

/// Contacts per request: CinetPay documents no maximum; integrators send 50 at a time.
pub const CHUNK: usize = 50;

impl Guichet {
    /// Reads the file, stores its new contacts (state `local`) in one transaction and returns
    /// the preview with each stored row's contact id. Nothing is sent.
    pub fn stage_contacts(
        &self,
        account_label: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        let account = self.account_row(account_label)?;
        self.stage(&account, path, options)
    }

    fn stage(
        &self,
        account: &AccountRow,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        let (mut import, valid) = self.read_contacts(account, path, options)?;
        let now = guichet_store::now_utc();
        let mut conn = self.store.conn();
        let tx = conn
            .transaction()
            .map_err(guichet_store::StoreError::from)?;
        for (row, v) in import.rows.iter_mut().zip(valid) {
            let Some(v) = v else { continue };
            let id = table::stage(
                &tx,
                &NewContact {
                    account_id: account.id,
                    prefix: v.prefix,
                    phone: v.national,
                    name: row.name.clone(),
                    surname: row.surname.clone(),
                    email: row.email.clone(),
                    operator: v.operator.map(operator_name),
                },
                &now,
            )?;
            row.contact_id = Some(id);
        }
        tx.commit().map_err(guichet_store::StoreError::from)?;
        Ok(import)
    }

    /// Imports a file: reads it all (a file that can't be read sends nothing), stores the new
    /// contacts, then pushes them to the account's CinetPay list in chunks, with progress
    /// events. Each row ends with what CinetPay said; rows not sent stay in Guichet and the
    /// next import pushes them.
    pub async fn import_contacts(
        &self,
        account_label: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        let account = self.account_row(account_label)?;
        let mut import = self.stage(&account, path, options)?;
        self.push(&account, &mut import).await?;
        Ok(import)
    }

    async fn push(&self, account: &AccountRow, import: &mut ContactImport) -> Result<()> {
        import.pushed = true;
        let todo: Vec<usize> = import
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.contact_id.is_some())
            .map(|(i, _)| i)
            .collect();
        if todo.is_empty() {
            import.totals = ImportTotals::of(&import.rows);
            return Ok(());
        }
        let client = match self.client(account).await? {
            AccountClient::Cinetpay(c) => c,
            AccountClient::Mycoolpay(_) => {
                for i in todo {
                    let row = &mut import.rows[i];
                    row.outcome = Some(PushOutcome::NotSent);
                    row.provider_message =
                        Some("My-CoolPay keeps no contact list: kept in Guichet".into());
                }
                import.totals = ImportTotals::of(&import.rows);
                return Ok(());
            }
        };
        let total = todo.len() as u64;
        let progress = |done: u64| {
            self.events.emit(CoreEvent::Progress {
                task: PUSH_TASK.into(),
                done,
                total,
            })
        };
        progress(0);
        let mut done = 0u64;
        let mut chunks = todo.chunks(CHUNK);
        for chunk in chunks.by_ref() {
            let items: Vec<ContactItem> = chunk
                .iter()
                .map(|i| {
                    let r = &import.rows[*i];
                    let c = table::get(&self.store.conn(), r.contact_id.expect("staged"))?;
                    Ok(ContactItem {
                        prefix: c.prefix,
                        phone: c.phone,
                        surname: if c.surname.is_empty() {
                            c.name.clone()
                        } else {
                            c.surname
                        },
                        name: if c.name.is_empty() {
                            r.surname.clone()
                        } else {
                            c.name
                        },
                        email: c.email,
                    })
                })
                .collect::<Result<_>>()?;
            let answers = match client.add_contacts(&items).await {
                Ok(a) => a,
                Err(e) => {
                    // The provider could not be reached or refused the whole request: this
                    // chunk and the rest stay in Guichet, to push on the next import.
                    let why = explain(&e);
                    tracing::warn!(error = %why, "pushing contacts stopped");
                    for i in chunk.iter().chain(chunks.flatten()) {
                        let row = &mut import.rows[*i];
                        row.outcome = Some(PushOutcome::NotSent);
                        row.provider_message = Some(why.clone());
                    }
                    break;
                }
            };
            let mut conn = self.store.conn();
            let tx = conn
                .transaction()
                .map_err(guichet_store::StoreError::from)?;
            for (i, (_, outcome)) in chunk.iter().zip(answers) {
                let row = &mut import.rows[*i];
                let id = row.contact_id.expect("staged");
                let (state, code, message, lot) = match outcome {
                    ContactOutcome::Added { lot } => {
                        (PushOutcome::Added, "0".to_string(), None, Some(lot))
                    }
                    ContactOutcome::AlreadyPresent => {
                        (PushOutcome::Present, "726".into(), None, None)
                    }
                    ContactOutcome::Refused { code, message } => {
                        (PushOutcome::Failed, code, Some(message), None)
                    }
                };
                let stored = match state {
                    PushOutcome::Added => ProviderState::Added,
                    PushOutcome::Present => ProviderState::Present,
                    _ => ProviderState::Failed,
                };
                let code = Some(code).filter(|c| !c.is_empty());
                table::record_provider_answer(
                    &tx,
                    id,
                    stored,
                    code.as_deref(),
                    message.as_deref(),
                    lot.as_deref().filter(|l| !l.is_empty()),
                )?;
                row.outcome = Some(state);
                row.provider_code = code;
                row.provider_message = message;
                row.lot = lot.filter(|l| !l.is_empty());
            }
            tx.commit().map_err(guichet_store::StoreError::from)?;
            drop(conn);
            done += chunk.len() as u64;
            progress(done);
        }
        import.totals = ImportTotals::of(&import.rows);
        Ok(())
    }
}
