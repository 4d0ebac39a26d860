//! SS58 addresses (prefix 42, as subtensor uses).

use sp_core::crypto::{AccountId32, Ss58Codec};

/// The SS58 address of a 32-byte account id.
pub fn encode(account: &[u8; 32]) -> String {
    AccountId32::new(*account).to_ss58check()
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
    fn round_trips_and_rejects_garbage() {
        let id = [7u8; 32];
        assert_eq!(decode(&encode(&id)), Ok(id));
        assert_eq!(decode("5Gnot-an-address"), Err(InvalidSs58("5Gnot-an-address".into())));
    }
}
