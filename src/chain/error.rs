//! Errors of chain access, each saying whether a retry may help.

use crate::retry::Retryable;

/// A failed chain read.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// The node could not be reached.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The node.
        url: String,
        /// Why.
        reason: String,
    },
    /// The connection dropped mid-request.
    #[error("connection to {url} lost: {reason}")]
    Disconnected {
        /// The node.
        url: String,
        /// Why.
        reason: String,
    },
    /// No answer in time.
    #[error("no answer from {url} within {secs} s")]
    Timeout {
        /// The node.
        url: String,
        /// The limit.
        secs: u64,
    },
    /// The node asked us to slow down (JSON-RPC -32004/-32005).
    #[error("{url} is rate limiting: {reason}")]
    RateLimited {
        /// The node.
        url: String,
        /// The node's message.
        reason: String,
    },
    /// The node no longer has this block's state (a lite node), or does not know the block.
    #[error("{url} has no state for block {block}: {reason}")]
    StateUnavailable {
        /// The block.
        block: String,
        /// The node.
        url: String,
        /// The node's message.
        reason: String,
    },
    /// Neither node could serve the block.
    #[error(
        "block {block} is unavailable on both {main} ({main_error}) and {archive} ({archive_error})"
    )]
    BlockUnavailable {
        /// The block.
        block: u64,
        /// The main node.
        main: String,
        /// Why the main node failed.
        main_error: String,
        /// The archive node.
        archive: String,
        /// Why the archive node failed.
        archive_error: String,
        /// Whether the archive failure may pass (a dropped or refused connection).
        transient: bool,
    },
    /// The block number is beyond the chain head.
    #[error("block {block} does not exist (the finalized head is {head})")]
    BlockNotFound {
        /// The requested block.
        block: u64,
        /// The head.
        head: u64,
    },
    /// The subnet does not exist at that block.
    #[error("subnet {netuid} does not exist")]
    SubnetNotFound {
        /// The subnet.
        netuid: u16,
    },
    /// Something that was asked for is not on chain (a hotkey's commitment, a certificate, a uid).
    #[error("{0}")]
    NotFound(String),
    /// The archive node serves another chain than the main node.
    #[error("{url} serves another chain (genesis {genesis}) than the main node ({expected})")]
    WrongChain {
        /// The archive node.
        url: String,
        /// Its genesis hash.
        genesis: String,
        /// The main node's.
        expected: String,
    },
    /// The runtime at that block has no such runtime API method (it predates it).
    #[error("{api} is not available at block {block}")]
    ApiMissing {
        /// `Api.method`.
        api: String,
        /// The block.
        block: u64,
    },
    /// An answer did not decode as expected.
    #[error("cannot decode {what}: {reason}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why.
        reason: String,
    },
    /// Any other error from the node.
    #[error("{url}: {reason}")]
    Rpc {
        /// The node.
        url: String,
        /// The error.
        reason: String,
    },
}

impl ChainError {
    /// True when the connection should be dropped and opened again.
    pub fn is_disconnect(&self) -> bool {
        matches!(self, ChainError::Disconnected { .. } | ChainError::Timeout { .. })
    }

    /// Classifies an error from the client library by its message and sources.
    pub fn from_client(url: &str, error: &(dyn std::error::Error + 'static)) -> Self {
        classify(url, error_text(error))
    }
}

/// An error and its sources as one line; client errors repeat their sources in their own text,
/// so each message is kept once. A node's JSON-RPC error keeps its `data` (where a refusal
/// says why: `Invalid Transaction (1010): Custom error: 10`), which the client's text drops.
pub fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = Some(error);
    while let Some(s) = source {
        let message = s.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        if let Some(data) = node_error_data(s)
            && !data.is_empty()
            && !text.contains(&data)
        {
            text.push_str(": ");
            text.push_str(&data);
        }
        source = s.source();
    }
    crate::output::destutter(&text)
}

