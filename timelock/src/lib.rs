//! Drand timelock encryption (Boneh–Franklin IBE "tlock" over BLS12-381, as drand quicknet and
//! subtensor's commit-reveal v4 use it), through the crates.io `timelock` crate: encrypting to a
//! future round, decrypting with that round's signature, and a beacon that signs rounds (the
//! devnet's own drand, so commit → reveal runs offline).

use ark_ec::Group;
use ark_ff::PrimeField;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use sha2::{Digest, Sha256};
use timelock::curves::drand::TinyBLS381;
use timelock::ibe::fullident::Identity;
use timelock::stream_ciphers::AESGCMStreamCipherProvider;
use timelock::tlock::{EngineBLS, TLECiphertext, tld, tle};

type PublicKey = <TinyBLS381 as EngineBLS>::PublicKeyGroup;
type Signature = <TinyBLS381 as EngineBLS>::SignatureGroup;
type Scalar = <TinyBLS381 as EngineBLS>::Scalar;

/// The drand quicknet public key (G2, compressed).
pub const QUICKNET_PUBLIC_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// Quicknet's genesis (unix seconds).
pub const QUICKNET_GENESIS: u64 = 1_692_803_367;
/// Quicknet's period in seconds.
pub const QUICKNET_PERIOD: u64 = 3;

/// What a CRv4 commit encrypts (subtensor's `WeightsTlockPayload`, SCALE): the committing
/// hotkey's public key, the uids, their u16 weights and the version key.
#[derive(Clone, Debug, PartialEq, Eq, parity_scale_codec::Encode, parity_scale_codec::Decode)]
pub struct WeightsPayload {
    /// The hotkey's 32-byte public key (the chain drops a commit whose hotkey is not the signer).
    pub hotkey: Vec<u8>,
    /// Destination uids.
    pub uids: Vec<u16>,
    /// Their weights.
    pub values: Vec<u16>,
    /// The subnet's version key.
    pub version_key: u64,
}

/// What went wrong with a timelock operation.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimelockError {
    /// The public key is not a compressed G2 point.
    #[error("invalid drand public key {0:?}: expected 96 bytes of hex (a compressed G2 point)")]
    PublicKey(String),
    /// Encryption failed.
    #[error("timelock encryption failed: {0}")]
    Encrypt(String),
    /// The ciphertext or signature does not decode, or does not open the ciphertext.
    #[error("timelock decryption failed: {0}")]
    Decrypt(String),
}

/// A drand network: its public key, genesis time and period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drand {
    /// The G2 public key, compressed (96 bytes).
    pub public_key: Vec<u8>,
    /// Unix time of round 1.
    pub genesis: u64,
    /// Seconds between rounds.
    pub period: u64,
}

/// The identity a round's signature opens: `sha256(round as big-endian u64)`.
fn identity(round: u64) -> Identity {
    Identity::new(b"", vec![Sha256::digest(round.to_be_bytes()).to_vec()])
}

impl Drand {
    /// Drand quicknet, what finney's `Drand` pallet stores.
    pub fn quicknet() -> Self {
        Self::new(QUICKNET_PUBLIC_KEY, QUICKNET_GENESIS, QUICKNET_PERIOD)
            .unwrap_or_else(|_| unreachable!("the quicknet key is valid hex"))
    }

    /// A network from a hex public key (`0x` optional).
    pub fn new(public_key_hex: &str, genesis: u64, period: u64) -> Result<Self, TimelockError> {
        let bad = || TimelockError::PublicKey(public_key_hex.to_string());
        let bytes = hex::decode(public_key_hex.trim_start_matches("0x")).map_err(|_| bad())?;
        let _key = PublicKey::deserialize_compressed(&bytes[..]).map_err(|_| bad())?;
        Ok(Self { public_key: bytes, genesis, period: period.max(1) })
    }

    /// The latest round published at unix time `t` (0 before genesis).
    pub fn round_at(&self, t: u64) -> u64 {
        if t < self.genesis { 0 } else { (t - self.genesis) / self.period + 1 }
    }

    /// Encrypts `plaintext` so that only round `round`'s signature opens it; the ciphertext is
    /// the `timelock` crate's `TLECiphertext`, compressed (what subtensor decodes).
    pub fn encrypt(&self, round: u64, plaintext: &[u8]) -> Result<Vec<u8>, TimelockError> {
        self.encrypt_with(round, plaintext, &mut rand_core::OsRng)
    }

