//! `pylon set-weights`: sets a validator's weights from a shell or cron line, with pre-flight
//! checks at one pinned block, verification after finalization and exit codes a script can act
//! on (0 set and verified, 1 failed, 2 usage/config, 3 skipped: rate-limited).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read as _};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde_json::json;
use subxt::dynamic::{self, Value};

use super::{CliError, GlobalArgs};
use crate::chain::signer::HotkeySigner;
use crate::chain::{BlockAt, ChainClient, reads};
use crate::output;
use crate::weights::{self, Target};

/// Options of `pylon set-weights`.
#[derive(Debug, Args)]
pub struct SetWeightsArgs {
    /// The subnet (default: the identity's).
    #[arg(long)]
    pub netuid: Option<u16>,
    /// Sign as this identity (its PYLON_ID_{NAME}_WALLET_NAME, _HOTKEY_NAME and _NETUID).
    #[arg(long, conflicts_with_all = ["wallet_name", "hotkey_name"])]
    pub identity: Option<String>,
    /// Wallet directory.
    #[arg(long, env = "PYLON_BITTENSOR_WALLET_PATH", default_value = "~/.bittensor/wallets")]
    pub wallet_path: String,
    /// Wallet (coldkey) name.
    #[arg(long, requires = "hotkey_name")]
    pub wallet_name: Option<String>,
    /// Hotkey name.
    #[arg(long, requires = "wallet_name")]
    pub hotkey_name: Option<String>,
    /// Weights as `HOTKEY=W,UID=W,…`; `-` reads them from stdin.
    #[arg(long, conflicts_with = "weights_file", value_name = "LIST")]
    pub weights: Option<String>,
    /// Weights from a JSON object (`{"HOTKEY": w}`) or a CSV file (`KEY,WEIGHT` rows).
    #[arg(long, value_name = "FILE")]
    pub weights_file: Option<PathBuf>,
    /// Fail when a hotkey is not registered on the subnet (default: drop it with a warning).
    #[arg(long)]
    pub strict: bool,
    /// Print the resolved uid/u16 vector and every check, and submit nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

impl SetWeightsArgs {
    /// Where the hotkey is and which subnet.
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
        match (&self.wallet_name, &self.hotkey_name, self.netuid) {
            (Some(w), Some(h), Some(n)) => Ok((w.clone(), h.clone(), n)),
            (Some(_), Some(_), None) => {
                Err(usage("--netuid is required with --wallet-name/--hotkey-name"))
            }
            _ => Err(usage("give --identity NAME, or --wallet-name, --hotkey-name and --netuid")),
        }
    }

