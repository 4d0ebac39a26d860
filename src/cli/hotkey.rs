//! Which hotkey signs a write: an identity's `PYLON_ID_{NAME}_*` variables, or a wallet given by
//! name; shared by `set-weights` and `commit`.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use crate::chain::signer::HotkeySigner;
use crate::writes::Submitter;

/// The signing hotkey and its subnet.
#[derive(Debug, Args)]
pub struct HotkeyArgs {
    /// The subnet (default: the identity's).
    #[arg(long, value_parser = super::reads::parse_netuid, allow_hyphen_values = true)]
    pub netuid: Option<u16>,
    /// Sign as this identity (its PYLON_ID_{NAME}_WALLET_NAME, _HOTKEY_NAME and _NETUID).
    #[arg(long, conflicts_with_all = ["wallet_name", "hotkey_name"], value_name = "NAME")]
    pub identity: Option<String>,
    /// Wallet directory [env: PYLON_BITTENSOR_WALLET_PATH, else BT_WALLET_PATH; default:
    /// ~/.bittensor/wallets].
    #[arg(long, visible_aliases = ["wallet.path", "wallet-dir"], value_name = "DIR")]
    pub wallet_path: Option<String>,
    /// Wallet (coldkey) name [env: BT_WALLET_NAME, as btcli].
    #[arg(long, visible_alias = "wallet.name", value_name = "NAME")]
    pub wallet_name: Option<String>,
    /// Hotkey name [env: BT_WALLET_HOTKEY, as btcli].
    #[arg(
        long,
        visible_aliases = ["wallet.hotkey", "wallet-hotkey", "hotkey"],
        value_name = "NAME"
    )]
    pub hotkey_name: Option<String>,
}

/// A loaded signer.
pub struct Signing {
    /// Signs and submits with a local nonce.
    pub submitter: Submitter,
    /// The hotkey, SS58.
    pub hotkey: String,
    /// The subnet.
    pub netuid: u16,
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

/// `~/x` with the home directory.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

impl HotkeyArgs {
    /// The wallet directory: the flag, PYLON_BITTENSOR_WALLET_PATH, BT_WALLET_PATH, or the
    /// default.
    pub fn wallet_path(&self) -> String {
        let env = |var: &str| std::env::var(var).ok().filter(|v| !v.is_empty());
        self.wallet_path
            .clone()
            .or_else(|| env("PYLON_BITTENSOR_WALLET_PATH"))
            .or_else(|| env("BT_WALLET_PATH"))
            .unwrap_or_else(|| "~/.bittensor/wallets".into())
    }

    /// Wallet name, hotkey name and subnet.
    fn who(&self) -> Result<(String, String, u16), CliError> {
        if let Some(name) = &self.identity {
            let upper = name.to_ascii_uppercase().replace('-', "_");
            let var = |field: &str| {
                let key = format!("PYLON_ID_{upper}_{field}");
                std::env::var(&key)
                    .map_err(|_| usage(format!("{key} is not set (identity {name:?})")))
            };
            let netuid = match self.netuid {
                Some(n) => n,
                None => {
                    let text = var("NETUID")?;
                    text.parse().map_err(|_| {
                        usage(format!("PYLON_ID_{upper}_NETUID: invalid netuid {text:?}"))
                    })?
                }
            };
            return Ok((var("WALLET_NAME")?, var("HOTKEY_NAME")?, netuid));
        }
        let from_env = |flag: &Option<String>, var: &str| {
            flag.clone().or_else(|| std::env::var(var).ok().filter(|v| !v.is_empty()))
        };
        let wallet = from_env(&self.wallet_name, "BT_WALLET_NAME");
        let hotkey = from_env(&self.hotkey_name, "BT_WALLET_HOTKEY");
        match (wallet, hotkey, self.netuid) {
            (Some(w), Some(h), Some(n)) => Ok((w, h, n)),
            (Some(_), Some(_), None) => {
                Err(usage("--netuid is required with --wallet-name/--hotkey-name"))
            }
            (Some(_), None, _) => {
                Err(usage("give the hotkey too: --hotkey-name (--wallet.hotkey)"))
            }
            (None, Some(_), _) => Err(usage("give the wallet too: --wallet-name (--wallet.name)")),
            (None, None, _) => {
                Err(usage("give --identity NAME, or --wallet-name, --hotkey-name and --netuid"))
            }
        }
    }

    /// Loads the hotkey's signing key; a missing, encrypted or malformed file is a usage error
    /// naming its path.
    pub fn load(&self) -> Result<Signing, CliError> {
        let (wallet, hotkey_name, netuid) = self.who()?;
        let path = expand_home(&self.wallet_path());
        let pair = crate::wallet::load_hotkey(&path, &wallet, &hotkey_name)
            .map_err(|e| usage(e.to_string()))?;
        let submitter = Submitter::new(HotkeySigner::new(pair));
        let hotkey = crate::ss58::encode(&submitter.account());
        Ok(Signing { submitter, hotkey, netuid })
    }
}
