//! Server configuration from `PYLON_*` environment variables (read through envy, after the
//! `.env` file is loaded), validated at start-up with errors that name the variable.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use serde::Deserialize;

use crate::network::Network;
use crate::retry::RetryPolicy;

/// One configured identity: a wallet hotkey on a subnet, guarded by its own token.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name as listed in `PYLON_IDENTITIES` (used in URLs).
    pub name: String,
    /// Wallet (coldkey) name.
    pub wallet_name: String,
    /// Hotkey name.
    pub hotkey_name: String,
    /// The subnet.
    pub netuid: u16,
    /// The bearer token (never printed).
    pub token: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("name", &self.name)
            .field("wallet_name", &self.wallet_name)
            .field("hotkey_name", &self.hotkey_name)
            .field("netuid", &self.netuid)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Everything `pylon serve` runs with.
#[derive(Clone)]
pub struct ServerConfig {
    /// Listen address.
    pub host: IpAddr,
    /// Listen port.
    pub port: u16,
    /// Main network.
    pub network: Network,
    /// Archive network.
    pub archive_network: Network,
    /// Archive cutoff in blocks.
    pub archive_blocks_cutoff: u64,
    /// Wallet directory.
    pub wallet_path: String,
    /// Open-access token; empty means open access needs no token.
    pub open_access_token: String,
    /// Metrics token; empty means `/metrics` answers 403.
    pub metrics_token: String,
    /// Identities by name.
    pub identities: BTreeMap<String, Identity>,
    /// Request timeout without `X-Pylon-Timeout`.
    pub default_request_timeout: Duration,
    /// Upper bound of `X-Pylon-Timeout`.
    pub max_request_timeout: Duration,
    /// Human-readable logs instead of JSON.
    pub debug: bool,
    /// Sentry DSN; empty disables Sentry.
    pub sentry_dsn: String,
    /// Sentry environment.
    pub sentry_environment: String,
    /// Bound of the response cache in bytes (0 disables it).
    pub cache_max_bytes: usize,
    /// Expected time between blocks (ages of recent data are counted in blocks of this length).
    pub block_duration: Duration,
    /// Recent neurons older than this many blocks are served with a warning.
    pub recent_soft_limit_blocks: u64,
    /// Recent neurons older than this many blocks are not served (503).
    pub recent_hard_limit_blocks: u64,
    /// How many blocks before the soft limit the refresh runs.
    pub recent_refresh_lead_blocks: u64,
    /// Subnets whose recent neurons are kept, besides every identity's subnet.
    pub recent_netuids: Vec<u16>,
    /// Attempts and back-off of a weights job (`PYLON_WEIGHTS_RETRY_*`).
    pub weights_retry: RetryPolicy,
    /// Attempts and back-off of a commitment or certificate write (`PYLON_COMMITMENT_RETRY_*`).
    pub commitment_retry: RetryPolicy,
    /// The SQLite file of weights jobs.
    pub database_path: String,
    /// A PostgreSQL job store shared by replicas (`PYLON_DATABASE_URL`, `postgres://…`);
    /// `None`: the SQLite file.
    pub database_url: Option<String>,
    /// How long a replica's lease on an identity's weights lasts without renewal
    /// (`PYLON_LEASE_TTL_SECONDS`, 10).
    pub lease_ttl: Duration,
    /// How often leases are renewed and free ones looked for (`PYLON_LEASE_RENEW_SECONDS`, a
    /// third of the TTL; less than the TTL). A dead leader's job is taken over within the TTL
    /// and one renewal interval.
    pub lease_renew: Duration,
    /// The drand network commit-reveal commits are encrypted to, when configured; `None`: the
    /// node's own beacon when it is a `pylon devnet`, else drand quicknet.
    pub drand: Option<crate::timelock::Drand>,
    /// The EVM nodes of the log queries (`PYLON_EVM_*`).
    pub evm: crate::evm::EvmConfig,
    /// How long a `latest` read waits for the new head's answer before answering the previous
    /// head's (`PYLON_LATEST_GRACE_MS`).
    pub latest_grace: Duration,
    /// How long after its last `latest` request an answer is still computed for each new head
    /// before anyone asks (`PYLON_WARM_LATEST_SECONDS`; zero turns it off).
    pub warm_latest: Duration,
    /// Connections served at once (`PYLON_MAX_CONNECTIONS`; default: the open-file limit less
    /// a reserve).
    pub max_connections: Option<usize>,
    /// Idle keep-alive timeout (`PYLON_IDLE_TIMEOUT_SECONDS`, 60).
    pub idle_timeout: Duration,
    /// Request-head timeout (`PYLON_HEADER_READ_TIMEOUT_SECONDS`, 10).
    pub header_read_timeout: Duration,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("network", &self.network)
            .field("archive_network", &self.archive_network)
            .field("identities", &self.identities)
            .field(
                "open_access_token",
                &if self.open_access_token.is_empty() { "" } else { "<redacted>" },
            )
            .field("metrics_token", &if self.metrics_token.is_empty() { "" } else { "<redacted>" })
            .finish_non_exhaustive()
    }
}

