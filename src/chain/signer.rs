//! Signs extrinsics with a hotkey (an sp-core sr25519 pair) for subxt.

use sp_core::Pair as _;
use subxt::SubstrateConfig;
use subxt::utils::{AccountId32, MultiSignature};

/// A hotkey that signs transactions; its secret never leaves this value.
pub struct HotkeySigner(sp_core::sr25519::Pair);

impl HotkeySigner {
    /// Wraps a key pair (e.g. from [`crate::wallet::load_hotkey`]).
    pub fn new(pair: sp_core::sr25519::Pair) -> Self {
        Self(pair)
    }

    /// The hotkey's account id.
    pub fn account(&self) -> [u8; 32] {
        self.0.public().0
    }
}

impl subxt::tx::Signer<SubstrateConfig> for HotkeySigner {
    fn account_id(&self) -> AccountId32 {
        AccountId32(self.0.public().0)
    }

    fn sign(&self, signer_payload: &[u8]) -> MultiSignature {
        MultiSignature::Sr25519(self.0.sign(signer_payload).0)
    }
}
