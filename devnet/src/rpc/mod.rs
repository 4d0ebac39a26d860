//! The JSON-RPC surface: the legacy Substrate methods that subxt's legacy backend, polkadot.js
//! and the Python substrate clients call, with a node's parameter names, error codes and texts.

mod author;
pub mod beacon;
mod chain;
mod eth;
pub mod faults;
mod params;
mod state;
mod subscriptions;
mod system;
pub mod upgrade;

use std::sync::Arc;

use jsonrpsee::RpcModule;
use jsonrpsee::core::RegisterMethodError;
use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use parity_scale_codec::Encode;
use serde_json::{Value, json};

use crate::chain::{Chain, StateError};
pub use chain::header_json;
pub use params::{Args, RpcResult, hash_hex, invalid_params, parse_hex, to_hex};

/// Substrate's state RPC errors: `BASE_ERROR + 3` wraps client (database, runtime) errors.
pub const STATE_CLIENT_ERROR: i32 = 4003;

/// The module every method is registered on.
pub type Module = RpcModule<Arc<Chain>>;

/// A client (database or runtime) error, as the state RPCs report it.
pub fn client_error(detail: impl std::fmt::Display) -> ErrorObjectOwned {
    ErrorObject::owned(STATE_CLIENT_ERROR, format!("Client error: {detail}"), None::<()>)
}

/// An unknown or pruned block, as storage queries report it.
pub fn state_error(e: StateError) -> ErrorObjectOwned {
    client_error(e)
}

/// An unknown or pruned block, as the runtime-API path (version, metadata) reports it.
pub fn api_error(e: StateError) -> ErrorObjectOwned {
    client_error(format!("Api called for an unknown Block: {}", e.detail()))
}

/// Subscription ids as subtensor's node makes them (frontier's `EthereumSubIdProvider`): `0x`
/// and 32 hex digits. Clients such as turbobt call `.hex()` on a non-string id.
#[derive(Debug, Default)]
pub struct SubscriptionIds {
    next: std::sync::atomic::AtomicU64,
    salt: std::sync::OnceLock<[u8; 16]>,
}

impl jsonrpsee::core::traits::IdProvider for SubscriptionIds {
    fn next_id(&self) -> jsonrpsee::types::SubscriptionId<'static> {
        let salt = self.salt.get_or_init(|| {
            let clock = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            sp_crypto_hashing::blake2_128(&(clock, std::process::id()).encode())
        });
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = sp_crypto_hashing::blake2_128(&(salt, n).encode());
        jsonrpsee::types::SubscriptionId::Str(format!("0x{}", hex::encode(id)).into())
    }
}

/// Builds the RPC module over `chain`.
pub fn module(chain: Arc<Chain>) -> Result<Module, RegisterMethodError> {
    let mut m = RpcModule::new(chain);
    system::register(&mut m)?;
    chain::register(&mut m)?;
    state::register(&mut m)?;
    subscriptions::register(&mut m)?;
    author::register(&mut m)?;
    beacon::register(&mut m)?;
    upgrade::register(&mut m)?;
    eth::register(&mut m)?;
    // The `devnet_*` methods are callable but not listed, as a node lists only its standard
    // methods (polkadot.js warns about names it does not know).
    let mut names: Vec<String> = m
        .method_names()
        .filter(|n| ![beacon::METHOD, upgrade::METHOD].contains(n))
        .map(str::to_string)
        .collect();
    names.push("rpc_methods".into());
    names.sort();
    m.register_method("rpc_methods", move |p, _, _| -> RpcResult<Value> {
        Args::new(&p, &[], 0)?;
        Ok(json!({ "version": 1, "methods": names }))
    })?;
    Ok(m)
}
