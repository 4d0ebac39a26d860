//! Third-party clients, unmodified, against a fresh devnet: the bittensor SDKs 10 and 11,
//! async-substrate-interface 2, py-substrate-interface, polkadot.js and turbobt. Each script in
//! `tests/clients/` exercises what its users do and compares with oracles outside the devnet
//! (the README's genesis facts, the documented key derivations, two client calls agreeing,
//! values written and read back); a check that fails names itself. `.ci/run` installs the clients
//! (pinned, from PyPI and npm) and names their interpreters in `PYLON_*_PYTHON` and
//! `PYLON_PJS_MODULES`; without one a test says it is skipped, except under CI (`CI=true`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{devnet, require_outside_prerequisite};

/// The longest a client script may run (each also has its own, shorter, hard timeout).
const LIMIT: Duration = Duration::from_secs(300);

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients")
}

/// Runs `program script URL [WALLET_DIR]` against a fresh devnet with 250 ms blocks and a
/// validator wallet; fails with the script's output unless it exits 0.
async fn drive(program: &str, env: &[(&str, &str)], script: &str, wallet_arg: bool) {
    let wallets = tempfile::tempdir().expect("wallet dir");
    let net = devnet(250, |c| c.wallet_dir = Some(wallets.path().to_path_buf())).await;
    let mut command = tokio::process::Command::new(program);
    command.arg(scripts().join(script)).arg(net.url()).current_dir(scripts());
    if wallet_arg {
        command.arg(wallets.path());
    }
    let home = tempfile::tempdir().expect("home");
    // Clients cache metadata under $HOME (bittensor 11: ~/.bittensor/runtime-cache).
    command.env("HOME", home.path()).envs(env.iter().copied()).kill_on_drop(true);
    let output = tokio::time::timeout(LIMIT, command.output())
        .await
        .unwrap_or_else(|_| panic!("{script} ran longer than {LIMIT:?}"))
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let (out, err) =
        (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{script} failed ({}):\n{out}\n{err}", output.status);
    let last = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().to_string();
    let _ = writeln!(std::io::stderr(), "{script}: {last}");
    net.stop().await;
}

/// The interpreter named by `var`, or `None` after saying the test is skipped (a failure under
/// CI).
pub fn interpreter(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            require_outside_prerequisite(&format!("{var} (a client installed by .ci/run)"));
            let _ = writeln!(std::io::stderr(), "skipped: {var} is not set (see .ci/run)");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bittensor_sdk_10() {
    let Some(python) = interpreter("PYLON_SDK10_PYTHON") else { return };
    drive(&python, &[("BT_MEV_PROTECTION", "0")], "sdk10_check.py", true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bittensor_sdk_11() {
    let Some(python) = interpreter("PYLON_SDK11_PYTHON") else { return };
    drive(&python, &[], "sdk11_check.py", true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn async_substrate_interface_2() {
    let Some(python) = interpreter("PYLON_ASI2_PYTHON") else { return };
    drive(&python, &[], "asi2_check.py", true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn py_substrate_interface() {
    let Some(python) = interpreter("PYLON_PYTHON") else { return };
    drive(&python, &[], "subint_check.py", true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn turbobt() {
    let Some(python) = interpreter("PYLON_SDK11_PYTHON") else { return };
    drive(&python, &[], "turbobt_check.py", true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn polkadot_js() {
    let Some(modules) = interpreter("PYLON_PJS_MODULES") else { return };
    drive("node", &[("PJS_NODE_MODULES", &modules)], "pjs_check.mjs", false).await;
}
