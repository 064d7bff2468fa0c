//! Storing an import's new contacts, then pushing them in chunks to the provider's contact
//! list, if it keeps one (`adapters::contacts`).

use super::{
    operator_name, read, ContactImport, ImportOptions, ImportTotals, PushOutcome, RowState,
    PUSH_TASK,
};
use crate::adapters::contacts::{contact_list, ContactList, Listed};
use crate::clients::explain;
use crate::{CoreError, CoreEvent, Guichet, Result};
use guichet_store::accounts::AccountRow;
use guichet_store::contacts::{NewContact, ProviderState};
use std::ops::ControlFlow;
use std::path::Path;

/// Rows handed from the reading thread to the storing one at a time.
const STORE_BATCH: usize = 512;

/// A row to store, and whether its number is already one of the account's contacts.
struct ToStore {
    known: bool,
    contact: NewContact,
}

/// Stores a batch of the reading thread's rows, pushing their contact ids in order: numbers new
/// to the account many rows per statement, those already there one by one (their names are
/// refreshed).
fn store_batch(
    tx: &guichet_store::bulk::Bulk<'_>,
    batch: Vec<ToStore>,
    now: &str,
    ids: &mut Vec<i64>,
) -> Result<()> {
    // Known rows' ids now, new rows' once they are inserted together.
    let mut slots = Vec::with_capacity(batch.len());
    let mut new = Vec::with_capacity(batch.len());
    for row in batch {
        if row.known {
            slots.push(Some(tx.contacts_mut().stage(&row.contact, now)?));
        } else {
            slots.push(None);
            new.push(row.contact);
        }
    }
    let mut new_ids = tx.contacts_mut().insert_new(&new, now)?.into_iter();
    ids.extend(
        slots
            .into_iter()
            .map(|slot| slot.unwrap_or_else(|| new_ids.next().expect("an id per new contact"))),
    );
    Ok(())
}

impl Guichet {
    /// Reads the file, stores its new contacts (state `local`) in one transaction and returns
    /// the preview with each stored row's contact id. Nothing is sent.
    pub fn stage_contacts(
        &self,
        account_label: &str,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        self.require(crate::people::Action::Import)?;
        let account = self.account_row(account_label)?;
        self.stage(&account, path, options)
    }

    /// Reads the file on one thread while this one stores its new contacts, in one transaction
    /// committed only once the whole file has been read: a file that fails half-way (a bad
    /// row, too many rows) stores nothing.
    fn stage(
        &self,
        account: &AccountRow,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ContactImport> {
        let now = guichet_store::now_utc();
        let import = self.store.bulk(|bulk| {
            let known = read::known(&bulk.contacts(), account.id)?;
            // The table's highest id: never fewer than the rows it holds.
            let held = bulk.contacts().highest_id()?;
            let mut indexes_aside = false;
            let (to_store, received) = std::sync::mpsc::sync_channel::<Vec<ToStore>>(4);
            let (read, stored) = std::thread::scope(|s| {
                let reader = s.spawn(|| {
                    let to_store = to_store;
                    let mut batch = Vec::with_capacity(STORE_BATCH);
                    let read = read::read_contacts(account, &known, path, options, |row, v| {
                        batch.push(ToStore {
                            known: v.known,
                            contact: NewContact {
                                account_id: account.id,
                                prefix: v.prefix,
                                phone: v.national,
                                name: row.name.clone(),
                                surname: row.surname.clone(),
                                email: row.email.clone(),
                                operator: v.operator.map(operator_name),
                            },
                        });
                        if batch.len() < STORE_BATCH {
                            return ControlFlow::Continue(());
                        }
                        // The storing side stopped on an error: no use reading further.
                        match to_store.send(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(STORE_BATCH),
                        )) {
                            Ok(()) => ControlFlow::Continue(()),
                            Err(_) => ControlFlow::Break(()),
                        }
                    });
                    if !batch.is_empty() {
                        let _ = to_store.send(batch);
                    }
                    read
                });
                let mut ids = Vec::new();
                let stored = received.iter().try_for_each(|batch| {
                    // Once this import adds as many rows as the table held, building its
                    // indexes anew at the end costs less than keeping them up row by row.
                    if !indexes_aside && (ids.len() + batch.len()) as i64 >= held {
                        bulk.set_aside_indexes("contacts")?;
                        indexes_aside = true;
                    }
                    store_batch(bulk, batch, &now, &mut ids)
                });
                drop(received);
                let read = reader
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (read, stored.map(|()| ids))
            });
            let mut import = read?;
            let ids = stored?;
            // The rows given to store were the new ones, in order.
            let new = import.rows.iter_mut().filter(|r| r.state == RowState::New);
            for (row, id) in new.zip(ids) {
                row.contact_id = Some(id);
            }
            Ok::<_, CoreError>(import)
        })?;
        self.index_contact_search_later();
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
        self.require(crate::people::Action::Import)?;
        let account = self.account_row(account_label)?;
        let mut import = self.stage(&account, path, options)?;
        self.push(&account, &mut import).await?;
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
        self.journal(
            "contacts.imported",
            account.id,
            file.as_deref().unwrap_or(""),
            crate::journal::contacts(&import),
        );
        self.audit(
            "contacts.imported",
            Some(&account.label),
            serde_json::json!({"file": file, "count": import.rows.len()}),
        )?;
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
        let (chunk_size, push) = match contact_list(self, account).await? {
            ContactList::Kept { chunk, push } => (chunk, push),
            ContactList::NotKept(why) => {
                for i in todo {
                    let row = &mut import.rows[i];
                    row.outcome = Some(PushOutcome::NotSent);
                    row.provider_message = Some(why.clone());
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
        let mut chunks = todo.chunks(chunk_size);
        for chunk in chunks.by_ref() {
            let items: Vec<Listed> = chunk
                .iter()
                .map(|i| {
                    let r = &import.rows[*i];
                    let c = self.store.contacts().get(r.contact_id.expect("staged"))?;
                    Ok(Listed {
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
            let answers = match push(items).await {
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
            let tx = self.store.write()?;
            for (i, pushed) in chunk.iter().zip(answers) {
                let row = &mut import.rows[*i];
                let id = row.contact_id.expect("staged");
                let (stored, code, message, lot) =
                    (pushed.state, pushed.code, pushed.message, pushed.lot);
                let state = match stored {
                    ProviderState::Added => PushOutcome::Added,
                    ProviderState::Present => PushOutcome::Present,
                    _ => PushOutcome::Failed,
                };
                let code = Some(code).filter(|c| !c.is_empty());
                tx.contacts_mut().record_provider_answer(
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
            tx.commit()?;
            done += chunk.len() as u64;
            progress(done);
        }
        import.totals = ImportTotals::of(&import.rows);
        Ok(())
    }
}
