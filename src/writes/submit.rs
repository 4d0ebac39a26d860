//! Signs and submits extrinsics for one hotkey and waits for finalization. Nonces are kept
//! locally (the node's answer comes from finalized state), so a weights and a commitment
//! extrinsic sent back to back by one hotkey never collide.

use subxt::config::DefaultExtrinsicParamsBuilder;
use subxt::transactions::Payload;
use tokio::sync::Mutex;

use crate::chain::ChainError;
use crate::chain::client::Node;
use crate::chain::signer::HotkeySigner;
use crate::retry::Retryable;

/// Whether a transaction of `account` waits in the node's pool or in a block not yet
/// finalized: the node's next index for it (which counts those) is above its nonce at the
/// finalized head.
pub async fn pending(node: &Node, account: [u8; 32]) -> Result<bool, ChainError> {
    let ss58 = crate::ss58::encode(&account);
    let next: u64 = node.request("system_accountNextIndex", subxt::rpcs::rpc_params![ss58]).await?;
    let at = node.at_latest().await?;
    let nonce = at
        .transactions()
        .account_nonce(&subxt::utils::AccountId32(account))
        .await
        .map_err(|e| ChainError::from_client(node.url(), &e))?;
    Ok(next > nonce)
}

/// What a finalized, successful extrinsic left behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Included {
    /// The block it was finalized in (0x hex).
    pub block_hash: String,
    /// The extrinsic's hash (0x hex).
    pub extrinsic_hash: String,
    /// The nonce it was signed with.
    pub nonce: u64,
    /// `Pallet.Event` names it emitted.
    pub events: Vec<String>,
}

/// A write that did not make it.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The node could not be reached or answered with an error unrelated to the transaction.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The transaction pool refused it (JSON-RPC 1010/1012/1014).
    #[error("the node refused the transaction: {reason}")]
    Rejected {
        /// The node's words, with subtensor's name for a `Custom error: N`.
        reason: String,
    },
    /// It was included but failed (`System.ExtrinsicFailed`).
    #[error("the transaction failed on chain: {reason}")]
    Failed {
        /// The dispatch error, e.g. `SubtensorModule::NeuronNoValidatorPermit`.
        reason: String,
    },
}

impl Retryable for WriteError {
    /// Transient: connection trouble, nonce races and rate limits; a refusal for a reason that
    /// will not pass by itself (no permit, not registered, bad input) is not.
    fn is_retryable(&self) -> bool {
        match self {
            WriteError::Chain(e) => e.is_retryable(),
            WriteError::Rejected { reason } => {
                ["TooFast", "RateLimit"].iter().any(|m| reason.contains(m))
                    || self.is_concurrent_refusal()
            }
            WriteError::Failed { reason } => reason.contains("TooFast"),
        }
    }
}

impl WriteError {
    /// A pool refusal that another submission of the same hotkey explains: its nonce was taken
    /// meanwhile (same nonce, outdated/stale, or not yet valid), or it was admitted and then
    /// dropped when a block applied the other one first. Once that one lands, the chain shows
    /// why (typically the weights rate limit).
    pub fn is_concurrent_refusal(&self) -> bool {
        const MARKERS: [&str; 6] =
            ["Priority is too low", "(1014)", "outdated", "stale", "in the future", DROPPED];
        matches!(self, WriteError::Rejected { reason } if MARKERS.iter().any(|m| reason.contains(m)))
    }
}

/// Subtensor's names for the `Custom error: N` codes of its transaction extension.
pub fn custom_error_name(code: u8) -> &'static str {
    const NAMES: [&str; 28] = [
        "ColdkeyInSwapSchedule",
        "StakeAmountTooLow",
        "BalanceTooLow",
        "SubnetNotExists",
        "HotkeyAccountDoesntExist",
        "NotEnoughStakeToWithdraw",
        "RateLimitExceeded (weights/commits too fast)",
        "InsufficientLiquidity",
        "SlippageTooHigh",
        "TransferDisallowed",
        "HotKeyNotRegisteredInNetwork",
        "InvalidIpAddress",
        "ServingRateLimitExceeded",
        "InvalidPort",
        "ZeroMaxAmount",
        "InvalidRevealRound",
        "CommitNotFound",
        "CommitBlockNotInRevealRange",
        "InputLengthsUnequal",
        "UidNotFound",
        "EvmKeyAssociateRateLimitExceeded",
        "ColdkeySwapDisputed",
        "InvalidRealAccount",
        "FailedShieldedTxParsing",
        "InvalidShieldedTxPubKeyHash",
        "NonAssociatedColdKey",
        "DelegateTakeTooLow",
        "DelegateTakeTooHigh",
    ];
    match code {
        255 => "BadRequest",
        n => NAMES.get(usize::from(n)).copied().unwrap_or("an unnamed subtensor error"),
    }
}

/// Adds subtensor's name to every `Custom error: N` in a node message.
fn name_custom_errors(text: &str) -> String {
    let Some(at) = text.find("Custom error: ") else { return text.to_string() };
    let rest = &text[at + "Custom error: ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<u8>() {
        Ok(code) => format!("{text} = {}", custom_error_name(code)),
        Err(_) => text.to_string(),
    }
}

/// How a transaction the pool admitted and then dropped is described: the node reports only
/// `invalid` (or `dropped`), no reason. On subtensor this is what happens when the state changed
/// between admission and the block (its transaction extension checks again when a block applies
/// the transaction): typically another transaction of the same hotkey set weights first.
pub const DROPPED: &str = "admitted by the pool, then dropped before a block included it";

