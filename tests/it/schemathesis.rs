//! The served OpenAPI document against outside tools: openapi-spec-validator finds no error, and
//! schemathesis (from PyPI, installed by `.ci/run`; `PYLON_SCHEMA_BIN` names its bin folder)
//! generates at least 1,000 requests over every operation, runs all its checks and finds no
//! failure — with tokens, an identity and writes that really reach the devnet.
//!
//! Its configuration (`tests/clients/schemathesis.toml`) says three things: the identity and a
//! hotkey to use, that 308 redirects (to an identity's own netuid) are followed, and that 503
//! (recent neurons not cached) and 504 (the `X-Pylon-Timeout` budget ran out, e.g. when
//! schemathesis asks for 5e-324 s) are the contract's answers, not server errors. Every other
//! 5xx fails the run.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{devnet, gateway, wait_for_block};
use pylon_devnet::keys;

/// The tools' folder, or `None` after saying the test is skipped (a failure under CI).
fn tools() -> Option<PathBuf> {
    match std::env::var_os("PYLON_SCHEMA_BIN") {
        Some(dir) if Path::new(&dir).join("schemathesis").exists() => Some(PathBuf::from(dir)),
        _ => {
            crate::common::require_outside_prerequisite(
                "PYLON_SCHEMA_BIN (schemathesis and openapi-spec-validator, installed by .ci/run)",
            );
            let _ =
                writeln!(std::io::stderr(), "skipped: PYLON_SCHEMA_BIN is not set (see .ci/run)");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_is_valid_and_schemathesis_finds_nothing() {
    let Some(bin) = tools() else { return };
    let dir = tempfile::tempdir().expect("wallet dir");
    let net = devnet(100, |c| {
        c.wallet_dir = Some(dir.path().to_path_buf());
        // Certificates may be served again at once, so repeated POSTs of the fuzzer succeed.
        c.genesis.subnets.iter_mut().for_each(|s| s.serving_rate_limit = 0);
    })
    .await;
    wait_for_block(&net, 5).await;
    let identity = net.chain.best().world.subnets[&3]
        .neurons
        .iter()
        .find(|n| n.validator_permit)
        .expect("a validator")
        .uid;
    let evm = net.url().replace("ws://", "http://");
    let wallet = dir.path().display().to_string();
    let hotkey_name = keys::hotkey_path(3, identity);
    let db = dir.path().join("jobs.db").display().to_string();
    let vars = [
        ("PYLON_BITTENSOR_ARCHIVE_NETWORK", net.url()),
        ("PYLON_EVM_RPC_URL", evm.clone()),
        ("PYLON_EVM_ARCHIVE_RPC_URL", evm),
        ("PYLON_OPEN_ACCESS_TOKEN", "oa-token".into()),
        ("PYLON_METRICS_TOKEN", "metrics-token".into()),
        ("PYLON_IDENTITIES", r#"["sn3"]"#.into()),
        ("PYLON_ID_SN3_WALLET_NAME", "devnet".into()),
        ("PYLON_ID_SN3_HOTKEY_NAME", hotkey_name),
        ("PYLON_ID_SN3_NETUID", "3".into()),
        ("PYLON_ID_SN3_TOKEN", "sn3-token".into()),
        ("PYLON_BITTENSOR_WALLET_PATH", wallet),
        ("PYLON_BLOCK_DURATION_SECONDS", "0.1".into()),
        ("PYLON_DATABASE_PATH", db),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gw = gateway(&net, &vars).await;
    let schema = format!("{}/schema/openapi.json", gw.base);

    // Schemathesis keeps a cache in its working directory: a temporary one, not the checkout.
    let cwd = dir.path();
    let run = |program: PathBuf, args: Vec<String>| async move {
        let mut command = tokio::process::Command::new(&program);
        command.args(&args).current_dir(cwd).kill_on_drop(true);
        let out = tokio::time::timeout(std::time::Duration::from_secs(600), command.output())
            .await
            .unwrap_or_else(|_| panic!("{} ran over 10 minutes", program.display()))
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };

    // Both forms of the document, as files (the validator reads files).
    for form in ["json", "yaml"] {
        let body = reqwest::get(format!("{}/schema/openapi.{form}", gw.base))
            .await
            .expect("document")
            .text()
            .await
            .expect("text");
        let file = dir.path().join(format!("openapi.{form}"));
        std::fs::write(&file, body).expect("write");
        let args = vec![file.display().to_string()];
        let (ok, text) = run(bin.join("openapi-spec-validator"), args).await;
        assert!(ok && text.contains("OK"), "openapi-spec-validator on the {form} form:\n{text}");
    }

    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/schemathesis.toml");
    let args = [
        "--config-file",
        config.to_str().expect("utf-8"),
        "run",
        &schema,
        "--checks",
        "all",
        "--max-examples",
        "10",
        "--workers",
        "2",
        "--seed",
        "20261129",
        "--no-color",
    ];
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (ok, text) = run(bin.join("schemathesis"), args).await;
    // "Test cases:\n  2533 generated, 2533 passed, 84 skipped"
    let generated: u64 = text
        .lines()
        .filter_map(|l| l.split(" generated").next().filter(|_| l.contains(" generated")))
        .filter_map(|n| n.split_whitespace().last()?.parse().ok())
        .next()
        .unwrap_or(0);
    let summary = text.rsplit("SUMMARY").next().unwrap_or(&text);
    assert!(ok, "schemathesis found failures:\n{text}");
    assert!(generated >= 1000, "at least 1,000 generated requests, got {generated}:\n{summary}");
    let _ = writeln!(std::io::stderr(), "schemathesis: {generated} requests, no failure");
}
