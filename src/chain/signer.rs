//! Signs extrinsics with a hotkey (an sp-core sr25519 pair) for subxt.

use sp_core::Pair as _;
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

/// Signs for any configuration with Substrate's accounts and signatures (Pylon's own, and
/// subxt's `SubstrateConfig` that outside code uses).
impl<T> subxt::tx::Signer<T> for HotkeySigner
where
    T: subxt::Config<AccountId = AccountId32, Signature = MultiSignature>,
{
    fn account_id(&self) -> AccountId32 {
        AccountId32(self.0.public().0)
    }

    fn sign(&self, signer_payload: &[u8]) -> MultiSignature {
        MultiSignature::Sr25519(self.0.sign(signer_payload).0)
    }
}