/// A missing or malformed variable.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// The variable.
    pub variable: String,
    /// What is wrong with it.
    pub problem: String,
}

fn err(variable: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError { variable: variable.into(), problem: problem.into() }
}

/// The flat variables, as envy reads them (without the `PYLON_` prefix, lower-cased).
#[derive(Debug, Deserialize)]
struct Raw {
    host: Option<String>,
    port: Option<String>,
    uvicorn_host: Option<String>,
    uvicorn_port: Option<String>,
    bittensor_network: Option<String>,
    bittensor_archive_network: Option<String>,
    bittensor_archive_blocks_cutoff: Option<String>,
    bittensor_wallet_path: Option<String>,
    open_access_token: Option<String>,
    metrics_token: Option<String>,
    identities: Option<String>,
    default_request_timeout_seconds: Option<String>,
    max_request_timeout_seconds: Option<String>,
    debug: Option<String>,
    sentry_dsn: Option<String>,
    sentry_environment: Option<String>,
    environment: Option<String>,
    cache_max_bytes: Option<String>,
    block_duration_seconds: Option<String>,
    recent_objects_soft_limit_blocks: Option<String>,
    recent_objects_hard_limit_blocks: Option<String>,
    recent_objects_refresh_lead_blocks: Option<String>,
    recent_objects_netuids: Option<String>,
    weights_retry_attempts: Option<String>,
    weights_retry_delay_seconds: Option<String>,
    commitment_retry_attempts: Option<String>,
    commitment_retry_delay_seconds: Option<String>,
    database_path: Option<String>,
    database_url: Option<String>,
    lease_ttl_seconds: Option<String>,
    lease_renew_seconds: Option<String>,
    drand_public_key: Option<String>,
    drand_genesis_time: Option<String>,
    drand_period_seconds: Option<String>,
    evm_rpc_url: Option<String>,
    evm_archive_rpc_url: Option<String>,
    evm_archive_blocks_cutoff: Option<String>,
    latest_grace_ms: Option<String>,
    warm_latest_seconds: Option<String>,
    max_connections: Option<String>,
    idle_timeout_seconds: Option<String>,
    header_read_timeout_seconds: Option<String>,
}

/// The address to listen on: an IP address or a host name that resolves (`localhost`), by
/// default every IPv4 interface.
fn host_address(variable: &str, value: Option<String>) -> Result<IpAddr, ConfigError> {
    use std::net::ToSocketAddrs;
    let Some(text) = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) else {
        return Ok(IpAddr::from([0, 0, 0, 0]));
    };
    if let Ok(ip) = text.parse() {
        return Ok(ip);
    }
    let resolved = (text.as_str(), 0).to_socket_addrs().map_err(|e| {
        err(variable, format!("invalid value {text:?}: not an IP address or a host name ({e})"))
    })?;
    let addrs: Vec<_> = resolved.map(|a| a.ip()).collect();
    addrs
        .iter()
        .find(|ip| ip.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| err(variable, format!("host name {text:?} resolves to no address")))
}

fn parse<T: std::str::FromStr>(
    variable: &str,
    value: Option<String>,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e| err(variable, format!("invalid value {v:?}: {e}"))),
    }
}

