//! Setting a hotkey's commitment and reading it back: one path for `pylon commit` and the
//! gateway's `POST .../commitments`.

use crate::chain::types::HotkeyCommitment;
use crate::chain::{BlockAt, ChainClient, ChainError, reads};
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
            CommitError::Data(_) | CommitError::Mismatch { .. } => false,
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

/// Sets `data` as the commitment of `submitter`'s hotkey on `netuid`, waits for finalization
/// and checks the chain holds it.
pub async fn set_commitment(
    chain: &ChainClient,
    submitter: &Submitter,
    netuid: u16,
    data: &[u8],
) -> Result<(Included, HotkeyCommitment), CommitError> {
    let payload = calls::set_commitment(netuid, calls::commitment_data(data)?);
    let included = submitter.submit_via(chain.main(), &payload).await?;
    let hotkey = submitter.account();
    let stored = chain
        .read(BlockAt::Latest, move |at| Box::pin(reads::commitment(at, netuid, hotkey)))
        .await
        .map_err(|e: ChainError| CommitError::Write(e.into()))?;
    let expected = format!("0x{}", hex::encode(data));
    if stored.commitment != expected {
        return Err(CommitError::Mismatch { expected, found: stored.commitment });
    }
    Ok((included, stored))
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