/// The `data` of a node's JSON-RPC error inside a client error. The client's errors do not
/// all expose their causes as sources (a failed submission wraps its backend error as plain
/// text), so the known wrappers are opened one by one.
fn node_error_data(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    use subxt::error::{BackendError, ExtrinsicError, RpcError};
    use subxt::rpcs::{Error as RpcsError, UserError};
    let backend = match error.downcast_ref::<ExtrinsicError>() {
        Some(ExtrinsicError::ErrorSubmittingTransaction(b)) => Some(b),
        _ => error.downcast_ref::<BackendError>(),
    };
    let rpc = match backend {
        Some(BackendError::Rpc(RpcError::ClientError(e))) => Some(e),
        _ => error.downcast_ref::<RpcsError>(),
    };
    let user = match rpc {
        Some(RpcsError::User(u)) => Some(u),
        _ => error.downcast_ref::<UserError>(),
    }?;
    let raw = user.data.as_ref()?.get();
    Some(match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(serde_json::Value::String(s)) => s,
        _ => raw.to_string(),
    })
}

fn classify(url: &str, text: String) -> ChainError {
    let url = url.to_string();
    let lower = text.to_ascii_lowercase();
    if text.contains("State already discarded")
        || text.contains("UnknownBlock")
        || text.contains("Header was not found")
    {
        let block = text
            .find("0x")
            .map(|i| text[i..].chars().take_while(|c| c.is_ascii_hexdigit() || *c == 'x').collect())
            .unwrap_or_else(|| "?".to_string());
        return ChainError::StateUnavailable { block, url, reason: text };
    }
    if text.contains("-32004") || text.contains("-32005") || lower.contains("rate limit") {
        return ChainError::RateLimited { url, reason: text };
    }
    let disconnect = [
        "restart",
        "connection closed",
        "connection reset",
        "disconnected",
        "background task",
        "broken pipe",
        "not connected",
        "transport error",
    ];
    if disconnect.iter().any(|d| lower.contains(d)) {
        return ChainError::Disconnected { url, reason: text };
    }
    ChainError::Rpc { url, reason: text }
}

impl ChainError {
    /// An answer about the data (something is not on chain), not a failure of the node: it
    /// passes through archive routing unchanged.
    pub fn is_answer(&self) -> bool {
        matches!(
            self,
            ChainError::BlockNotFound { .. }
                | ChainError::SubnetNotFound { .. }
                | ChainError::NotFound(_)
                | ChainError::ApiMissing { .. }
        )
    }
}

impl Retryable for ChainError {
    fn is_retryable(&self) -> bool {
        match self {
            ChainError::Connect { .. }
            | ChainError::Disconnected { .. }
            | ChainError::Timeout { .. }
            | ChainError::RateLimited { .. } => true,
            ChainError::BlockUnavailable { transient, .. } => *transient,
            ChainError::StateUnavailable { .. }
            | ChainError::BlockNotFound { .. }
            | ChainError::SubnetNotFound { .. }
            | ChainError::NotFound(_)
            | ChainError::ApiMissing { .. }
            | ChainError::WrongChain { .. }
            | ChainError::Decode { .. }
            | ChainError::Rpc { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusals_data_is_kept() {
        use subxt::error::{BackendError, ExtrinsicError, RpcError};
        let data = serde_json::value::RawValue::from_string("\"Custom error: 10\"".into()).ok();
        let user =
            subxt::rpcs::UserError { code: 1010, message: "Invalid Transaction".into(), data };
        let rpc = RpcError::ClientError(subxt::rpcs::Error::User(user));
        let e = ExtrinsicError::ErrorSubmittingTransaction(BackendError::Rpc(rpc));
        let text = error_text(&e);
        assert!(text.contains("Invalid Transaction (1010): Custom error: 10"), "{text}");
    }

    #[test]
    fn node_messages_are_classified() {
        let e = classify(
            "ws://a",
            "Client error: UnknownBlock: State already discarded for 0xabc12".into(),
        );
        assert!(
            matches!(&e, ChainError::StateUnavailable { block, .. } if block == "0xabc12"),
            "{e:?}"
        );
        assert!(!e.is_retryable());
        let e = classify("ws://a", "RPC error -32005: too many requests".into());
        assert!(matches!(e, ChainError::RateLimited { .. }) && e.is_retryable());
        let e = classify("ws://a", "The background task closed; restart required".into());
        assert!(e.is_disconnect() && e.is_retryable());
        let e = classify("ws://a", "Invalid params".into());
        assert!(matches!(e, ChainError::Rpc { .. }) && !e.is_retryable());
    }
}
