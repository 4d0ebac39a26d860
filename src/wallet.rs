//! Bittensor wallet files: where a hotkey lives and how to read its public key.
//! Secret material is never read here, logged or put into errors.

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
    /// The file is not a btwallet JSON key file with a public key.
    #[error("hotkey file {0} has no valid accountId, publicKey or ss58Address")]
    Malformed(String),
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
    let json: serde_json::Value =
        serde_json::from_slice(&text).map_err(|_| WalletError::Malformed(shown.clone()))?;
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
}
