//! EVM log queries against Ethereum JSON-RPC nodes (subtensor's Frontier endpoint), as the
//! Python service makes them: `eth_blockNumber` on the main node, then `eth_getLogs` routed by
//! `PYLON_EVM_ARCHIVE_BLOCKS_CUTOFF` — a range entirely older than head − cutoff goes to the
//! archive node, a range entirely newer to the main node, a range across the cutoff is split
//! into two concurrent calls (archive part first) — and decoded with the client's event ABI.

pub mod abi;

use std::time::{Duration, Instant};

use alloy_primitives::{Address, B256};
use jsonrpsee::core::client::ClientT;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::chain::scale_json::Py;

/// The EVM nodes and the cutoff between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvmConfig {
    /// `PYLON_EVM_RPC_URL`.
    pub rpc_url: String,
    /// `PYLON_EVM_ARCHIVE_RPC_URL`.
    pub archive_rpc_url: String,
    /// `PYLON_EVM_ARCHIVE_BLOCKS_CUTOFF`.
    pub archive_blocks_cutoff: u64,
}

impl Default for EvmConfig {
    fn default() -> Self {
        Self {
            rpc_url: "https://lite.chain.opentensor.ai".into(),
            archive_rpc_url: "https://archive.chain.opentensor.ai".into(),
            archive_blocks_cutoff: 300,
        }
    }
}

/// How long one EVM node call may take, as the Python service's provider.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(30);

/// One decoded log.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EvmLog {
    /// The event's name.
    pub event: String,
    /// Its arguments by name (addresses EIP-55, integers exact, bytes `0x` hex).
    #[schema(value_type = Object)]
    pub args: Py,
    /// The contract (EIP-55).
    pub address: String,
    /// The EVM block.
    pub block_number: u64,
    /// `0x` + 64 hex.
    pub transaction_hash: String,
    /// The transaction's index in its block.
    pub transaction_index: u64,
    /// The log's index in its block.
    pub log_index: u64,
}

/// The answer: the logs, and the range as asked.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EvmLogs {
    /// Logs of the ABI's events, in node order (the archive part first).
    pub logs: Vec<EvmLog>,
    /// As asked.
    pub from_block: u64,
    /// As asked.
    pub to_block: u64,
}

/// Why a log query failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvmError {
    /// Not 40 hex digits (with or without `0x`).
    #[error("Invalid contract address: {0}")]
    InvalidAddress(String),
    /// An `event` entry of the ABI does not parse.
    #[error("Malformed ABI event entry: {0}")]
    MalformedAbi(String),
    /// The node failed or refused (`label` is the node's URL without credentials or query; it
    /// goes to the log, not into answers).
    #[error("EVM node request failed: {message}")]
    Rpc {
        /// The node.
        label: String,
        /// What it said.
        message: String,
    },
}

/// Where the server's metrics go.
pub trait Observer: Send + Sync {
    /// `pylon_evm_operation_duration_seconds{operation, status, rpc_url}`.
    fn operation(&self, operation: &str, status: &str, rpc_url: &str, seconds: f64);
    /// `pylon_evm_archive_routing_total{reason}`.
    fn routing(&self, reason: &str);
}

/// A node's URL without user info, query or fragment: safe for labels, logs and answers.
pub fn url_label(url: &str) -> String {
    crate::network::redact(url)
}

struct Endpoint {
    label: String,
    client: Result<HttpClient, String>,
}

impl Endpoint {
    fn new(url: &str) -> Self {
        let client = HttpClientBuilder::default()
            .request_timeout(RPC_TIMEOUT)
            .build(url)
            .map_err(|e| e.to_string());
        Self { label: url_label(url), client }
    }

    /// One call, timed under `operation` (a dropped call counts as `cancelled`).
    async fn call(
        &self,
        operation: &str,
        method: &str,
        params: jsonrpsee::core::params::ArrayParams,
        observer: &dyn Observer,
    ) -> Result<Value, EvmError> {
        struct Timer<'a> {
            done: Option<&'static str>,
            started: Instant,
            operation: &'a str,
            label: &'a str,
            observer: &'a dyn Observer,
        }
        impl Drop for Timer<'_> {
            fn drop(&mut self) {
                let status = self.done.unwrap_or("cancelled");
                let secs = self.started.elapsed().as_secs_f64();
                self.observer.operation(self.operation, status, self.label, secs);
            }
        }
        let mut timer =
            Timer { done: None, started: Instant::now(), operation, label: &self.label, observer };
        let rpc_err = |message: String| EvmError::Rpc { label: self.label.clone(), message };
        let client = self.client.as_ref().map_err(|e| rpc_err(e.clone()))?;
        let result = client.request::<Value, _>(method, params).await.map_err(|e| {
            // Transport errors can quote the URL; keep only the label.
            let text = e.to_string();
            rpc_err(text.replace(&self.label, "<node>"))
        });
        timer.done = Some(if result.is_ok() { "success" } else { "error" });
        result
    }
}

/// The two EVM nodes.
pub struct EvmClient {
    main: Endpoint,
    archive: Endpoint,
    cutoff: u64,
}

