//! The embedded provider simulator behind demo mode. It lives as long as the app; demo accounts
//! keep its address, so the next start brings it back on the same port.

use crate::state::AppState;
use guichet_core::demo::DemoAccounts;
use guichet_sandbox::{Sandbox, SandboxConfig};

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