fn seconds(variable: &str, value: Option<String>, default: f64) -> Result<Duration, ConfigError> {
    let s: f64 = parse(variable, value, default)?;
    if !(s.is_finite() && s > 0.0) {
        return Err(err(variable, format!("must be a positive number of seconds, got {s}")));
    }
    Ok(Duration::from_secs_f64(s))
}

/// `PYLON_DATABASE_URL`: a `postgres://` or `postgresql://` URL, or unset/empty for SQLite.
fn database_url(value: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(url) = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        let shown = crate::network::redact(&url);
        return Err(err("PYLON_DATABASE_URL", format!("{shown} is not a postgres:// URL")));
    }
    Ok(Some(url))
}

/// `PYLON_{kind}_RETRY_ATTEMPTS` retries (so one more attempt) and back-off from
/// `PYLON_{kind}_RETRY_DELAY_SECONDS` up to ten times that, as the Python Pylon's tenacity setup.
fn retry_policy(
    kind: &str,
    attempts: Option<String>,
    delay: Option<String>,
    default_attempts: u32,
) -> Result<RetryPolicy, ConfigError> {
    let retries: u32 = parse(&format!("PYLON_{kind}_RETRY_ATTEMPTS"), attempts, default_attempts)?;
    let base = seconds(&format!("PYLON_{kind}_RETRY_DELAY_SECONDS"), delay, 1.0)?;
    Ok(RetryPolicy {
        attempts: retries.saturating_add(1),
        base_delay: base,
        max_delay: base.saturating_mul(10),
        budget: None,
    })
}

/// `PYLON_EVM_RPC_URL` and `PYLON_EVM_ARCHIVE_RPC_URL`, set together (as the Python service
/// 2.3 requires: one alone would mix two networks) and `http(s)://`, and the cutoff.
fn evm(raw: &mut Raw) -> Result<crate::evm::EvmConfig, ConfigError> {
    const MAIN: &str = "PYLON_EVM_RPC_URL";
    const ARCHIVE: &str = "PYLON_EVM_ARCHIVE_RPC_URL";
    let defaults = crate::evm::EvmConfig::default();
    let set = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let (rpc_url, archive_rpc_url) =
        match (set(raw.evm_rpc_url.take()), set(raw.evm_archive_rpc_url.take())) {
            (None, None) => (defaults.rpc_url, defaults.archive_rpc_url),
            (Some(main), Some(archive)) => (main, archive),
            (Some(_), None) | (None, Some(_)) => {
                return Err(err(
                    format!("{MAIN} and {ARCHIVE}"),
                    "must be set together (or neither, for finney's)",
                ));
            }
        };
    for (variable, url) in [(MAIN, &rpc_url), (ARCHIVE, &archive_rpc_url)] {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            let shown = crate::evm::url_label(url);
            return Err(err(
                variable,
                format!("expected an http:// or https:// URL, got {shown:?}"),
            ));
        }
    }
    let archive_blocks_cutoff = parse(
        "PYLON_EVM_ARCHIVE_BLOCKS_CUTOFF",
        raw.evm_archive_blocks_cutoff.take(),
        defaults.archive_blocks_cutoff,
    )?;
    Ok(crate::evm::EvmConfig { rpc_url, archive_rpc_url, archive_blocks_cutoff })
}

/// Every token must open one door only: an identity's token equal to another identity's, or to
/// the open-access or metrics token, would let one holder act as the other.
fn distinct_tokens(
    open_access: &str,
    metrics: &str,
    identities: &BTreeMap<String, Identity>,
) -> Result<(), ConfigError> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    let named = [
        ("PYLON_OPEN_ACCESS_TOKEN".to_string(), open_access),
        ("PYLON_METRICS_TOKEN".to_string(), metrics),
    ];
    let ids = identities.values().map(|i| {
        (
            format!("PYLON_ID_{}_TOKEN", i.name.to_ascii_uppercase().replace('-', "_")),
            i.token.as_str(),
        )
    });
    for (variable, token) in named.into_iter().chain(ids).filter(|(_, t)| !t.is_empty()) {
        if let Some((other, _)) = seen.iter().find(|(_, t)| *t == token) {
            return Err(err(
                variable,
                format!(
                    "is the same token as {other}: give every identity its own token, distinct from the open-access and metrics tokens"
                ),
            ));
        }
        seen.push((variable, token));
    }
    Ok(())
}

