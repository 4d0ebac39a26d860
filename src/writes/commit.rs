//! Setting a hotkey's commitment and reading it back: one path for `pylon commit` and the
//! gateway's `POST .../commitments`.

use crate::chain::types::HotkeyCommitment;
use crate::chain::{BlockAt, ChainClient, ChainError, reads};
use crate::retry::{RetryPolicy, retry};
use crate::writes::calls::{self, DataError};
use crate::writes::{Included, Submitter, WriteError};

/// Why a commitment was not set.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The data does not fit a commitment.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Submission failed.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// It was finalized, but reading it back failed (it is not sent again).
    #[error(
        "the commitment was included in block {included_in}, but reading it back failed: {reason}"
    )]
    Unverified {
        /// The block it was finalized in.
        included_in: String,
        /// Why the read failed.
        reason: ChainError,
    },
    /// It was finalized but the chain holds something else.
    #[error("the commitment was submitted but the chain holds {found} instead of {expected}")]
    Mismatch {
        /// What was sent (hex).
        expected: String,
        /// What the chain holds (hex).
        found: String,
    },
}

impl crate::retry::Retryable for CommitError {
    fn is_retryable(&self) -> bool {
        match self {
            CommitError::Write(e) => e.is_retryable(),
            CommitError::Data(_)
            | CommitError::Mismatch { .. }
            | CommitError::Unverified { .. } => false,
        }
    }
}

/// Parses a commitment given as hex (`0x` optional), as the gateway takes it; the messages are
/// the Python Pylon's.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    let bytes = hex::decode(digits)
        .map_err(|_| "passed commitment data is not a valid hex string.".to_string())?;
    if bytes.is_empty() {
        return Err("Data should have at least 1 byte".into());
    }
    Ok(bytes)
}

/// A commitment that is on chain.
#[derive(Clone, Debug)]
pub struct Committed {
    /// The block it was finalized in (0x hex).
    pub included_in: String,
    /// What the chain holds, read after inclusion.
    pub stored: HotkeyCommitment,
}

/// Sets `data` as the commitment of `submitter`'s hotkey on `netuid`, waits for finalization
/// and checks the chain holds it. Transient failures are retried under `policy`, but a
/// commitment is never sent twice: once it was included only the read is retried, and before
/// sending again after a failure that may have come after it went out, the chain is asked
/// whether it landed.
pub async fn set_commitment(
    chain: &ChainClient,
    submitter: &Submitter,
    netuid: u16,
    data: &[u8],
    policy: &RetryPolicy,
) -> Result<Committed, CommitError> {
    let payload = calls::set_commitment(netuid, calls::commitment_data(data)?);
    let hotkey = submitter.account();
    let expected = format!("0x{}", hex::encode(data));
    // The best block before the first submission: a commitment of this data set after it is
    // this one.
    let sent_after = std::sync::Mutex::new(None::<u64>);
    let included_in = retry(policy, |attempt| {
        let (payload, expected, sent_after) = (&payload, &expected, &sent_after);
        async move {
            let earlier = *sent_after.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(after) = earlier
                && let Some(landed) = landed(chain, netuid, hotkey, expected, after).await?
            {
                tracing::info!(attempt, "an earlier submission of the commitment landed");
                return Ok::<_, CommitError>(landed);
            }
            let best = chain.best_number().await.map_err(|e| CommitError::Write(e.into()))?;
            sent_after.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(best);
            Ok(submitter.submit_via(chain.main(), payload).await?.block_hash)
        }
    })
    .await?;
    // Included: from here on only the read is retried, at the block it was finalized in.
    let stored = retry(policy, |_| async {
        let at = chain.block_of_write(&included_in).await?;
        chain.read(at, move |at| Box::pin(reads::commitment(at, netuid, hotkey))).await
    })
    .await
    .map_err(|e| CommitError::Unverified { included_in: included_in.clone(), reason: e })?;
    if stored.commitment != expected {
        return Err(CommitError::Mismatch { expected, found: stored.commitment });
    }
    Ok(Committed { included_in, stored })
}

