//! Bittensor wallet files: where a hotkey lives, its public key, and its signing key.
//! Secret material is never logged, printed or put into errors.

use std::path::{Path, PathBuf};

/// The hotkey file of `wallet`/`hotkey` under `wallet_path`.
pub fn hotkey_file(wallet_path: &Path, wallet: &str, hotkey: &str) -> PathBuf {
    wallet_path.join(wallet).join("hotkeys").join(hotkey)
}

/// Why a hotkey's public key could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WalletError {
    /// Neither the key file nor its `…pub.txt` companion could be read.
    #[error("cannot read hotkey file {path}: {reason}")]
    Unreadable {
        /// The key file.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// The file is encrypted (hotkeys are normally plaintext).
    #[error("hotkey file {0} is encrypted; Pylon needs a plaintext hotkey")]
    Encrypted(String),
    /// The file is not JSON at all (truncated or damaged).
    #[error("hotkey file {path} is not valid JSON (truncated or damaged?): {reason}")]
    NotJson {
        /// The key file.
        path: String,
        /// Where parsing stopped (never the file's contents).
        reason: String,
    },
    /// The file is not a btwallet JSON key file with a public key.
    #[error("hotkey file {0} has no valid accountId, publicKey or ss58Address")]
    Malformed(String),
    /// The file holds no usable secret (`secretPhrase`, `secretSeed` or `privateKey`).
    #[error("hotkey file {0} has no valid secretPhrase, secretSeed or privateKey")]
    NoSecret(String),
    /// The secret does not belong to the public key the file names.
    #[error("hotkey file {0}: the secret does not match its accountId")]
    Mismatch(String),
}

/// A key file's JSON; a parse error says where parsing stopped and never what the file holds.
fn parse_json(text: &[u8], shown: &str) -> Result<serde_json::Value, WalletError> {
    serde_json::from_slice(text).map_err(|e| WalletError::NotJson {
        path: shown.to_string(),
        reason: format!("{:?} error at line {} column {}", e.classify(), e.line(), e.column())
            .to_lowercase(),
    })
}

/// The signing key pair of a hotkey, loaded as btwallet does: `secretPhrase`, else
/// `secretSeed`, else `privateKey` (64-byte sr25519 secret). Errors name the file, never its
/// contents.
pub fn load_hotkey(
    wallet_path: &Path,
    wallet: &str,
    hotkey: &str,
) -> Result<sp_core::sr25519::Pair, WalletError> {
    use sp_core::Pair as _;
    let file = hotkey_file(wallet_path, wallet, hotkey);
    let shown = file.display().to_string();
    let text = std::fs::read(&file)
        .map_err(|e| WalletError::Unreadable { path: shown.clone(), reason: e.to_string() })?;
    for marker in [&b"$NACL"[..], b"$ANSIBLE_VAULT", b"gAAAAA"] {
        if text.starts_with(marker) {
            return Err(WalletError::Encrypted(shown));
        }
    }
    let json = parse_json(&text, &shown)?;
    let hex_field = |field: &str| {
        json[field].as_str().and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
    };
    let pair = if let Some(phrase) = json["secretPhrase"].as_str().filter(|p| !p.is_empty()) {
        sp_core::sr25519::Pair::from_phrase(phrase, None).map(|(pair, _)| pair).ok()
    } else if let Some(seed) = hex_field("secretSeed").filter(|s| s.len() == 32) {
        sp_core::sr25519::Pair::from_seed_slice(&seed).ok()
    } else if let Some(secret) = hex_field("privateKey").filter(|s| s.len() == 64) {
        sp_core::sr25519::Pair::from_seed_slice(&secret).ok()
    } else {
        None
    };
    let pair = pair.ok_or_else(|| WalletError::NoSecret(shown.clone()))?;
    // A file whose public key does not match its secret is not to be signed with.
    let public = hex_field("accountId")
        .or_else(|| hex_field("publicKey"))
        .and_then(|b| <[u8; 32]>::try_from(b).ok());
    if public.is_some_and(|p| p != pair.public().0) {
        return Err(WalletError::Mismatch(shown));
    }
    Ok(pair)
}

