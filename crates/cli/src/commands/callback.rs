use crate::output::Output;
use clap::Subcommand;
use guichet_core::callbacks::ServeOptions;
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CallbackCmd {
    /// Checks a callback body (JSON or form) for an account: prints OK or KO, exits 0 or 1.
    Verify {
        #[arg(long)]
        account: String,
        /// The file holding the body (`-` for standard input).
        file: PathBuf,
        /// The address it came from, to check it too (My-CoolPay sends from 15.236.140.89).
        #[arg(long)]
        source: Option<IpAddr>,
    },
    /// Receives provider callbacks on this machine until stopped (Ctrl-C); expose it through a
    /// tunnel or reverse proxy.
    Serve {
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Listen on every interface rather than 127.0.0.1 only.
        #[arg(long)]
        public: bool,
        /// The address of the reverse proxy in front of the receiver: its X-Forwarded-For is
        /// then believed, from that address only. Without it, the sender is whoever connects.
        #[arg(long, value_name = "ADDR")]
        trust_proxy: Option<IpAddr>,
    },
}

pub fn run(data_dir: Option<PathBuf>, out: &Output, cmd: CallbackCmd) -> anyhow::Result<()> {
    let g = super::open(data_dir)?;
    match cmd {
        CallbackCmd::Verify {
            account,
            file,
            source,
        } => {
            let body = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?
            };
            let o = crate::block_on(g.verify_callback(&account, &body, source))?;
            out.print(&o, || o.answer.clone())?;
            eprintln!("{}", o.reason);
            if !o.ok() {
                std::process::exit(1);
            }
            Ok(())
        }
        CallbackCmd::Serve {
            port,
            public,
            trust_proxy,
        } => crate::block_on(async {
            let bind: IpAddr = if public {
                "0.0.0.0".parse()?
            } else {
                "127.0.0.1".parse()?
            };
            let server = g
                .serve_callbacks(ServeOptions {
                    trust_proxy,
                    ..ServeOptions::new(bind, port)
                })
                .await?;
            out.print(
                &serde_json::json!({
                    "listening": server.addr().to_string(),
                    "url": server.url(),
                    "trust_proxy": trust_proxy.map(|a| a.to_string()),
                }),
                || {
                    let proxy = match trust_proxy {
                        Some(a) => format!("X-Forwarded-For believed from {a} only"),
                        None => "no proxy trusted: the sender is whoever connects".to_string(),
                    };
                    format!(
                        "Receiving callbacks on {} (Ctrl-C to stop)\nGive providers this path behind your tunnel's address: /{}\n{proxy}",
                        server.url(),
                        server.path()
                    )
                },
            )?;
            tokio::signal::ctrl_c().await?;
            server.stop().await;
            Ok(())
        }),
    }
}