/// `0x`-prefixed hex quantity.
fn quantity(v: &Value) -> Option<u64> {
    u64::from_str_radix(v.as_str()?.strip_prefix("0x")?, 16).ok()
}

/// A contract address: 40 hex digits, `0x` optional, any case (as web3's checksum conversion).
pub fn parse_address(text: &str) -> Result<Address, EvmError> {
    let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
    let bytes: [u8; 20] = hex::decode(digits)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| EvmError::InvalidAddress(text.to_string()))?;
    Ok(Address::from(bytes))
}

impl EvmClient {
    /// Clients for `config`'s nodes; nothing connects until a query.
    pub fn new(config: &EvmConfig) -> Self {
        Self {
            main: Endpoint::new(&config.rpc_url),
            archive: Endpoint::new(&config.archive_rpc_url),
            cutoff: config.archive_blocks_cutoff,
        }
    }

    /// Logs of `address` in `from..=to` decoded with the `event` entries of `abi`.
    pub async fn logs(
        &self,
        address: &str,
        from: u64,
        to: u64,
        abi: &[Map<String, Value>],
        observer: &dyn Observer,
    ) -> Result<EvmLogs, EvmError> {
        let contract = parse_address(address)?;
        let events = abi::Events::parse(abi).map_err(EvmError::MalformedAbi)?;
        let head = self.main.call("get_current_block", "eth_blockNumber", rpc_params![], observer);
        let head = head.await?;
        let head = quantity(&head).ok_or_else(|| EvmError::Rpc {
            label: self.main.label.clone(),
            message: format!("eth_blockNumber answered {head}"),
        })?;
        let topics = events.topics();
        let mut logs = Vec::new();
        if topics.is_empty() || from > to {
            return Ok(EvmLogs { logs, from_block: from, to_block: to });
        }
        let cutoff = head.saturating_sub(self.cutoff);
        let fetch = |node: &'static str, a: u64, b: u64| {
            let endpoint = if node == "archive" { &self.archive } else { &self.main };
            let filter = json!({
                "address": [abi::checksummed(&contract)],
                "fromBlock": format!("0x{a:x}"),
                "toBlock": format!("0x{b:x}"),
                "topics": [topics.iter().map(|t| format!("0x{}", hex::encode(t))).collect::<Vec<_>>()],
            });
            endpoint.call("get_logs", "eth_getLogs", rpc_params![filter], observer)
        };
        let raw: Vec<Value> = if to <= cutoff {
            observer.routing("archive");
            vec![fetch("archive", from, to).await?]
        } else if from > cutoff {
            observer.routing("main");
            vec![fetch("main", from, to).await?]
        } else {
            observer.routing("split");
            let (old, new) =
                tokio::join!(fetch("archive", from, cutoff), fetch("main", cutoff + 1, to));
            vec![old?, new?]
        };
        for answer in raw {
            let Value::Array(items) = answer else {
                return Err(EvmError::Rpc {
                    label: self.main.label.clone(),
                    message: "eth_getLogs did not answer a list".into(),
                });
            };
            logs.extend(items.iter().filter_map(|log| decode(&events, log)));
        }
        Ok(EvmLogs { logs, from_block: from, to_block: to })
    }
}

/// A node's log object decoded, or `None` when it is not one of the ABI's events.
fn decode(events: &abi::Events, log: &Value) -> Option<EvmLog> {
    let word = |v: &Value| -> Option<B256> { v.as_str()?.parse().ok() };
    let topics: Vec<B256> =
        log.get("topics")?.as_array()?.iter().map(word).collect::<Option<_>>()?;
    let data = hex::decode(log.get("data")?.as_str()?.trim_start_matches("0x")).ok()?;
    let (event, args) = events.decode(&topics, &data)?;
    let address: Address = log.get("address")?.as_str()?.parse().ok()?;
    Some(EvmLog {
        event,
        args,
        address: abi::checksummed(&address),
        block_number: quantity(log.get("blockNumber")?)?,
        transaction_hash: format!("0x{}", hex::encode(word(log.get("transactionHash")?)?)),
        transaction_index: quantity(log.get("transactionIndex")?)?,
        log_index: quantity(log.get("logIndex")?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_drop_credentials_and_queries() {
        assert_eq!(
            url_label("https://user:pw@node.example:8545/rpc?apikey=s3"),
            "https://node.example:8545/rpc"
        );
        assert_eq!(url_label("http://127.0.0.1:9944"), "http://127.0.0.1:9944");
        assert_eq!(
            url_label("https://lite.chain.opentensor.ai"),
            "https://lite.chain.opentensor.ai"
        );
    }

    #[test]
    fn addresses_as_web3_accepts_them() {
        let a = "0x5Eed000000000000000000000000000000000001";
        assert!(parse_address(a).is_ok());
        assert!(parse_address(&a[2..].to_lowercase()).is_ok(), "without 0x, any case");
        assert_eq!(
            parse_address("0x12").unwrap_err().to_string(),
            "Invalid contract address: 0x12"
        );
        assert!(parse_address("zz5eed000000000000000000000000000000000001").is_err());
    }
}