/// The public key of a hotkey, from its key file (`accountId`, `publicKey` or `ss58Address`),
/// falling back to `<hotkey>pub.txt`.
pub fn hotkey_public(
    wallet_path: &Path,
    wallet: &str,
    hotkey: &str,
) -> Result<[u8; 32], WalletError> {
    let file = hotkey_file(wallet_path, wallet, hotkey);
    let shown = file.display().to_string();
    let text = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let public = file.with_file_name(format!("{hotkey}pub.txt"));
            std::fs::read(&public).map_err(|_| WalletError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            })?
        }
    };
    for marker in [&b"$NACL"[..], b"$ANSIBLE_VAULT", b"gAAAAA"] {
        if text.starts_with(marker) {
            return Err(WalletError::Encrypted(shown));
        }
    }
    let json = parse_json(&text, &shown)?;
    let hex_key = |field: &str| {
        json[field]
            .as_str()
            .and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
    };
    hex_key("accountId")
        .or_else(|| hex_key("publicKey"))
        .or_else(|| json["ss58Address"].as_str().and_then(|a| crate::ss58::decode(a).ok()))
        .ok_or(WalletError::Malformed(shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_public_key_and_rejects_bad_files() {
        let dir = tempfile::tempdir().expect("dir");
        let hotkeys = dir.path().join("w/hotkeys");
        std::fs::create_dir_all(&hotkeys).expect("mkdir");
        let key = [5u8; 32];
        let json = format!(
            r#"{{"accountId":"0x{0}","publicKey":"0x{0}","secretSeed":"0x{1}"}}"#,
            hex::encode(key),
            "11".repeat(32)
        );
        std::fs::write(hotkeys.join("h"), json).expect("write");
        assert_eq!(hotkey_public(dir.path(), "w", "h"), Ok(key));
        std::fs::write(hotkeys.join("enc"), b"$NACLxxxx").expect("write");
        assert!(matches!(hotkey_public(dir.path(), "w", "enc"), Err(WalletError::Encrypted(_))));
        std::fs::write(hotkeys.join("bad"), b"{}").expect("write");
        assert!(matches!(hotkey_public(dir.path(), "w", "bad"), Err(WalletError::Malformed(_))));
        let missing = hotkey_public(dir.path(), "w", "none").unwrap_err();
        assert!(missing.to_string().contains("w/hotkeys/none"), "{missing}");
        assert!(
            !format!("{:?}", hotkey_public(dir.path(), "w", "h")).contains("1111"),
            "no secrets"
        );
    }

    #[test]
    fn signing_keys_load_from_phrase_seed_or_private_key() {
        use sp_core::Pair as _;
        let dir = tempfile::tempdir().expect("dir");
        let hotkeys = dir.path().join("w/hotkeys");
        std::fs::create_dir_all(&hotkeys).expect("mkdir");
        let phrase = sp_core::crypto::DEV_PHRASE;
        let (pair, seed) = sp_core::sr25519::Pair::from_phrase(phrase, None).expect("dev");
        let public = format!("0x{}", hex::encode(pair.public().0));
        let files = [
            ("phrase", format!(r#"{{"secretPhrase":"{phrase}","accountId":"{public}"}}"#)),
            (
                "seed",
                format!(r#"{{"secretSeed":"0x{}","accountId":"{public}"}}"#, hex::encode(seed)),
            ),
            (
                "private",
                format!(
                    r#"{{"privateKey":"0x{}","accountId":"{public}"}}"#,
                    hex::encode(pair.to_raw_vec())
                ),
            ),
        ];
        for (name, json) in &files {
            std::fs::write(hotkeys.join(name), json).expect("write");
            let loaded = load_hotkey(dir.path(), "w", name).expect(name);
            assert_eq!(loaded.public(), pair.public(), "{name}");
        }
        let other = format!(
            r#"{{"secretSeed":"0x{}","accountId":"0x{}"}}"#,
            hex::encode(seed),
            "22".repeat(32)
        );
        std::fs::write(hotkeys.join("mismatch"), other).expect("write");
        assert!(matches!(load_hotkey(dir.path(), "w", "mismatch"), Err(WalletError::Mismatch(_))));
        std::fs::write(hotkeys.join("public-only"), format!(r#"{{"accountId":"{public}"}}"#))
            .expect("write");
        let Err(err) = load_hotkey(dir.path(), "w", "public-only") else {
            panic!("a public-only file cannot sign");
        };
        assert!(matches!(err, WalletError::NoSecret(_)));
        assert!(!err.to_string().contains(phrase));
        std::fs::write(hotkeys.join("enc"), b"$NACLxxxx").expect("write");
        assert!(matches!(load_hotkey(dir.path(), "w", "enc"), Err(WalletError::Encrypted(_))));
    }

    /// The devnet's wallet files load as signing keys of the right accounts.
    #[test]
    fn devnet_wallet_hotkeys_load() {
        use sp_core::Pair as _;
        let dir = tempfile::tempdir().expect("dir");
        let config = pylon_devnet::genesis::GenesisConfig::default();
        let world = pylon_devnet::genesis::build(&pylon_devnet::genesis::GenesisConfig {
            subnets: vec![config.subnets[2].clone()],
            ..config
        });
        pylon_devnet::wallet::write(dir.path(), &world).expect("written");
        let validator =
            world.subnets[&3].neurons.iter().find(|n| n.validator_permit).expect("validator");
        let name = format!("sn3-uid{}", validator.uid);
        let pair = load_hotkey(dir.path(), "devnet", &name).expect("loads");
        assert_eq!(pair.public().0, validator.hotkey.0);
    }
}