/// A pool refusal, or else whatever the chain module makes of the error.
fn refusal(url: &str, error: &(dyn std::error::Error + 'static)) -> WriteError {
    use subxt::error::{TransactionProgressError as Progress, TransactionStatusError as Status};
    let text = crate::chain::error::error_text(error);
    if let Some(Progress::TransactionStatusError(Status::Invalid(_) | Status::Dropped(_))) =
        error.downcast_ref::<Progress>()
    {
        return WriteError::Rejected { reason: format!("{DROPPED} ({text})") };
    }
    let pool =
        ["1010", "1011", "1012", "1013", "1014", "Invalid Transaction", "Priority is too low"];
    if pool.iter().any(|m| text.contains(m)) {
        return WriteError::Rejected { reason: name_custom_errors(&text) };
    }
    WriteError::Chain(ChainError::from_client(url, error))
}

/// One hotkey's signer and its next nonce.
pub struct Submitter {
    signer: HotkeySigner,
    next_nonce: Mutex<Option<u64>>,
}

impl Submitter {
    /// A submitter signing with `signer`.
    pub fn new(signer: HotkeySigner) -> Self {
        Self { signer, next_nonce: Mutex::new(None) }
    }

    /// The hotkey's account id.
    pub fn account(&self) -> [u8; 32] {
        self.signer.account()
    }

    /// [`Self::submit`] through `node`'s connection, forgetting it when it dropped.
    pub async fn submit_via(
        &self,
        node: &Node,
        payload: &impl Payload,
    ) -> Result<Included, WriteError> {
        let outcome = self.submit(node, payload).await;
        if matches!(&outcome, Err(WriteError::Chain(e)) if e.is_disconnect()) {
            node.reset().await;
        }
        outcome
    }

    /// Signs `payload`, submits it through `node` and waits until it is finalized; a pool
    /// refusal or a failed dispatch is an error naming the reason.
    pub async fn submit(
        &self,
        node: &Node,
        payload: &impl Payload,
    ) -> Result<Included, WriteError> {
        let url = node.url();
        let chain = |e: &(dyn std::error::Error + 'static)| {
            WriteError::Chain(ChainError::from_client(url, e))
        };
        let (progress, nonce) = {
            // The lock spans signing and pool admission, so concurrent writes take turns.
            let mut next = self.next_nonce.lock().await;
            let at = node.at_for_signing().await?;
            let account = subxt::utils::AccountId32(self.account());
            // The node's next index counts transactions in blocks past the finalized head and
            // in its pool, which the finalized state does not: after a failure (`next` reset),
            // the finalized nonce may already be taken.
            let ss58 = crate::ss58::encode(&self.account());
            let on_chain = match node
                .request::<u64>("system_accountNextIndex", subxt::rpcs::rpc_params![ss58])
                .await
            {
                Ok(n) => n,
                Err(_) => at.transactions().account_nonce(&account).await.map_err(|e| chain(&e))?,
            };
            let nonce = next.map_or(on_chain, |n| n.max(on_chain));
            let params = DefaultExtrinsicParamsBuilder::<crate::chain::runtime::PylonConfig>::new()
                .nonce(nonce)
                .mortal(64)
                .build();
            let submitted =
                at.transactions().sign_and_submit_then_watch(payload, &self.signer, params).await;
            match submitted {
                Ok(progress) => {
                    *next = Some(nonce + 1);
                    (progress, nonce)
                }
                Err(e) => {
                    *next = None;
                    return Err(refusal(url, &e));
                }
            }
        };
        let outcome = async {
            let in_block = progress.wait_for_finalized().await.map_err(|e| refusal(url, &e))?;
            let block_hash = format!("0x{}", hex::encode(in_block.block_hash().0));
            let events = in_block.wait_for_success().await.map_err(|e| {
                let text = crate::chain::error::error_text(&e);
                match e {
                    subxt::error::TransactionEventsError::ExtrinsicFailed(d) => {
                        WriteError::Failed { reason: d.to_string() }
                    }
                    _ => WriteError::Chain(ChainError::Rpc { url: url.to_string(), reason: text }),
                }
            })?;
            let names = events
                .iter()
                .filter_map(Result::ok)
                .map(|e| format!("{}.{}", e.pallet_name(), e.event_name()))
                .collect();
            Ok(Included {
                block_hash,
                extrinsic_hash: format!("0x{}", hex::encode(events.extrinsic_hash().0)),
                nonce,
                events: names,
            })
        }
        .await;
        if outcome.is_err() {
            // The pool may have dropped it: ask the chain again next time.
            *self.next_nonce.lock().await = None;
        }
        if let Ok(included) = &outcome
            && let Ok(hash) = crate::chain::rpc::parse_hash(&included.block_hash)
            && let Ok(number) = node.number_of_known(hash).await
        {
            // Reads at `latest` from now on see this write.
            node.note_written(number, hash);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_errors_are_named_and_classified() {
        let text = name_custom_errors("Invalid Transaction (1010): Custom error: 6");
        assert!(text.ends_with("= RateLimitExceeded (weights/commits too fast)"));
        assert!(WriteError::Rejected { reason: text }.is_retryable());
        let text = name_custom_errors("Invalid Transaction (1010): Custom error: 10");
        assert!(text.contains("HotKeyNotRegisteredInNetwork"), "{text}");
        assert!(!WriteError::Rejected { reason: text }.is_retryable());
        assert_eq!(name_custom_errors("no code here"), "no code here");
        // Dropped after admission: the state changed before the block; the next attempt may pass.
        let dropped = format!("{DROPPED} (The transaction is not valid: Transaction is invalid)");
        assert!(WriteError::Rejected { reason: dropped }.is_retryable());
        let failed = WriteError::Failed { reason: "SubtensorModule::SettingWeightsTooFast".into() };
        assert!(failed.is_retryable());
    }
}
