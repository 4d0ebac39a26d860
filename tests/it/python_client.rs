//! A third-party client in another language, Python's `substrate-interface`, reads the devnet.
//!
//! Runs when `PYLON_PYTHON` names a Python with `substrate-interface` installed (CI sets one up);
//! otherwise it says it is skipped, except under CI (`CI=true`), where that is a failure.

use std::io::Write;

use crate::common::{devnet, wait_for_block};
use pylon_devnet::keys;

#[tokio::test(flavor = "multi_thread")]
async fn substrate_interface_reads_storage_blocks_and_events() {
    let Some(python) = std::env::var_os("PYLON_PYTHON") else {
        crate::common::require_outside_prerequisite("PYLON_PYTHON (a Python set up by .ci/run)");
        let _ = writeln!(std::io::stderr(), "skipped: PYLON_PYTHON is not set (see .ci/run)");
        return;
    };
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 2).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/substrate_interface_check.py");
    let uid5 = keys::ss58(&keys::account(&keys::derive("sn1-uid5")));
    let out = tokio::process::Command::new(python)
        .args([script, &net.url(), &uid5])
        .output()
        .await
        .expect("python runs");
    assert!(
        out.status.success(),
        "substrate-interface check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    net.stop().await;
}