/// The block hash of the block that set `expected` as the hotkey's commitment after block
/// `after`, if one did.
async fn landed(
    chain: &ChainClient,
    netuid: u16,
    hotkey: [u8; 32],
    expected: &str,
    after: u64,
) -> Result<Option<String>, CommitError> {
    let read = |at| chain.read(at, move |at| Box::pin(reads::commitment(at, netuid, hotkey)));
    let now = match read(BlockAt::Latest).await {
        Ok(c) => c,
        Err(ChainError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(CommitError::Write(e.into())),
    };
    if now.commitment != expected || now.commitment_block_number <= after {
        return Ok(None);
    }
    let at = read(BlockAt::Number(now.commitment_block_number)).await;
    Ok(Some(at.map_err(|e| CommitError::Write(e.into()))?.block.hash))
}

/// Longest `TimelockEncrypted` ciphertext the pallet stores.
pub const MAX_TIMELOCKED: usize = 1024;

/// A timelocked commitment that went out.
#[derive(Clone, Debug)]
pub struct Timelocked {
    /// Where it was finalized.
    pub included: Included,
    /// The drand round that reveals it.
    pub reveal_round: u64,
}

/// Sets a commitment the chain reveals by itself `blocks` blocks from now: `data` (as a SCALE
/// byte string, as `bittensor_drand.get_encrypted_commitment` encodes it) encrypted to the
/// drand round of that time, in a `TimelockEncrypted` field. Verified by the pallet's
/// `TimelockCommitment` event.
pub async fn set_timelocked_commitment(
    chain: &ChainClient,
    submitter: &Submitter,
    drand: &crate::timelock::Drand,
    netuid: u16,
    data: &[u8],
    blocks: u64,
) -> Result<Timelocked, CommitError> {
    use subxt::dynamic::Value;
    if data.is_empty() {
        return Err(CommitError::Data(DataError::Empty));
    }
    let head = chain
        .read(BlockAt::Latest, |at| {
            Box::pin(async move {
                let ms = crate::chain::commit_reveal::timestamp_ms(&at).await?;
                Ok((at.block_number(), ms))
            })
        })
        .await
        .map_err(|e| CommitError::Write(e.into()))?;
    let block_ms = crate::writes::crv4::block_time_ms(chain, head.0, head.1)
        .await
        .map_err(|e| CommitError::Write(e.into()))?;
    let reveal_round = drand.round_at((head.1 + blocks * block_ms) / 1000);
    let plaintext = parity_scale_codec::Encode::encode(&data.to_vec());
    let key = drand.clone();
    let encrypted = crate::blocking::off_workers(move || key.encrypt(reveal_round, &plaintext))
        .await
        .map_err(|e| CommitError::Write(WriteError::Rejected { reason: e.to_string() }))?;
    if encrypted.len() > MAX_TIMELOCKED {
        return Err(CommitError::Data(DataError::EncryptedTooLong(encrypted.len())));
    }
    let field = Value::named_variant(
        "TimelockEncrypted",
        [
            ("encrypted", Value::from_bytes(&encrypted)),
            ("reveal_round", Value::u128(u128::from(reveal_round))),
        ],
    );
    let included =
        submitter.submit_via(chain.main(), &calls::set_commitment(netuid, field)).await?;
    if !included.events.iter().any(|e| e == "Commitments.TimelockCommitment") {
        return Err(CommitError::Mismatch {
            expected: "a TimelockCommitment event".into(),
            found: included.events.join(", "),
        });
    }
    Ok(Timelocked { included, reveal_round })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_input_follows_the_python_rules() {
        assert_eq!(parse_hex("0xcafe"), Ok(vec![0xca, 0xfe]));
        assert_eq!(parse_hex("cafe"), Ok(vec![0xca, 0xfe]));
        assert!(parse_hex("abc").unwrap_err().contains("not a valid hex string"));
        assert!(parse_hex("zz").unwrap_err().contains("not a valid hex string"));
        assert_eq!(parse_hex("0x").unwrap_err(), "Data should have at least 1 byte");
    }
}
