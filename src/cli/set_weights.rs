//! `pylon set-weights`: sets a validator's weights from a shell or cron line, with pre-flight
//! checks at one pinned block, verification after finalization and exit codes a script can act
//! on (0 set and verified, 1 failed, 2 usage/config, 3 skipped: rate-limited).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read as _};
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::hotkey::{HotkeyArgs, Signing};
use super::{CliError, GlobalArgs};
use crate::chain::{ChainClient, reads};
use crate::output;
use crate::weights::{self, Target};
use crate::writes::plan::{Blocker, Plan, PlanError};
use crate::writes::{WriteError, calls, crv4};

/// Options of `pylon set-weights`.
#[derive(Debug, Args)]
pub struct SetWeightsArgs {
    /// Which hotkey signs.
    #[command(flatten)]
    pub hotkey: HotkeyArgs,
    /// Weights as `HOTKEY=W,UID=W,…`; `-` reads them from stdin.
    #[arg(long, conflicts_with = "weights_file", value_name = "LIST")]
    pub weights: Option<String>,
    /// Weights from a JSON object (`{"HOTKEY": w}`) or a CSV file (`KEY,WEIGHT` rows).
    #[arg(long, value_name = "FILE")]
    pub weights_file: Option<PathBuf>,
    /// Fail when a hotkey is not registered on the subnet (default: drop it with a warning).
    #[arg(long)]
    pub strict: bool,
    /// The subnet mechanism the weights are for (0 is the subnet's main one).
    #[arg(long, default_value_t = 0)]
    pub mechanism: u8,
    /// Print the resolved uid/u16 vector and every check, and submit nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The drand network commit-reveal commits are encrypted to.
    #[command(flatten)]
    pub drand: DrandArgs,
}

/// The drand network of commit-reveal. Without `--drand-public-key` it is the node's own
/// beacon when the node is a `pylon devnet`, else drand quicknet (what finney uses).
#[derive(Debug, Args)]
pub struct DrandArgs {
    /// Drand public key (hex, 96 bytes) [default: the devnet's beacon, else quicknet's].
    #[arg(long, env = "PYLON_DRAND_PUBLIC_KEY")]
    pub drand_public_key: Option<String>,
    /// Unix time of drand round 1 (with --drand-public-key).
    #[arg(long, env = "PYLON_DRAND_GENESIS_TIME", default_value_t = crate::timelock::QUICKNET_GENESIS)]
    pub drand_genesis: u64,
    /// Seconds between drand rounds (with --drand-public-key).
    #[arg(long, env = "PYLON_DRAND_PERIOD_SECONDS", default_value_t = crate::timelock::QUICKNET_PERIOD)]
    pub drand_period: u64,
}

impl DrandArgs {
    /// The network given on the command line, if any, or a usage error naming the bad key.
    pub fn configured(&self) -> Result<Option<crate::timelock::Drand>, CliError> {
        self.drand_public_key
            .as_deref()
            .map(|key| crate::timelock::Drand::new(key, self.drand_genesis, self.drand_period))
            .transpose()
            .map_err(|e| usage(format!("--drand-public-key: {e}")))
    }

    /// The network to encrypt to: the configured one, else the node's beacon or quicknet.
    pub async fn resolve(&self, chain: &ChainClient) -> Result<crate::timelock::Drand, CliError> {
        let configured = self.configured()?;
        crate::chain::commit_reveal::resolve_drand(configured.as_ref(), chain.main()).await.map_err(
            |e| CliError::Runtime(anyhow::anyhow!("cannot ask the node for its drand beacon: {e}")),
        )
    }
}

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

impl SetWeightsArgs {
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
        let Signing { submitter, hotkey: me, netuid } = self.hotkey.load()?;
        let wanted = self.read_weights()?;
        let chain = ChainClient::new(&global.chain_config()?);

