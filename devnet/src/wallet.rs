//! Writes the devnet's validator keys as a Bittensor wallet (btwallet's JSON key files), so
//! tools that load `~/.bittensor/wallets/<wallet>/hotkeys/<hotkey>` can sign as those validators.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::json;
use sp_core::Pair as _;

use super::keys;
use super::state::World;

/// The wallet's name.
pub const WALLET_NAME: &str = "devnet";

/// The hotkey file name of a validator: `sn<NETUID>-uid<UID>`.
pub fn hotkey_name(netuid: u16, uid: u16) -> String {
    keys::hotkey_path(netuid, uid)
}

fn keyfile(path: &str) -> (serde_json::Value, serde_json::Value) {
    let (pair, seed) = keys::derive_with_seed(path);
    let public = format!("0x{}", hex::encode(pair.public().0));
    let ss58 = keys::ss58(&keys::account(&pair));
    let full = json!({
        "accountId": public,
        "publicKey": public,
        "privateKey": format!("0x{}", hex::encode(pair.to_raw_vec())),
        "secretSeed": format!("0x{}", hex::encode(seed)),
        "ss58Address": ss58,
    });
    let public_only = json!({ "accountId": public, "publicKey": public, "ss58Address": ss58 });
    (full, public_only)
}

fn write_json(path: &Path, value: &serde_json::Value) -> io::Result<()> {
    fs::write(path, serde_json::to_vec(value).map_err(io::Error::other)?)?;
    restrict(path)
}

#[cfg(unix)]
fn restrict(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Writes `<dir>/devnet/coldkeypub.txt` and one hotkey file (plus `<name>pub.txt`) per validator
/// with a permit at genesis; returns the wallet directory.
pub fn write(dir: &Path, world: &World) -> io::Result<PathBuf> {
    let wallet = dir.join(WALLET_NAME);
    let hotkeys = wallet.join("hotkeys");
    fs::create_dir_all(&hotkeys)?;
    let (_, cold_public) = keyfile(keys::DEVNET_COLDKEY);
    write_json(&wallet.join("coldkeypub.txt"), &cold_public)?;
    for subnet in world.subnets.values() {
        for neuron in subnet.neurons.iter().filter(|n| n.validator_permit) {
            write_hotkey(&wallet, subnet.netuid, neuron.uid)?;
        }
    }
    Ok(wallet)
}

/// Writes the hotkey file of neuron `uid` of `netuid` (any neuron, a miner too) into the
/// wallet directory `wallet` (as [`write`] returns it).
pub fn write_hotkey(wallet: &Path, netuid: u16, uid: u16) -> io::Result<()> {
    let hotkeys = wallet.join("hotkeys");
    let name = hotkey_name(netuid, uid);
    let (full, public) = keyfile(&name);
    write_json(&hotkeys.join(&name), &full)?;
    write_json(&hotkeys.join(format!("{name}pub.txt")), &public)
}
