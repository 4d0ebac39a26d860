//! Network names and endpoint URLs.

use std::fmt;
use std::str::FromStr;

/// A subtensor network: a well-known name or a WebSocket URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// The main network.
    Finney,
    /// The test network.
    Test,
    /// A node on this machine (`ws://127.0.0.1:9944`), e.g. `pylon devnet`.
    Local,
    /// The public archive node.
    Archive,
    /// Any `ws://` or `wss://` endpoint.
    Url(String),
    /// Several endpoints of one chain (`a,b,…`), tried in order: the first healthy one is used,
    /// the others take over when it fails.
    Several(Vec<Network>),
}

impl Network {
    /// The WebSocket URL to connect to.
    pub fn url(&self) -> &str {
        match self {
            Network::Finney => "wss://entrypoint-finney.opentensor.ai:443",
            Network::Test => "wss://test.finney.opentensor.ai:443",
            Network::Local => "ws://127.0.0.1:9944",
            Network::Archive => "wss://archive.chain.opentensor.ai:443",
            Network::Url(url) => url,
            Network::Several(all) => all.first().map_or("", Network::url),
        }
    }

    /// Every endpoint's URL, in order of preference.
    pub fn urls(&self) -> Vec<&str> {
        match self {
            Network::Several(all) => all.iter().map(Network::url).collect(),
            one => vec![one.url()],
        }
    }
}

impl Network {
    /// Whether this is the main network (by name or by its entrypoint URL).
    pub fn is_finney(&self) -> bool {
        *self == Network::Finney || self.url() == Network::Finney.url()
    }

    /// Whether this is finney's public archive node (by name or by its URL).
    pub fn is_finney_archive(&self) -> bool {
        *self == Network::Archive || self.url() == Network::Archive.url()
    }
}

/// The archive node of `main` when none is given: finney's archive for finney, else `main`.
pub fn default_archive(main: &Network) -> Network {
    if main.is_finney() || main.is_finney_archive() { Network::Archive } else { main.clone() }
}

/// The archive node that goes with `main`: `archive` when one is given, else finney's archive
/// for finney and `main` itself for every other network (an archive of another chain would
/// answer old blocks with that chain's data). Finney's archive given for test or local is a
/// mismatch naming both settings (`main_name` and `archive_name`).
pub fn archive_for(
    main: &Network,
    archive: Option<Network>,
    (main_name, archive_name): (&str, &str),
) -> Result<Network, String> {
    match archive {
        None => Ok(default_archive(main)),
        Some(a) if a.is_finney_archive() && matches!(main, Network::Test | Network::Local) => {
            Err(format!(
                "{archive_name}={a} is finney's archive but {main_name}={main} is another chain: \
                 leave {archive_name} unset (old blocks are then read from {main}) or give an \
                 archive of the same chain"
            ))
        }
        Some(a) => Ok(a),
    }
}

/// A URL without user info, query or fragment: safe for labels, logs and answers.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let sep = if scheme.is_empty() { "" } else { "://" };
    let slash = if path.is_empty() { "" } else { "/" };
    format!("{scheme}{sep}{host}{slash}{path}")
}

/// A network that is neither a known name nor a WebSocket URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "invalid network {0:?}: expected finney, test, local, archive or a ws:// or wss:// URL \
     (several, of one chain, separated by commas)"
)]
pub struct InvalidNetwork(pub String);

impl FromStr for Network {
    type Err = InvalidNetwork;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains(',') {
            let all = s.split(',').map(str::parse).collect::<Result<Vec<Network>, _>>()?;
            return Ok(Network::Several(all));
        }
        match s.trim().to_ascii_lowercase().as_str() {
            "finney" => return Ok(Network::Finney),
            "test" => return Ok(Network::Test),
            "local" => return Ok(Network::Local),
            "archive" => return Ok(Network::Archive),
            _ => {}
        }
        let url = s.trim();
        let rest = url.strip_prefix("ws://").or_else(|| url.strip_prefix("wss://"));
        match rest {
            Some(host)
                if !host.is_empty()
                    && !host.starts_with('/')
                    && !url.contains(char::is_whitespace) =>
            {
                Ok(Network::Url(url.to_string()))
            }
            _ => Err(InvalidNetwork(s.to_string())),
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::Finney => f.write_str("finney"),
            Network::Test => f.write_str("test"),
            Network::Local => f.write_str("local"),
            Network::Archive => f.write_str("archive"),
            Network::Url(url) => f.write_str(url),
            Network::Several(all) => {
                let names: Vec<String> = all.iter().map(Network::to_string).collect();
                f.write_str(&names.join(","))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls_parse() {
        assert_eq!("finney".parse(), Ok(Network::Finney));
        assert_eq!("TEST".parse(), Ok(Network::Test));
        assert_eq!(
            "local".parse::<Network>().map(|n| n.url().to_string()),
            Ok("ws://127.0.0.1:9944".into())
        );
        assert_eq!("archive".parse(), Ok(Network::Archive));
        assert_eq!("ws://10.0.0.5:9944".parse(), Ok(Network::Url("ws://10.0.0.5:9944".into())));
        assert_eq!(
            "wss://node.example:443".parse(),
            Ok(Network::Url("wss://node.example:443".into()))
        );
    }

    #[test]
    fn the_archive_follows_the_main_network_unless_given() {
        let names = ("--network", "--archive-network");
        let archive = |main: &str, archive: Option<&str>| {
            archive_for(&main.parse().unwrap(), archive.map(|a| a.parse().unwrap()), names)
        };
        assert_eq!(archive("finney", None), Ok(Network::Archive));
        assert_eq!(
            archive("wss://entrypoint-finney.opentensor.ai:443", None),
            Ok(Network::Archive)
        );
        assert_eq!(archive("ws://127.0.0.1:9", None), Ok(Network::Url("ws://127.0.0.1:9".into())));
        assert_eq!(archive("test", None), Ok(Network::Test));
        assert_eq!(
            archive("local", Some("ws://10.0.0.1:1")),
            Ok(Network::Url("ws://10.0.0.1:1".into()))
        );
        let err = archive("test", Some("archive")).unwrap_err();
        assert!(
            err.contains("--network=test") && err.contains("--archive-network=archive"),
            "{err}"
        );
    }

    #[test]
    fn several_endpoints_parse_in_order_and_a_bad_one_is_named() {
        let net: Network = "ws://a:1, local ,ws://b:2".parse().expect("several");
        assert_eq!(net.urls(), ["ws://a:1", "ws://127.0.0.1:9944", "ws://b:2"]);
        assert_eq!(net.url(), "ws://a:1", "the first is preferred");
        assert_eq!(net.to_string(), "ws://a:1,local,ws://b:2");
        assert_eq!(default_archive(&net), net, "the archive is the same endpoints");
        let finney: Network = "finney,wss://my-node:443".parse().expect("several");
        assert!(finney.is_finney());
        assert_eq!(default_archive(&finney), Network::Archive);
        let err = "ws://a:1,bogus".parse::<Network>().unwrap_err();
        assert!(err.to_string().contains("\"bogus\""), "{err}");
        assert!("ws://a:1,".parse::<Network>().is_err(), "an empty element");
    }

    #[test]
    fn anything_else_is_rejected_by_name() {
        for bad in ["", "mainnet", "http://x", "ws://", "wss:///path", "ws://a b"] {
            let err = bad.parse::<Network>().unwrap_err();
            assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
        }
    }
}