        // Pre-flight at one pinned block.
        let plan = Plan::at_head(&chain, netuid, &me, &wanted).await.map_err(|e| match e {
            PlanError::Chain(e) => CliError::Runtime(e.into()),
            PlanError::NotRegistered { .. } => CliError::Runtime(anyhow::anyhow!("{e}")),
            other => usage(other.to_string()),
        })?;
        if !plan.unknown.is_empty() {
            let list = plan.unknown.join(", ");
            if self.strict {
                return Err(usage(format!("not registered on subnet {netuid}: {list}")));
            }
            output::note(&format!(
                "warning: dropping targets not registered on subnet {netuid}: {list}"
            ));
        }
        if plan.vector.is_empty() {
            return Err(usage(format!("no weights left for subnet {netuid}")));
        }
        if self.dry_run {
            // The plan, then the exit code the real run would end with.
            super::render::print_record(plan.to_json(), &global.style())?;
        }
        match plan.blocker() {
            Some(b @ Blocker::RateLimited { .. }) => {
                return Err(CliError::Skipped(format!("{b} (head {})", plan.block)));
            }
            Some(Blocker::NoPermit) => {
                return Err(CliError::Runtime(anyhow::anyhow!(
                    "uid {} has no validator permit on subnet {netuid}",
                    plan.uid
                )));
            }
            Some(b) => return Err(CliError::Runtime(anyhow::anyhow!("subnet {netuid}: {b}"))),
            None if self.dry_run => return Ok(()),
            None => {}
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !self.yes {
            let ok = dialoguer::Confirm::new()
                .with_prompt(format!(
                    "Set {} weights on subnet {netuid} as uid {}?",
                    plan.vector.len(),
                    plan.uid
                ))
                .default(false)
                .interact()
                .map_err(|e| CliError::Runtime(anyhow::anyhow!("confirmation failed: {e}")))?;
            if !ok {
                return Err(CliError::Skipped("not confirmed".into()));
            }
        }
        if plan.commit_reveal {
            let drand = self.drand.resolve(&chain).await?;
            let committed = commit_weights(&chain, &submitter, &plan, &drand, self.mechanism).await;
            return match committed {
                Err(Refused::Write(e)) => Err(refused(e, &chain, &plan, &me, &wanted).await),
                Err(Refused::Other(e)) => Err(e),
                Ok(result) => super::render::print_record(result, &global.style()),
            };
        }
        let payload =
            calls::set_mechanism_weights(netuid, self.mechanism, &plan.vector, plan.version_key);
        let waiting = "submitting; waiting for finalization…";
        let submitted =
            super::reads::with_spinner(waiting, submitter.submit_via(chain.main(), &payload)).await;
        let included = match submitted {
            Ok(included) => included,
            Err(e) => return Err(refused(e, &chain, &plan, &me, &wanted).await),
        };
        let uid = plan.uid;
        if self.mechanism != 0 {
            // Mechanism weights live under another storage index: the event is the evidence.
            if !included.events.iter().any(|e| e == "SubtensorModule.WeightsSet") {
                return Err(CliError::Runtime(anyhow::anyhow!(
                    "the weights were included but emitted no WeightsSet event"
                )));
            }
            let result = json!({
                "netuid": netuid, "mechanism": self.mechanism, "uid": uid, "weights": plan.vector,
                "included_in": included.block_hash, "extrinsic": included.extrinsic_hash,
                "verified": true,
            });
            super::render::print_record(result, &global.style())?;
            return Ok(());
        }
        // Verify what the chain stored, in the block the weights were finalized in.
        let at = chain.block_of_write(&included.block_hash).await?;
        let stored =
            chain.read(at, move |at| Box::pin(reads::weights(at, netuid, Some(uid)))).await?;
        let on_chain = stored.weights.get(&uid).cloned().unwrap_or_default();
        if on_chain != plan.vector {
            return Err(CliError::Runtime(anyhow::anyhow!(
                "weights were submitted but the chain holds {on_chain:?} instead of {:?}",
                plan.vector
            )));
        }
        super::render::print_record(
            json!({
                "netuid": netuid, "uid": uid, "block": stored.block, "weights": plan.vector,
                "included_in": included.block_hash, "extrinsic": included.extrinsic_hash,
                "verified": true,
            }),
            &global.style(),
        )?;
        Ok(())
    }
}

