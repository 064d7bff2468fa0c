//! The sandbox's demo credentials as the core's demo accounts (tests and benches share it).

use guichet_core::demo::DemoAccounts;
use guichet_sandbox::DemoCredentials;

pub fn demo_accounts(d: &DemoCredentials) -> DemoAccounts {
    DemoAccounts {
        base_url: d.base_url.clone(),
        cinetpay_site_id: d.cinetpay_site_id.clone(),
        cinetpay_api_key: d.cinetpay_api_key.clone(),
        cinetpay_transfer_password: d.cinetpay_transfer_password.clone(),
        mycoolpay_public_key: d.mycoolpay_public_key.clone(),
        mycoolpay_private_key: d.mycoolpay_private_key.clone(),
        softsystem_client_reference: d.softsystem_client_reference.clone(),
        softsystem_access_token: d.softsystem_access_token.clone(),
    }
}