    /// [`Drand::encrypt`] with randomness from `rng` (a seeded one gives reproducible
    /// ciphertexts, e.g. for a genesis state).
    pub fn encrypt_with<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        round: u64,
        plaintext: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, TimelockError> {
        let key = PublicKey::deserialize_compressed(&self.public_key[..])
            .map_err(|e| TimelockError::PublicKey(e.to_string()))?;
        let mut secret = [0u8; 32];
        rng.fill_bytes(&mut secret);
        let ciphertext = tle::<TinyBLS381, AESGCMStreamCipherProvider, _>(
            key,
            secret,
            plaintext,
            identity(round),
            rng,
        )
        .map_err(|e| TimelockError::Encrypt(format!("{e:?}")))?;
        let mut out = Vec::new();
        ciphertext
            .serialize_compressed(&mut out)
            .map_err(|e| TimelockError::Encrypt(e.to_string()))?;
        Ok(out)
    }
}

/// Opens a ciphertext made by [`Drand::encrypt`] with the round's signature (48 bytes, G1).
pub fn decrypt(ciphertext: &[u8], signature: &[u8]) -> Result<Vec<u8>, TimelockError> {
    let ct = TLECiphertext::<TinyBLS381>::deserialize_compressed(ciphertext)
        .map_err(|e| TimelockError::Decrypt(format!("ciphertext: {e}")))?;
    let sig = Signature::deserialize_compressed(signature)
        .map_err(|e| TimelockError::Decrypt(format!("signature: {e}")))?;
    tld::<TinyBLS381, AESGCMStreamCipherProvider>(ct, sig)
        .map_err(|e| TimelockError::Decrypt(format!("{e:?}")))
}

/// A drand-like beacon with its own key: signs rounds as quicknet does (BLS, signatures in G1).
#[derive(Clone)]
pub struct Beacon {
    secret: Scalar,
}

impl Beacon {
    /// A beacon whose key is derived from `seed` (the same seed gives the same key).
    pub fn from_seed(seed: u64) -> Self {
        let mut material = b"pylon devnet drand".to_vec();
        material.extend(seed.to_le_bytes());
        let digest = Sha256::digest(&material);
        Self { secret: Scalar::from_le_bytes_mod_order(&digest) }
    }

    /// The public key, compressed (96 bytes).
    pub fn public_key(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let key: PublicKey = PublicKey::generator() * self.secret;
        // Serializing a valid point into a Vec cannot fail.
        let _ = key.serialize_compressed(&mut out);
        out
    }

    /// The signature of `round` (48 bytes), which opens ciphertexts encrypted to it.
    pub fn sign(&self, round: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = identity(round).extract::<TinyBLS381>(self.secret).0.serialize_compressed(&mut out);
        out
    }
}

/// A pulse's randomness: `sha256(signature)`, as drand defines it.
pub fn randomness(signature: &[u8]) -> [u8; 32] {
    Sha256::digest(signature).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quicknet's published signature of round 1000 (public drand data).
    const ROUND_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

    #[test]
    fn quicknet_round_1000_opens_what_was_encrypted_to_it() {
        let quicknet = Drand::quicknet();
        let ct = quicknet.encrypt(1000, b"weights payload").expect("encrypts");
        let sig = hex::decode(ROUND_1000).expect("hex");
        assert_eq!(decrypt(&ct, &sig).expect("round 1000 opens it"), b"weights payload");
        let other = quicknet.encrypt(1001, b"weights payload").expect("encrypts");
        assert!(decrypt(&other, &sig).is_err(), "another round's ciphertext stays closed");
    }

    #[test]
    fn a_seeded_beacon_signs_rounds_that_open_its_ciphertexts() {
        let beacon = Beacon::from_seed(7);
        assert_eq!(beacon.public_key(), Beacon::from_seed(7).public_key());
        assert_eq!((beacon.public_key().len(), beacon.sign(3).len()), (96, 48));
        let drand = Drand::new(&hex::encode(beacon.public_key()), 100, 3).expect("valid key");
        let ct = drand.encrypt(42, b"secret").expect("encrypts");
        assert_eq!(decrypt(&ct, &beacon.sign(42)).expect("opens"), b"secret");
        assert!(decrypt(&ct, &beacon.sign(41)).is_err());
        assert!(decrypt(&ct, &Beacon::from_seed(8).sign(42)).is_err());
        assert_eq!((drand.round_at(99), drand.round_at(100), drand.round_at(105)), (0, 1, 2));
        assert!(Drand::new("00ff", 0, 3).is_err());
    }
}
