//! Deterministic sr25519 keys of the devnet's accounts.
//!
//! Every key is a hard derivation of Substrate's well-known development phrase, so anyone can
//! recreate it (`subkey inspect "//sn1-uid5"`) and tests can sign as any neuron:
//! hotkeys are `//sn<NETUID>-uid<UID>`, the devnet wallet's coldkey (owner of every validator)
//! is `//devnet-coldkey`, and miners' coldkeys are `//cold<K>`.

use std::sync::OnceLock;

use sp_core::crypto::{DEV_PHRASE, DeriveJunction, Pair as _, Ss58Codec};
use sp_core::sr25519::Pair;

use super::mirror::sp_core::crypto::AccountId32;

/// The derivation path (without `//`) of a neuron's hotkey.
pub fn hotkey_path(netuid: u16, uid: u16) -> String {
    format!("sn{netuid}-uid{uid}")
}

/// The derivation path of the devnet wallet's coldkey.
pub const DEVNET_COLDKEY: &str = "devnet-coldkey";

/// The key pair at `//<path>` of the development phrase.
pub fn derive(path: &str) -> Pair {
    derive_with_seed(path).0
}

/// The key pair at `//<path>` and its 32-byte mini-secret seed (what a wallet stores).
pub fn derive_with_seed(path: &str) -> (Pair, [u8; 32]) {
    static ROOT: OnceLock<(Pair, [u8; 32])> = OnceLock::new();
    let (root, root_seed) = ROOT.get_or_init(|| {
        Pair::from_phrase(DEV_PHRASE, None).expect("the development phrase is a valid mnemonic")
    });
    let (pair, seed) = root
        .derive(std::iter::once(DeriveJunction::hard(path)), Some(*root_seed))
        .expect("hard derivation of an sr25519 key cannot fail");
    (pair, seed.expect("a hard derivation from a seeded key yields a seed"))
}

/// The account id (public key) of a key pair.
pub fn account(pair: &Pair) -> AccountId32 {
    AccountId32(pair.public().0)
}

/// The SS58 address (prefix 42) of an account.
pub fn ss58(account: &AccountId32) -> String {
    sp_core::sr25519::Public::from_raw(account.0).to_ss58check()
}
