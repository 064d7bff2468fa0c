//! The embedded provider simulator behind demo mode. It lives as long as the app; demo accounts
//! keep its address, so the next start brings it back on the same port, with the balances it
//! had (`sandbox-balances.json` in the data folder).

use crate::state::AppState;
use guichet_core::demo::DemoAccounts;
use guichet_sandbox::{DemoCredentials, Sandbox, SandboxConfig, Shared};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Starts the simulator (on `port` if given) and points the demo accounts at it.
pub async fn start(state: &AppState, port: Option<u16>) -> Result<(), String> {
    let mut slot = state.sandbox.lock().await;
    if slot.is_none() {
        let handle = Sandbox::start(SandboxConfig {
            port,
            ..Default::default()
        })
        .await
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
        // The demo history includes a payout this number makes the simulator refuse.
        handle.fail_phone(guichet_core::demo::DEMO_REFUSED_PHONE);
        let file = balances_file(state.guichet.data_dir());
        let credentials = handle.demo_credentials();
        if let Some(saved) = DemoBalances::read(&file) {
            saved.restore(&handle.shared(), &credentials);
        }
        keep_balances(handle.shared(), credentials, file);
        *slot = Some(handle);
    }
    let d = slot.as_ref().expect("just started").demo_credentials();
    let accounts = DemoAccounts {
        base_url: d.base_url,
        cinetpay_site_id: d.cinetpay_site_id,
        cinetpay_api_key: d.cinetpay_api_key,
        cinetpay_transfer_password: d.cinetpay_transfer_password,
        mycoolpay_public_key: d.mycoolpay_public_key,
        mycoolpay_private_key: d.mycoolpay_private_key,
        softsystem_client_reference: d.softsystem_client_reference,
        softsystem_access_token: d.softsystem_access_token,
    };
    let g = state.guichet.clone();
    tokio::task::spawn_blocking(move || g.setup_demo(&accounts))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The port of existing demo accounts, to restart the simulator where they expect it.
pub fn previous_port(state: &AppState) -> Option<u16> {
    let url = state.guichet.demo_base_url().ok().flatten()?;
    url.rsplit(':').next()?.parse().ok()
}

fn balances_file(data_dir: &Path) -> PathBuf {
    data_dir.join("sandbox-balances.json")
}

/// The demo merchants' money at the simulator, in whole francs: what a restart gives back, so
/// the recorded readings carry on instead of jumping back to the simulator's opening balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct DemoBalances {
    /// CinetPay's transfer balance less what pending transfers hold: those transfers do not
    /// survive the simulator, their money is counted as gone.
    cinetpay: i64,
    mycoolpay: i64,
}

impl DemoBalances {
    fn of(shared: &Shared, d: &DemoCredentials) -> Option<Self> {
        let w = shared.world();
        let cinetpay = w.cinetpay.get(&d.cinetpay_api_key)?;
        let mycoolpay = w.mycoolpay.get(&d.mycoolpay_public_key)?;
        Some(DemoBalances {
            cinetpay: cinetpay.balance - cinetpay.in_using,
            mycoolpay: mycoolpay.balance,
        })
    }

    fn restore(self, shared: &Shared, d: &DemoCredentials) {
        let mut w = shared.world();
        if let Some(m) = w.cinetpay.get_mut(&d.cinetpay_api_key) {
            m.balance = self.cinetpay;
        }
        if let Some(m) = w.mycoolpay.get_mut(&d.mycoolpay_public_key) {
            m.balance = self.mycoolpay;
        }
    }

    fn read(file: &Path) -> Option<Self> {
        let text = std::fs::read(file).ok()?;
        match serde_json::from_slice(&text) {
            Ok(b) => Some(b),
            Err(e) => {
                tracing::warn!(error = %e, "sandbox balances unreadable; the simulator's own are used");
                None
            }
        }
    }

    /// Written whole then renamed, so a stop mid-write leaves the previous file.
    fn write(self, file: &Path) -> std::io::Result<()> {
        let next = file.with_extension("json.next");
        std::fs::write(&next, serde_json::to_vec(&self).expect("two integers"))?;
        std::fs::rename(&next, file)
    }
}

/// Writes the demo balances whenever they change (checked every half second, under the
/// simulator's lock for a moment), for as long as the simulator lives.
fn keep_balances(shared: Shared, d: DemoCredentials, file: PathBuf) {
    let world = std::sync::Arc::downgrade(&shared.0);
    drop(shared);
    tokio::spawn(async move {
        let mut written = DemoBalances::read(&file);
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let Some(world) = world.upgrade() else { return };
            let Some(now) = DemoBalances::of(&Shared(world), &d) else {
                continue;
            };
            if Some(now) != written {
                let f = file.clone();
                match tokio::task::spawn_blocking(move || now.write(&f)).await {
                    Ok(Ok(())) => written = Some(now),
                    Ok(Err(e)) => tracing::warn!(error = %e, "sandbox balances not saved"),
                    Err(_) => return,
                }
            }
        }
    });
}
