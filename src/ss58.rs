//! SS58 addresses (prefix 42, as subtensor uses).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use sp_core::crypto::{AccountId32, Ss58Codec};

/// Addresses remembered at most (~130 bytes each): every neuron read turns the same hotkeys and
/// coldkeys into text again, block after block. Full, the memo starts over.
pub const MEMO_ENTRIES: usize = 32_768;

static MEMO: LazyLock<Mutex<HashMap<[u8; 32], String>>> = LazyLock::new(Mutex::default);

/// The SS58 address of a 32-byte account id (memoized: a blake2 checksum and base58 cost
/// ~1.5 µs, a lookup a fraction of that).
pub fn encode(account: &[u8; 32]) -> String {
    let memo = || MEMO.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(text) = memo().get(account) {
        return text.clone();
    }
    let text = AccountId32::new(*account).to_ss58check();
    let mut memo = memo();
    if memo.len() >= MEMO_ENTRIES {
        memo.clear();
    }
    memo.insert(*account, text.clone());
    text
}

/// A string that is not an SS58 address.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid SS58 address {0:?}")]
pub struct InvalidSs58(pub String);

/// The account id of an SS58 address.
pub fn decode(address: &str) -> Result<[u8; 32], InvalidSs58> {
    AccountId32::from_ss58check(address)
        .map(|a| *a.as_ref())
        .map_err(|_| InvalidSs58(address.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memoized_addresses_are_the_computed_ones() {
        for i in 0..=255u8 {
            let id = [i; 32];
            let fresh = AccountId32::new(id).to_ss58check();
            assert_eq!(encode(&id), fresh);
            assert_eq!(encode(&id), fresh, "from the memo");
        }
    }

    #[test]
    fn round_trips_and_rejects_garbage() {
        let id = [7u8; 32];
        assert_eq!(decode(&encode(&id)), Ok(id));
        assert_eq!(decode("5Gnot-an-address"), Err(InvalidSs58("5Gnot-an-address".into())));
    }
}
