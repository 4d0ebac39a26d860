//! `pylon serve` configured as an operator would: the chain flags, the README's `.env` example,
//! and mistakes (a missing hotkey file, a database folder that does not exist, a bad log
//! filter) that stop it at once with one line naming the value, exit 2.

use std::time::Duration;

use crate::common::{devnet, free_port, serve_command, wait_for_block, wait_up};

/// `pylon serve` with `env` in a fresh directory: its exit code and stderr, or `None` when it
/// was still running after 10 s (then it is killed).
async fn serve_exit(args: &[&str], env: &[(&str, String)]) -> Option<(i32, String)> {
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = serve_command(dir.path(), free_port());
    cmd.args(args).stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("serve starts");
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output()).await.ok()?;
    let out = out.expect("waited");
    Some((out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned()))
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_takes_the_chain_flags_and_refuses_the_ones_that_do_not_apply() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 2).await;
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    // PYLON_BITTENSOR_NETWORK says finney (unreachable here); the flag wins.
    let _server = serve_command(dir.path(), port)
        .args(["--network", &net.url()])
        .env("PYLON_BITTENSOR_NETWORK", "finney")
        .spawn()
        .expect("serve starts");
    let base = format!("http://127.0.0.1:{port}");
    wait_up(&base).await;
    let mut health = serde_json::Value::Null;
    for _ in 0..100 {
        let resp = reqwest::get(format!("{base}/health")).await.expect("health");
        let ok = resp.status() == 200;
        health = resp.json().await.expect("JSON");
        if ok {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(health["status"], "ok", "{health}");
    assert_eq!(health["chain"]["url"], net.url(), "{health}");

    for flag in [&["-o", "json"][..], &["--timeout", "5s"], &["--wide"]] {
        let (code, err) = serve_exit(flag, &[]).await.expect("refused at once");
        assert_eq!(code, 2, "{flag:?}: {err}");
        assert!(err.contains(flag[0]) && err.contains("does not apply"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_mistakes_stop_serve_with_one_line_naming_them() {
    let wallets = tempfile::tempdir().expect("wallets");
    let identity = [
        ("PYLON_BITTENSOR_WALLET_PATH", wallets.path().display().to_string()),
        ("PYLON_IDENTITIES", r#"["sn1"]"#.to_string()),
        ("PYLON_ID_SN1_WALLET_NAME", "nowallet".to_string()),
        ("PYLON_ID_SN1_HOTKEY_NAME", "nohotkey".to_string()),
        ("PYLON_ID_SN1_NETUID", "1".to_string()),
        ("PYLON_ID_SN1_TOKEN", "tok-sn1".to_string()),
    ];
    let (code, err) = serve_exit(&[], &identity).await.expect("stops at once");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("identity \"sn1\"") && err.contains("nowallet/hotkeys/nohotkey"), "{err}");

    let db = [("PYLON_DATABASE_PATH", "/no/such/folder/pylon.db".to_string())];
    let (code, err) = serve_exit(&[], &db).await.expect("stops at once");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the folder /no/such/folder does not exist"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");

    let log = [("PYLON_LOG", "garbage".to_string())];
    let (code, err) = serve_exit(&[], &log).await.expect("stops at once");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("PYLON_LOG") && err.contains("\"garbage\""), "{err}");
    let out = crate::common::pylon("ws://127.0.0.1:1", vec!["block".into()]);
    let out = tokio::time::timeout(Duration::from_secs(60), out).await.expect("fails in time");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("RPC error: RPC error"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_name_is_a_listen_address() {
    let net = devnet(100, |_| {}).await;
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let _server = serve_command(dir.path(), port)
        .env("PYLON_BITTENSOR_NETWORK", net.url())
        .env("PYLON_HOST", "localhost")
        .spawn()
        .expect("serve starts");
    wait_up(&format!("http://127.0.0.1:{port}")).await;
}

/// The ```bash block that follows `Example .env` in the README.
fn readme_env_example() -> String {
    let readme = include_str!("../../README.md");
    let at = readme.find("Example `.env`").expect("the README has an .env example");
    let block = &readme[at..];
    let start = block.find("```bash\n").expect("a bash block") + "```bash\n".len();
    let end = block[start..].find("```").expect("its end");
    block[start..start + end].to_string()
}

#[test]
fn the_readme_and_env_example_files_parse_as_a_configuration() {
    for (name, text) in [
        ("README.md", readme_env_example()),
        (".env.example", include_str!("../../.env.example").to_string()),
    ] {
        let vars: Vec<(String, String)> = dotenvy::from_read_iter(text.as_bytes())
            .map(|v| v.unwrap_or_else(|e| panic!("{name}: {e}")))
            .collect();
        assert!(!vars.is_empty(), "{name}: no variables");
        let config = pylon::config::ServerConfig::from_vars(vars)
            .unwrap_or_else(|e| panic!("{name} is not a valid configuration: {e}"));
        if name == "README.md" {
            assert_eq!(config.identities.len(), 2, "{name}: two identities");
        }
    }
}
