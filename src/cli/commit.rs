//! `pylon commit`: sets this hotkey's commitment on a subnet (hex, text or a file's bytes),
//! waits for finalization and reads it back.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::hotkey::{HotkeyArgs, Signing};
use super::set_weights::DrandArgs;
use super::{CliError, GlobalArgs};
use crate::chain::ChainClient;
use crate::writes::calls;
use crate::writes::commit::{self, CommitError};

/// Options of `pylon commit`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true))]
pub struct CommitArgs {
    /// Which hotkey signs.
    #[command(flatten)]
    pub hotkey: HotkeyArgs,
    /// The commitment as hex (`0x` optional).
    #[arg(long, group = "input", value_name = "HEX")]
    pub data_hex: Option<String>,
    /// The commitment as text (stored as its UTF-8 bytes).
    #[arg(long, group = "input", value_name = "TEXT")]
    pub data: Option<String>,
    /// The commitment is this file's bytes.
    #[arg(long, group = "input", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Timelock the commitment: the chain reveals it by itself after about this many blocks
    /// (encrypted to the drand round of that time).
    #[arg(long, value_name = "BLOCKS", value_parser = clap::value_parser!(u64).range(1..))]
    pub reveal_after_blocks: Option<u64>,
    /// The drand network a timelocked commitment is encrypted to.
    #[command(flatten)]
    pub drand: DrandArgs,
    /// Check the data and print what would be sent, and submit nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation on a terminal.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl CommitArgs {
    fn bytes(&self) -> Result<Vec<u8>, CliError> {
        let bytes = if let Some(hex) = &self.data_hex {
            commit::parse_hex(hex)
                .map_err(|e| CliError::Usage(format!("--data-hex {hex:?}: {e}")))?
        } else if let Some(text) = &self.data {
            text.as_bytes().to_vec()
        } else if let Some(file) = &self.file {
            std::fs::read(file).map_err(|e| {
                CliError::Usage(format!("cannot read commitment file {}: {e}", file.display()))
            })?
        } else {
            return Err(CliError::Usage("give --data-hex, --data or --file".into()));
        };
        if self.reveal_after_blocks.is_none() {
            calls::commitment_data(&bytes).map_err(|e| CliError::Usage(e.to_string()))?;
        } else if bytes.is_empty() {
            return Err(CliError::Usage(
                "the commitment is empty (at least 1 byte is needed)".into(),
            ));
        }
        Ok(bytes)
    }

    /// Runs the command.
    pub async fn run(self, global: &GlobalArgs) -> Result<(), CliError> {
        let data = self.bytes()?;
        let Signing { submitter, hotkey, netuid } = self.hotkey.load()?;
        let hex = format!("0x{}", hex::encode(&data));
        if self.dry_run {
            let plan =
                json!({"netuid": netuid, "hotkey": hotkey, "bytes": data.len(), "commitment": hex});
            super::render::print_record(plan, &global.style())?;
            return Ok(());
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() && !self.yes {
            let ok = dialoguer::Confirm::new()
                .with_prompt(format!("Set a {}-byte commitment on subnet {netuid}?", data.len()))
                .default(false)
                .interact()
                .map_err(|e| CliError::Runtime(anyhow::anyhow!("confirmation failed: {e}")))?;
            if !ok {
                return Err(CliError::Skipped("not confirmed".into()));
            }
        }
        let chain = ChainClient::new(&global.chain_config()?);
        if let Some(blocks) = self.reveal_after_blocks {
            let drand = self.drand.resolve(&chain).await?;
            let sent = commit::set_timelocked_commitment(
                &chain, &submitter, &drand, netuid, &data, blocks,
            )
            .await
            .map_err(|e| match e {
                CommitError::Data(e) => CliError::Usage(e.to_string()),
                other => CliError::Runtime(anyhow::anyhow!(
                    "setting the timelocked commitment failed: {other}"
                )),
            })?;
            super::render::print_record(
                json!({
                    "netuid": netuid, "hotkey": hotkey, "bytes": data.len(),
                    "reveal_round": sent.reveal_round, "included_in": sent.included.block_hash,
                    "verified": true,
                }),
                &global.style(),
            )?;
            return Ok(());
        }
        let policy = crate::retry::RetryPolicy::default();
        let work = commit::set_commitment(&chain, &submitter, netuid, &data, &policy);
        let commit::Committed { included_in, stored } =
            super::reads::with_spinner("committing; waiting for finalization…", work)
                .await
                .map_err(|e| match e {
                    CommitError::Data(e) => CliError::Usage(e.to_string()),
                    other => {
                        CliError::Runtime(anyhow::anyhow!("setting the commitment failed: {other}"))
                    }
                })?;
        super::render::print_record(
            json!({
                "netuid": netuid, "hotkey": hotkey, "commitment": stored.commitment,
                "commitment_block_number": stored.commitment_block_number,
                "included_in": included_in, "verified": true,
            }),
            &global.style(),
        )?;
        Ok(())
    }
}
