use crate::output::Output;
use guichet_sandbox::{Sandbox, SandboxConfig};

/// Runs the provider simulator until Ctrl-C, after printing the demo credentials.
pub fn run(out: &Output, port: Option<u16>, seed: u64) -> anyhow::Result<()> {
    crate::block_on(async {
        let sb = Sandbox::start(SandboxConfig {
            port,
            seed,
            ..Default::default()
        })
        .await?;
        let demo = sb.demo_credentials();
        out.print(&demo, || {
            format!(
                "Sandbox listening on {url} (no real money). Demo accounts:\n\
                 \n  CinetPay    site id {site}, api_key {key}, transfer_password {pw} (balance {cb} XOF)\
                 \n  My-CoolPay  public key {pk}, private_key {sk} (balance {mb} XAF)\
                 \n\nUse --base-url {url} when adding an account. Ctrl-C stops it.",
                url = demo.base_url,
                site = demo.cinetpay_site_id,
                key = demo.cinetpay_api_key,
                pw = demo.cinetpay_transfer_password,
                cb = demo.cinetpay_balance,
                pk = demo.mycoolpay_public_key,
                sk = demo.mycoolpay_private_key,
                mb = demo.mycoolpay_balance,
            )
        })?;
        tokio::signal::ctrl_c().await?;
        sb.shutdown().await;
        Ok(())
    })
}