    fn read_weights(&self) -> Result<BTreeMap<Target, f64>, CliError> {
        let parsed = match (&self.weights, &self.weights_file) {
            (Some(list), _) if list == "-" => {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| usage(format!("cannot read stdin: {e}")))?;
                weights::parse_json(&text).or_else(|_| weights::parse_list(&text))
            }
            (Some(list), _) => weights::parse_list(list),
            (None, Some(file)) => {
                let text = std::fs::read_to_string(file).map_err(|e| {
                    usage(format!("cannot read weights file {}: {e}", file.display()))
                })?;
                if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                    weights::parse_csv(&text)
                } else {
                    weights::parse_json(&text)
                }
            }
            (None, None) => {
                return Err(usage("give --weights LIST, --weights -, or --weights-file FILE"));
            }
        };
        parsed.map_err(|e| usage(e.to_string()))
    }

    /// Runs the command.
    pub async fn run(self, global: &GlobalArgs) -> Result<(), CliError> {
        let (wallet, hotkey_name, netuid) = self.who()?;
        let wanted = self.read_weights()?;
        let path = expand_home(&self.wallet_path);
        let pair = crate::wallet::load_hotkey(&path, &wallet, &hotkey_name)
            .map_err(|e| usage(e.to_string()))?;
        let signer = HotkeySigner::new(pair);
        let me = crate::ss58::encode(&signer.account());
        let chain = ChainClient::new(&super::reads::chain_config(global));

        // Pre-flight at one pinned block.
        let (neurons, hyper) = chain
            .read(BlockAt::Latest, move |at| {
                Box::pin(async move {
                    let neurons = reads::neurons(at.clone(), netuid).await?;
                    Ok((neurons, reads::hyperparams(at, netuid).await?))
                })
            })
            .await?;
        let head = neurons.block.number;
        let by_hotkey: BTreeMap<&str, u16> =
            neurons.neurons.iter().map(|n| (n.hotkey.as_str(), n.uid)).collect();
        let own = neurons.neurons.iter().find(|n| n.hotkey == me).ok_or_else(|| {
            CliError::Runtime(anyhow::anyhow!("hotkey {me} is not registered on subnet {netuid}"))
        })?;
        let mut unknown = Vec::new();
        let mut resolved = Vec::new();
        for (target, w) in &wanted {
            match target {
                Target::Uid(uid) if usize::from(*uid) < neurons.neurons.len() => {
                    resolved.push((*uid, *w))
                }
                Target::Hotkey(h) if by_hotkey.contains_key(h.as_str()) => {
                    resolved.push((by_hotkey[h.as_str()], *w))
                }
                other => unknown.push(other.to_string()),
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some((uid, _)) = resolved.iter().find(|(uid, _)| !seen.insert(*uid)) {
            return Err(usage(format!("uid {uid} is given twice (by uid and by hotkey)")));
        }
        if !unknown.is_empty() {
            if self.strict {
                return Err(usage(format!(
                    "not registered on subnet {netuid}: {}",
                    unknown.join(", ")
                )));
            }
            output::note(&format!(
                "warning: dropping targets not registered on subnet {netuid}: {}",
                unknown.join(", ")
            ));
        }
        let vector = weights::normalize(&resolved).map_err(|e| usage(e.to_string()))?;
        let param =
            |name: &str| hyper.hyperparams.get(name).cloned().unwrap_or(serde_json::Value::Null);
        let cr = param("commit_reveal_weights_enabled").as_bool().unwrap_or(false);
        let version_key = param("weights_version").as_u64().unwrap_or(0);
        let rate_limit = param("weights_rate_limit").as_u64().unwrap_or(0);
        let min_allowed = param("min_allowed_weights").as_u64().unwrap_or(0) as usize;
        let self_only = vector.len() == 1 && vector[0].0 == own.uid;
        let next_allowed = if own.last_update == 0 { 0 } else { own.last_update + rate_limit };
        let checks = json!({
            "registered": true,
            "validator_permit": own.validator_permit || self_only,
            "commit_reveal": cr,
            "min_allowed_weights": { "required": min_allowed.min(neurons.neurons.len()), "given": vector.len(), "ok": self_only || vector.len() >= min_allowed.min(neurons.neurons.len()) },
            "rate_limit": { "last_update": own.last_update, "next_allowed_block": next_allowed, "head": head, "ok": head + 1 >= next_allowed },
        });
        let plan = json!({
            "netuid": netuid, "uid": own.uid, "hotkey": me, "block": head, "version_key": version_key,
            "weights": vector, "checks": checks,
        });
        if self.dry_run {
            output::result_line(&plan.to_string());
            return Ok(());
        }
        if cr {
            return Err(CliError::Runtime(anyhow::anyhow!(
                "subnet {netuid} uses commit-reveal; timelocked commits are not supported by this version of pylon set-weights"
            )));
        }
        if !(own.validator_permit || self_only) {
            return Err(CliError::Runtime(anyhow::anyhow!(
                "uid {} has no validator permit on subnet {netuid}",
                own.uid
            )));
        }
        if !checks["min_allowed_weights"]["ok"].as_bool().unwrap_or(false) {
            return Err(CliError::Runtime(anyhow::anyhow!(
                "{} weights given; subnet {netuid} requires at least {}",
                vector.len(),
                min_allowed.min(neurons.neurons.len())
            )));
        }
        if head + 1 < next_allowed {
            return Err(CliError::Skipped(format!(
                "rate-limited: the next allowed block is {next_allowed} (head {head})"
            )));
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !self.yes {
            let ok = dialoguer::Confirm::new()
                .with_prompt(format!(
                    "Set {} weights on subnet {netuid} as uid {}?",
                    vector.len(),
                    own.uid
                ))
                .default(false)
                .interact()
                .map_err(|e| CliError::Runtime(anyhow::anyhow!("confirmation failed: {e}")))?;
            if !ok {
                return Err(CliError::Skipped("not confirmed".into()));
            }
        }
        let u16s = |values: Vec<u16>| {
            Value::unnamed_composite(values.into_iter().map(|v| Value::u128(u128::from(v))))
        };
        let payload = dynamic::tx(
            "SubtensorModule",
            "set_mechanism_weights",
            vec![
                Value::u128(u128::from(netuid)),
                Value::u128(0),
                u16s(vector.iter().map(|(u, _)| *u).collect()),
                u16s(vector.iter().map(|(_, w)| *w).collect()),
                Value::u128(u128::from(version_key)),
            ],
        );
        let api =
            subxt::OnlineClient::<subxt::SubstrateConfig>::from_insecure_url(chain.main().url())
                .await
                .with_context(|| format!("cannot connect to {}", chain.main().url()))?;
        let at = api.at_current_block().await.context("cannot read the finalized block")?;
        let events = at
            .transactions()
            .sign_and_submit_then_watch_default(&payload, &signer)
            .await
            .context("the node refused the transaction")?
            .wait_for_finalized_success()
            .await
            .context("setting weights failed")?;
        let _ = events;
        // Verify what the chain stored.
        let uid = own.uid;
        let stored = chain
            .read(BlockAt::Latest, move |at| Box::pin(reads::weights(at, netuid, Some(uid))))
            .await?;
        let on_chain = stored.weights.get(&uid).cloned().unwrap_or_default();
        if on_chain != vector {
            return Err(CliError::Runtime(anyhow::anyhow!(
                "weights were submitted but the chain holds {on_chain:?} instead of {vector:?}"
            )));
        }
        output::result_line(&json!({ "netuid": netuid, "uid": uid, "block": stored.block, "weights": vector, "verified": true }).to_string());
        Ok(())
    }
}
