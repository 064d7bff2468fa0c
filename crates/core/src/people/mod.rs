//! People, roles and approvals. A data folder may have users, each with a role; every action
//! is checked against the acting person's role here, in core ([`Guichet::require`]), whatever
//! the shell (command line or app). With nobody, or one person, nothing is asked: the merchant
//! alone is the owner.

mod approvals;
mod audit;
mod pin;
mod users;

pub use approvals::{ApprovalView, DecisionView, PolicyChange, Prepared};
pub use audit::{sentence, AuditEntry, AuditFacts, AuditFilter};
pub use guichet_store::approvals::{Decision, Kind, Policy, RequestStatus};
pub use guichet_store::audit::{Break, Broken, Verdict};
pub use guichet_store::users::{Role, UserRow};
pub use pin::{delay_after, MIN_PIN_LEN};

use crate::{CoreError, Guichet, Result};
use serde::Serialize;

/// Who is acting: a person of the folder, or the merchant alone (no users yet), who may do
/// everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Actor {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub role: Role,
}

impl Actor {
    /// The merchant alone, before any user is added.
    pub fn alone() -> Actor {
        Actor {
            id: None,
            name: None,
            role: Role::Owner,
        }
    }

    fn of(u: &UserRow) -> Actor {
        Actor {
            id: Some(u.id),
            name: Some(u.name.clone()),
            role: u.role,
        }
    }

    fn who(&self) -> &str {
        self.name.as_deref().unwrap_or("the owner")
    }
}

/// What a person may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Action {
    /// See accounts, payouts, batches, collections, balances, the Journal and the audit log.
    Read,
    Export,
    /// Import contacts and edit them.
    Import,
    /// Prepare single payouts and batches.
    Prepare,
    /// Ask customers for money.
    Collect,
    /// Send what was confirmed or approved, track statuses, receive callbacks.
    Sync,
    /// Approve or reject payouts and batches waiting for approval.
    Approve,
    ManageAccounts,
    ManageUsers,
    ManagePolicies,
    Settings,
}

impl Action {
    pub fn allowed(self, role: Role) -> bool {
        use Action::*;
        match role {
            Role::Owner => true,
            Role::Preparer => matches!(self, Read | Export | Import | Prepare | Collect | Sync),
            Role::Approver => matches!(self, Read | Export | Approve | Sync),
            Role::Viewer => matches!(self, Read | Export),
        }
    }

    /// What the action is, for the refusal.
    fn words(self) -> &'static str {
        use Action::*;
        match self {
            Read => "read the data",
            Export => "export",
            Import => "import or edit contacts",
            Prepare => "prepare payouts and batches",
            Collect => "collect payments",
            Sync => "send and track payouts",
            Approve => "approve or reject payouts and batches",
            ManageAccounts => "add, change or remove accounts",
            ManageUsers => "add or remove people",
            ManagePolicies => "change approval policies",
            Settings => "change settings",
        }
    }
}

/// Who is working, and whether the app must ask ("Qui travaille ?"). `actor` is `None` when
/// nobody is signed in.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PeopleState {
    pub several: bool,
    pub actor: Option<Actor>,
    /// The names to choose from.
    pub people: Vec<String>,
}

/// Who acts in this process: nobody (the app locked, or several people and no sign-in yet),
/// a person (or the merchant alone), or the shell's own background work.
#[derive(Debug, Clone)]
pub(crate) enum Acting {
    Nobody,
    Person(Actor),
    /// The poller, the daily balance check and the callback receiver: they track and read,
    /// whoever is signed in or not.
    Background,
}

/// The person acting in this process (the app signs in and out; the command line once).
#[derive(Debug)]
pub(crate) struct Session(std::sync::RwLock<Acting>);

impl Session {
    /// At opening: nobody in the folder, the merchant alone; one person, them (never asked);
    /// several, nobody until someone signs in.
    pub(crate) fn at_open(store: &guichet_store::Store) -> Result<Session> {
        let present = store.users().present()?;
        Ok(Session(std::sync::RwLock::new(match present.as_slice() {
            [] => Acting::Person(Actor::alone()),
            [one] => Acting::Person(Actor::of(one)),
            _ => Acting::Nobody,
        })))
    }
}

impl Guichet {
    /// The person acting; `None` when nobody is signed in (or for background work).
    pub fn actor(&self) -> Option<Actor> {
        match self.acting() {
            Acting::Person(a) => Some(a),
            Acting::Nobody | Acting::Background => None,
        }
    }

    fn acting(&self) -> Acting {
        self.acting
            .0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A copy of this context for the shell's own work (the poller, the daily balance check,
    /// the callback receiver): it may read and track (`Read`, `Sync`) and nothing else, whoever
    /// signs in or out of this one. Never for a person's command.
    pub fn background(&self) -> Guichet {
        let mut g = self.clone();
        g.acting = std::sync::Arc::new(Session(std::sync::RwLock::new(Acting::Background)));
        g
    }

    pub fn people_state(&self) -> Result<PeopleState> {
        let people = self.store.users().present()?;
        Ok(PeopleState {
            several: people.len() > 1,
            actor: self.actor(),
            people: people.into_iter().map(|u| u.name).collect(),
        })
    }

    fn set_acting(&self, acting: Acting) {
        *self.acting.0.write().unwrap_or_else(|e| e.into_inner()) = acting;
    }

    fn set_actor(&self, actor: Actor) {
        self.set_acting(Acting::Person(actor));
    }

    /// The acting person, when their role allows `action`; otherwise a refusal naming who
    /// they are and what their role cannot do. With nobody signed in, everything is refused.
    pub fn require(&self, action: Action) -> Result<Actor> {
        let actor = match self.acting() {
            Acting::Nobody => {
                return Err(CoreError::refused(
                    "nobody_signed_in",
                    "nobody is signed in: say who is working first",
                ))
            }
            Acting::Background if matches!(action, Action::Read | Action::Sync) => {
                return Ok(Actor {
                    id: None,
                    name: None,
                    role: Role::Viewer,
                })
            }
            Acting::Background => {
                return Err(CoreError::refused(
                    "not_allowed",
                    format!("background work cannot {}", action.words()),
                ))
            }
            Acting::Person(a) => a,
        };
        if action.allowed(actor.role) {
            return Ok(actor);
        }
        Err(CoreError::refused(
            "not_allowed",
            format!(
                "{} is {} {}: that role cannot {}",
                actor.who(),
                if actor.role == Role::Approver || actor.role == Role::Owner {
                    "an"
                } else {
                    "a"
                },
                actor.role.as_str(),
                action.words()
            ),
        ))
    }
}