/// A failed submission as the exit code a script acts on: rate-limited is 3 whichever way the
/// chain says it — the pool's `Custom error: 6`, a `…TooFast` dispatch error, or a pool
/// refusal a concurrent submission of this hotkey explains (same nonce, outdated, or admitted
/// and then dropped when a block applied the other one first) after which
/// the rate limit is found in force once that submission lands (polled for up to
/// [`RECHECK_FOR`]); else 1.
async fn refused(
    error: WriteError,
    chain: &ChainClient,
    plan: &Plan,
    me: &str,
    wanted: &BTreeMap<Target, f64>,
) -> CliError {
    let text = error.to_string();
    if text.contains("RateLimitExceeded") || text.contains("TooFast") {
        return CliError::Skipped(format!("{text} (head {})", plan.block));
    }
    if error.is_concurrent_refusal() {
        let deadline = tokio::time::Instant::now() + RECHECK_FOR;
        while tokio::time::Instant::now() < deadline {
            let again = Plan::at_head(chain, plan.netuid, me, wanted).await;
            if let Ok(Some(b @ Blocker::RateLimited { .. })) = again.as_ref().map(Plan::blocker) {
                return CliError::Skipped(format!(
                    "{b} (another submission of this hotkey landed first: {text})"
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
    CliError::Runtime(anyhow::Error::new(error).context("setting weights failed"))
}

/// How long a refusal that a concurrent submission may explain waits for that submission to
/// show on the finalized chain (a few finney blocks).
const RECHECK_FOR: std::time::Duration = std::time::Duration::from_secs(40);

/// Why a commit did not go through: the submission (mapped by [`refused`]) or anything else.
enum Refused {
    Write(WriteError),
    Other(CliError),
}

impl From<CliError> for Refused {
    fn from(e: CliError) -> Self {
        Refused::Other(e)
    }
}

/// Commit-reveal subnets: a drand-timelocked commit the chain reveals by itself; verified by
/// its `TimelockedWeightsCommitted` event.
async fn commit_weights(
    chain: &ChainClient,
    submitter: &crate::writes::Submitter,
    plan: &Plan,
    drand: &crate::timelock::Drand,
    mechanism: u8,
) -> Result<serde_json::Value, Refused> {
    let commit = crv4::build(chain, drand, plan, submitter.account(), plan.reveal_period)
        .await
        .map_err(|e| {
            Refused::Other(CliError::Runtime(anyhow::anyhow!(
                "cannot build the timelocked commit: {e}"
            )))
        })?;
    let call = crv4::call(plan.netuid, mechanism, &commit);
    let waiting = "committing; waiting for finalization…";
    let included = super::reads::with_spinner(waiting, submitter.submit_via(chain.main(), &call))
        .await
        .map_err(Refused::Write)?;
    let committed =
        included.events.iter().any(|e| e == "SubtensorModule.TimelockedWeightsCommitted");
    if !committed {
        return Err(Refused::Other(CliError::Runtime(anyhow::anyhow!(
            "the commit was included but emitted no TimelockedWeightsCommitted event"
        ))));
    }
    // The block the commit landed in, by number as the direct-weights result has it.
    let mut hash = [0u8; 32];
    hex::decode_to_slice(included.block_hash.trim_start_matches("0x"), &mut hash)
        .map_err(|e| Refused::Other(CliError::Runtime(anyhow::anyhow!("bad block hash: {e}"))))?;
    let block = chain.number_of(hash).await.map_err(|e| Refused::Other(e.into()))?;
    Ok(json!({
        "netuid": plan.netuid, "uid": plan.uid, "mode": "commit-reveal", "block": block,
        "weights": plan.vector, "reveal_round": commit.reveal_round,
        "reveal_block": commit.reveal_block, "included_in": included.block_hash,
        "extrinsic": included.extrinsic_hash, "verified": true,
    }))
}
