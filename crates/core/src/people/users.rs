//! Adding and removing people, and signing in: one person is never asked; with several, the
//! acting person names themselves and types their PIN. Wrong PINs are counted in the database
//! (the delay holds across processes) and written to the audit log.

use super::{pin, Action, Actor, Role, UserRow};
use crate::Invalid;
use crate::{CoreError, Guichet, Result};
use serde_json::json;

impl Guichet {
    /// Everyone present in the folder, without their PINs.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        self.require(Action::Read)?;
        Ok(self.store.users().present()?)
    }

    /// Whether the folder has more than one person: then the app asks who is working.
    pub fn several_people(&self) -> Result<bool> {
        Ok(self.store.users().present()?.len() > 1)
    }

    /// Adds a person. The first one of a folder with nobody becomes its owner, whatever role
    /// was asked, without an acting person; after that only an owner adds people.
    pub fn add_user(&self, name: &str, role: Role, pin: &str) -> Result<UserRow> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid(
                "name",
                Invalid::Required,
                "a person needs a name",
            ));
        }
        pin::check_new(pin)?;
        let first = self.store.users().present()?.is_empty();
        let role = if first {
            Role::Owner
        } else {
            self.require(Action::ManageUsers)?;
            role
        };
        let hash = pin::hash(pin)?;
        let user = self.store.users_mut().insert(name, role, &hash)?;
        if first {
            // The merchant alone becomes this person.
            self.set_actor(Actor::of(&user));
        }
        self.audit(
            "user.added",
            Some(&user.name),
            json!({"name": user.name, "role": user.role, "first": first}),
        )?;
        Ok(user)
    }

    /// Removes a person (kept in the log and the approvals). The last owner stays.
    pub fn remove_user(&self, name: &str) -> Result<UserRow> {
        self.require(Action::ManageUsers)?;
        let user = self.user_named(name)?;
        let present = self.store.users().present()?;
        if user.role == Role::Owner && present.iter().filter(|u| u.role == Role::Owner).count() == 1
        {
            return Err(CoreError::refused(
                "last_owner",
                format!("{} is the last owner: add another owner first", user.name),
            ));
        }
        self.store.users_mut().remove(user.id)?;
        self.audit(
            "user.removed",
            Some(&user.name),
            json!({"name": user.name, "role": user.role}),
        )?;
        Ok(user)
    }

    fn user_named(&self, name: &str) -> Result<UserRow> {
        self.store
            .users()
            .by_name(name)?
            .ok_or_else(|| CoreError::NotFound {
                what: "person",
                key: name.trim().to_string(),
            })
    }

    /// Who is working. Nobody in the folder: the merchant alone. One person: them, never
    /// asked. Several: `name` must say who, and `pin` must be theirs; a wrong PIN is counted
    /// and logged, and after two in a row each try waits longer ([`super::delay_after`]).
    pub fn sign_in(&self, name: Option<&str>, pin: Option<&str>) -> Result<Actor> {
        let present = self.store.users().present()?;
        let actor = match present.as_slice() {
            [] => Actor::alone(),
            [one] => {
                if let Some(n) = name {
                    if !n.trim().eq_ignore_ascii_case(&one.name) {
                        return Err(CoreError::NotFound {
                            what: "person",
                            key: n.trim().to_string(),
                        });
                    }
                }
                Actor::of(one)
            }
            _ => self.check_pin(name, pin)?,
        };
        self.set_actor(actor.clone());
        Ok(actor)
    }

    fn check_pin(&self, name: Option<&str>, pin: Option<&str>) -> Result<Actor> {
        let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
            return Err(CoreError::refused(
                "who_is_working",
                "several people work in this folder: say who you are (--as NAME or GUICHET_USER)",
            ));
        };
        let user = self.user_named(name)?;
        let Some(pin) = pin else {
            return Err(CoreError::refused(
                "pin_needed",
                format!(
                    "{}'s PIN is needed (typed when asked, or GUICHET_PIN)",
                    user.name
                ),
            ));
        };
        let failures = self.store.users().failures(user.id)?;
        if let Some(last) = failures.last_at.as_deref() {
            let wait = super::delay_after(failures.count);
            let since = crate::people::audit::seconds_since(last);
            if since < wait.as_secs_f64() {
                let left = (wait.as_secs_f64() - since).ceil() as u64;
                self.audit_as(
                    &Actor::of(&user),
                    "signin.too_soon",
                    Some(&user.name),
                    json!({"failures": failures.count, "wait_seconds": left}),
                )?;
                return Err(CoreError::refused(
                    "pin_wait",
                    format!(
                        "{} wrong PINs in a row for {}: try again in {left} s",
                        failures.count, user.name
                    ),
                ));
            }
        }
        let stored = self.store.users().pin_hash(user.id)?;
        if !pin::matches(pin, &stored) {
            let count = self.store.users_mut().record_failure(user.id)?;
            self.audit_as(
                &Actor::of(&user),
                "signin.failed",
                Some(&user.name),
                json!({"failures": count}),
            )?;
            return Err(CoreError::refused(
                "wrong_pin",
                format!("wrong PIN for {}", user.name),
            ));
        }
        self.store.users_mut().clear_failures(user.id)?;
        let actor = Actor::of(&user);
        self.audit_as(
            &actor,
            "signin",
            Some(&user.name),
            json!({"role": user.role}),
        )?;
        Ok(actor)
    }

    /// Back to nobody signed in (the app's lock): nothing but the people state is read or
    /// done until someone signs in again.
    pub fn sign_out(&self) {
        self.set_acting(super::Acting::Nobody);
    }
}