fn boolean(variable: &str, value: Option<String>) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim).map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some("1") | Some("true") | Some("yes") | Some("on") => Ok(true),
        Some(other) => Err(err(variable, format!("invalid boolean {other:?}"))),
    }
}

impl ServerConfig {
    /// Reads and validates the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Reads and validates the configuration from `vars` (name, value) pairs.
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let vars: BTreeMap<String, String> = vars.into_iter().collect();
        let mut raw: Raw = envy::prefixed("PYLON_")
            .from_iter(vars.clone())
            .map_err(|e| err("PYLON_*", e.to_string()))?;
        let evm = evm(&mut raw)?;
        let host_var = if raw.host.is_some() { "PYLON_HOST" } else { "PYLON_UVICORN_HOST" };
        let host = host_address(host_var, raw.host.or(raw.uvicorn_host))?;
        let port_var = if raw.port.is_some() { "PYLON_PORT" } else { "PYLON_UVICORN_PORT" };
        let port = parse(port_var, raw.port.or(raw.uvicorn_port), 8000u16)?;
        let network = parse("PYLON_BITTENSOR_NETWORK", raw.bittensor_network, Network::Finney)?;
        const ARCHIVE: &str = "PYLON_BITTENSOR_ARCHIVE_NETWORK";
        let archive_network = match raw.bittensor_archive_network {
            Some(v) => Some(parse(ARCHIVE, Some(v), Network::Archive)?),
            None => None,
        };
        let archive_network = crate::network::archive_for(
            &network,
            archive_network,
            ("PYLON_BITTENSOR_NETWORK", ARCHIVE),
        )
        .map_err(|problem| err(ARCHIVE, problem))?;
        let archive_blocks_cutoff = parse(
            "PYLON_BITTENSOR_ARCHIVE_BLOCKS_CUTOFF",
            raw.bittensor_archive_blocks_cutoff,
            300u64,
        )?;
        let default_request_timeout = seconds(
            "PYLON_DEFAULT_REQUEST_TIMEOUT_SECONDS",
            raw.default_request_timeout_seconds,
            60.0,
        )?;
        let max_request_timeout =
            seconds("PYLON_MAX_REQUEST_TIMEOUT_SECONDS", raw.max_request_timeout_seconds, 300.0)?;
        let names: Vec<String> = match raw.identities.as_deref().map(str::trim) {
            None | Some("") => vec![],
            Some(text) => serde_json::from_str(text).map_err(|e| {
                err(
                    "PYLON_IDENTITIES",
                    format!("expected a JSON list of names, like [\"sn1\"]: {e}"),
                )
            })?,
        };
        let mut identities = BTreeMap::new();
        for name in names {
            if name.is_empty()
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(err("PYLON_IDENTITIES", format!("invalid identity name {name:?}")));
            }
            let upper = name.to_ascii_uppercase().replace('-', "_");
            let get = |field: &str| {
                let variable = format!("PYLON_ID_{upper}_{field}");
                match vars.get(&variable) {
                    Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                    _ => Err(err(variable, format!("required for identity {name:?}"))),
                }
            };
            let netuid_var = format!("PYLON_ID_{upper}_NETUID");
            let identity = Identity {
                wallet_name: get("WALLET_NAME")?,
                hotkey_name: get("HOTKEY_NAME")?,
                netuid: parse(&netuid_var, Some(get("NETUID")?), 0u16)?,
                token: get("TOKEN")?,
                name: name.clone(),
            };
            if identities.insert(name.clone(), identity).is_some() {
                return Err(err("PYLON_IDENTITIES", format!("identity {name:?} is listed twice")));
            }
        }
        distinct_tokens(
            raw.open_access_token.as_deref().unwrap_or_default(),
            raw.metrics_token.as_deref().unwrap_or_default(),
            &identities,
        )?;
        let block_duration =
            seconds("PYLON_BLOCK_DURATION_SECONDS", raw.block_duration_seconds, 12.0)?;
        let lease_ttl = seconds("PYLON_LEASE_TTL_SECONDS", raw.lease_ttl_seconds.take(), 10.0)?;
        let lease_renew = seconds(
            "PYLON_LEASE_RENEW_SECONDS",
            raw.lease_renew_seconds.take(),
            lease_ttl.as_secs_f64() / 3.0,
        )?;
        if lease_renew >= lease_ttl {
            return Err(err(
                "PYLON_LEASE_RENEW_SECONDS",
                format!(
                    "{} s must be less than PYLON_LEASE_TTL_SECONDS ({} s): a lease would lapse between renewals",
                    lease_renew.as_secs_f64(),
                    lease_ttl.as_secs_f64()
                ),
            ));
        }
        let recent_soft_limit_blocks = parse(
            "PYLON_RECENT_OBJECTS_SOFT_LIMIT_BLOCKS",
            raw.recent_objects_soft_limit_blocks,
            100u64,
        )?;
        let recent_hard_limit_blocks = parse(
            "PYLON_RECENT_OBJECTS_HARD_LIMIT_BLOCKS",
            raw.recent_objects_hard_limit_blocks,
            150u64,
        )?;
        if recent_soft_limit_blocks > recent_hard_limit_blocks {
            return Err(err(
                "PYLON_RECENT_OBJECTS_SOFT_LIMIT_BLOCKS",
                format!(
                    "{recent_soft_limit_blocks} is above PYLON_RECENT_OBJECTS_HARD_LIMIT_BLOCKS ({recent_hard_limit_blocks})"
                ),
            ));
        }
        let recent_refresh_lead_blocks = parse(
            "PYLON_RECENT_OBJECTS_REFRESH_LEAD_BLOCKS",
            raw.recent_objects_refresh_lead_blocks,
            10u64,
        )?;
        let recent_netuids: Vec<u16> = match raw.recent_objects_netuids.as_deref().map(str::trim) {
            None | Some("") => vec![],
            Some(text) => serde_json::from_str(text).map_err(|e| {
                err(
                    "PYLON_RECENT_OBJECTS_NETUIDS",
                    format!("expected a JSON list of netuids, like [1, 3]: {e}"),
                )
            })?,
        };
        let environment = raw.environment.unwrap_or_else(|| "production".into());
        let sentry_dsn = raw.sentry_dsn.unwrap_or_default();
        if !sentry_dsn.is_empty() {
            sentry_dsn
                .parse::<sentry::types::Dsn>()
                .map_err(|e| err("PYLON_SENTRY_DSN", format!("not a Sentry DSN: {e}")))?;
        }
        let genesis = parse(
            "PYLON_DRAND_GENESIS_TIME",
            raw.drand_genesis_time,
            crate::timelock::QUICKNET_GENESIS,
        )?;
        let period = parse(
            "PYLON_DRAND_PERIOD_SECONDS",
            raw.drand_period_seconds,
            crate::timelock::QUICKNET_PERIOD,
        )?;
        let drand = match raw.drand_public_key.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(key) => Some(
                crate::timelock::Drand::new(key, genesis, period)
                    .map_err(|e| err("PYLON_DRAND_PUBLIC_KEY", e.to_string()))?,
            ),
        };
        let latest_grace =
            Duration::from_millis(parse("PYLON_LATEST_GRACE_MS", raw.latest_grace_ms, 250u64)?);
        let warm: f64 = parse("PYLON_WARM_LATEST_SECONDS", raw.warm_latest_seconds, 300.0)?;
        if !(warm.is_finite() && warm >= 0.0) {
            return Err(err(
                "PYLON_WARM_LATEST_SECONDS",
                format!("must be 0 (off) or a positive number of seconds, got {warm}"),
            ));
        }
        let warm_latest = Duration::from_secs_f64(warm);
        let max_connections = match raw.max_connections.take() {
            None => None,
            Some(v) => Some(parse("PYLON_MAX_CONNECTIONS", Some(v), 0usize)?)
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or_else(|| err("PYLON_MAX_CONNECTIONS", "must be at least 1"))?,
        };
        let idle_timeout =
            seconds("PYLON_IDLE_TIMEOUT_SECONDS", raw.idle_timeout_seconds.take(), 60.0)?;
        let header_read_timeout = seconds(
            "PYLON_HEADER_READ_TIMEOUT_SECONDS",
            raw.header_read_timeout_seconds.take(),
            10.0,
        )?;
        Ok(Self {
            max_connections,
            idle_timeout,
            header_read_timeout,
            latest_grace,
            warm_latest,
            drand,
            evm,
            host,
            port,
            network,
            archive_network,
            archive_blocks_cutoff,
            wallet_path: raw
                .bittensor_wallet_path
                .unwrap_or_else(|| "/root/.bittensor/wallets".into()),
            open_access_token: raw.open_access_token.unwrap_or_default(),
            metrics_token: raw.metrics_token.unwrap_or_default(),
            identities,
            default_request_timeout,
            max_request_timeout,
            debug: boolean("PYLON_DEBUG", raw.debug)?,
            sentry_dsn,
            sentry_environment: raw.sentry_environment.unwrap_or(environment),
            cache_max_bytes: parse("PYLON_CACHE_MAX_BYTES", raw.cache_max_bytes, 24 << 20)?,
            block_duration,
            recent_soft_limit_blocks,
            recent_hard_limit_blocks,
            recent_refresh_lead_blocks,
            recent_netuids,
            weights_retry: retry_policy(
                "WEIGHTS",
                raw.weights_retry_attempts,
                raw.weights_retry_delay_seconds,
                200,
            )?,
            commitment_retry: retry_policy(
                "COMMITMENT",
                raw.commitment_retry_attempts,
                raw.commitment_retry_delay_seconds,
                10,
            )?,
            database_path: raw
                .database_path
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| "./pylon.db".into()),
            database_url: database_url(raw.database_url)?,
            lease_ttl,
            lease_renew,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_and_identities() {
        let c = ServerConfig::from_vars(vars(&[
            ("PYLON_IDENTITIES", r#"["sn1"]"#),
            ("PYLON_ID_SN1_WALLET_NAME", "w"),
            ("PYLON_ID_SN1_HOTKEY_NAME", "h"),
            ("PYLON_ID_SN1_NETUID", "1"),
            ("PYLON_ID_SN1_TOKEN", "secret-token"),
            ("PYLON_UVICORN_PORT", "8123"),
        ]))
        .expect("valid");
        assert_eq!(c.port, 8123);
        assert_eq!(c.network, Network::Finney);
        assert_eq!(c.identities["sn1"].netuid, 1);
        assert_eq!(c.weights_retry.attempts, 201);
        assert_eq!(c.weights_retry.max_delay, Duration::from_secs(10));
        assert_eq!(c.commitment_retry.attempts, 11);
        assert_eq!(c.database_path, "./pylon.db");
        assert!(!format!("{c:?}").contains("secret-token"), "tokens never print");
    }

    #[test]
    fn tokens_open_one_door_each() {
        let id = |n: &str, t: &str| {
            let up = n.to_ascii_uppercase();
            vec![
                (format!("PYLON_ID_{up}_WALLET_NAME"), "w".to_string()),
                (format!("PYLON_ID_{up}_HOTKEY_NAME"), "h".to_string()),
                (format!("PYLON_ID_{up}_NETUID"), "1".to_string()),
                (format!("PYLON_ID_{up}_TOKEN"), t.to_string()),
            ]
        };
        let mut v = vec![("PYLON_IDENTITIES".to_string(), r#"["a", "b"]"#.to_string())];
        v.extend(id("a", "tok3n-x"));
        v.extend(id("b", "tok3n-x"));
        let e = ServerConfig::from_vars(v.clone()).unwrap_err();
        assert_eq!(e.variable, "PYLON_ID_B_TOKEN");
        assert!(e.problem.contains("PYLON_ID_A_TOKEN") && !e.problem.contains("tok3n"), "{e}");
        v.truncate(5);
        v.extend(id("b", "other"));
        v.push(("PYLON_OPEN_ACCESS_TOKEN".into(), "other".into()));
        let e = ServerConfig::from_vars(v).unwrap_err();
        assert!(e.problem.contains("PYLON_OPEN_ACCESS_TOKEN"), "{e}");
    }

    #[test]
    fn the_host_may_be_a_name() {
        let c = ServerConfig::from_vars(vars(&[("PYLON_HOST", "localhost")])).expect("localhost");
        assert!(c.host.is_loopback(), "{}", c.host);
        let e = ServerConfig::from_vars(vars(&[("PYLON_HOST", "no such host!")])).unwrap_err();
        assert_eq!(e.variable, "PYLON_HOST");
        assert!(e.problem.contains("no such host!"), "{e}");
    }

    #[test]
    fn the_archive_network_is_the_main_one_unless_finney_or_given() {
        let c = ServerConfig::from_vars(vars(&[])).expect("defaults");
        assert_eq!((c.network, c.archive_network), (Network::Finney, Network::Archive));
        let c = ServerConfig::from_vars(vars(&[("PYLON_BITTENSOR_NETWORK", "ws://n:1")])).unwrap();
        assert_eq!(c.archive_network, Network::Url("ws://n:1".into()));
        let e = ServerConfig::from_vars(vars(&[
            ("PYLON_BITTENSOR_NETWORK", "test"),
            ("PYLON_BITTENSOR_ARCHIVE_NETWORK", "archive"),
        ]))
        .unwrap_err();
        assert!(e.to_string().contains("PYLON_BITTENSOR_NETWORK=test"), "{e}");
    }

    #[test]
    fn evm_urls_come_together() {
        let c = ServerConfig::from_vars(vars(&[])).expect("defaults");
        assert_eq!(c.evm, crate::evm::EvmConfig::default());
        let e = ServerConfig::from_vars(vars(&[("PYLON_EVM_RPC_URL", "http://a:1")])).unwrap_err();
        assert_eq!(e.variable, "PYLON_EVM_RPC_URL and PYLON_EVM_ARCHIVE_RPC_URL");
        let both = [
            ("PYLON_EVM_RPC_URL", "http://a:1"),
            ("PYLON_EVM_ARCHIVE_RPC_URL", "https://b/rpc"),
            ("PYLON_EVM_ARCHIVE_BLOCKS_CUTOFF", "5"),
        ];
        let c = ServerConfig::from_vars(vars(&both)).expect("valid");
        assert_eq!((c.evm.rpc_url.as_str(), c.evm.archive_blocks_cutoff), ("http://a:1", 5));
        let bad =
            [("PYLON_EVM_RPC_URL", "ws://user:pw@a:1"), ("PYLON_EVM_ARCHIVE_RPC_URL", "http://b")];
        let e = ServerConfig::from_vars(vars(&bad)).unwrap_err();
        assert_eq!(e.variable, "PYLON_EVM_RPC_URL");
        assert!(!e.problem.contains("pw"), "no credentials in errors: {e}");
    }

    #[test]
    fn errors_name_the_variable() {
        let e = ServerConfig::from_vars(vars(&[("PYLON_IDENTITIES", r#"["sn1"]"#)])).unwrap_err();
        assert_eq!(e.variable, "PYLON_ID_SN1_WALLET_NAME");
        let e = ServerConfig::from_vars(vars(&[("PYLON_PORT", "eighty")])).unwrap_err();
        assert_eq!(e.variable, "PYLON_PORT");
        let e = ServerConfig::from_vars(vars(&[("PYLON_IDENTITIES", "sn1")])).unwrap_err();
        assert_eq!(e.variable, "PYLON_IDENTITIES");
        let e =
            ServerConfig::from_vars(vars(&[("PYLON_BITTENSOR_NETWORK", "nowhere")])).unwrap_err();
        assert!(e.to_string().contains("nowhere"));
        let e = ServerConfig::from_vars(vars(&[("PYLON_MAX_REQUEST_TIMEOUT_SECONDS", "-1")]))
            .unwrap_err();
        assert_eq!(e.variable, "PYLON_MAX_REQUEST_TIMEOUT_SECONDS");
        let e =
            ServerConfig::from_vars(vars(&[("PYLON_WEIGHTS_RETRY_ATTEMPTS", "many")])).unwrap_err();
        assert_eq!(e.variable, "PYLON_WEIGHTS_RETRY_ATTEMPTS");
    }
}
