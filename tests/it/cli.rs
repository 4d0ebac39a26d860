//! The `pylon` binary: the devnet ready line, exit codes, the wallet it writes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use predicates::prelude::*;
use sp_core::Pair as _;

fn pylon() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("pylon").expect("binary built");
    cmd.env("RUST_BACKTRACE", "0")
        .env_remove("PYLON_BITTENSOR_NETWORK")
        .env_remove("PYLON_ENV_FILE");
    cmd
}

/// Starts `pylon devnet --port 0 ARGS`, returns the child and its ready line.
fn spawn_devnet(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(cargo_bin("pylon"))
        .args(["devnet", "--port", "0", "--block-time", "100ms"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("pylon starts");
    let mut line = String::new();
    let started = Instant::now();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("ready line");
    assert!(started.elapsed() < Duration::from_secs(10), "ready after {:?}", started.elapsed());
    (child, line.trim_end().to_string())
}

#[test]
fn devnet_prints_its_ready_line_with_the_chosen_port() {
    let (mut child, line) = spawn_devnet(&[]);
    let url =
        line.strip_prefix("devnet ready at ").unwrap_or_else(|| panic!("ready line: {line:?}"));
    let port: u16 =
        url.strip_prefix("ws://127.0.0.1:").expect("loopback url").parse().expect("port");
    assert_ne!(port, 0);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "the devnet accepts connections"
    );
    child.kill().expect("stop devnet");
    child.wait().expect("reaped");
}

#[test]
fn devnet_neurons_sizes_subnet_1() {
    let (mut child, line) = spawn_devnet(&["--neurons", "1024"]);
    let url = line.strip_prefix("devnet ready at ").expect("ready line").to_string();
    let out = pylon().args(["--network", &url, "neurons", "--netuid", "1", "-o", "json"]).output();
    child.kill().expect("stop devnet");
    child.wait().expect("reaped");
    let out = out.expect("pylon runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["neurons"].as_object().map(|n| n.len()), Some(1024));
}

#[test]
fn usage_and_configuration_errors_exit_2_naming_the_bad_value() {
    pylon()
        .args(["--network", "mainnet", "devnet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mainnet"));
    pylon()
        .args(["devnet", "--block-time", "0s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0s"));
    pylon()
        .args(["devnet", "--neurons", "5000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("5000"));
    pylon()
        .args(["devnet", "--port", "70000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("70000"));
    pylon()
        .args(["--env-file", "/nonexistent/pylon.env", "devnet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/pylon.env"));
}

#[test]
fn a_port_in_use_is_a_runtime_failure_exit_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    pylon()
        .args(["devnet", "--port", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("127.0.0.1:{port}")));
}

#[test]
fn the_env_file_sets_pylon_variables_without_overriding_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("test.env");
    std::fs::write(&file, "PYLON_BITTENSOR_NETWORK=nonsense-from-file\n").expect("write");
    pylon()
        .args(["--env-file", file.to_str().unwrap(), "devnet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nonsense-from-file"));
    // A variable already set wins over the file.
    pylon()
        .env("PYLON_BITTENSOR_NETWORK", "nonsense-from-env")
        .args(["--env-file", file.to_str().unwrap(), "devnet"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("nonsense-from-env")
                .and(predicate::str::contains("from-file").not()),
        );
}

#[test]
fn the_wallet_holds_loadable_validator_hotkeys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, _) = spawn_devnet(&["--wallet-dir", dir.path().to_str().unwrap()]);
    child.kill().expect("stop devnet");
    child.wait().expect("reaped");
    let hotkeys = dir.path().join("devnet/hotkeys");
    let names: Vec<String> = std::fs::read_dir(&hotkeys)
        .expect("hotkeys dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("pub.txt"))
        .collect();
    let per_subnet =
        |netuid: u16| names.iter().filter(|n| n.starts_with(&format!("sn{netuid}-uid"))).count();
    assert_eq!(
        (per_subnet(1), per_subnet(2), per_subnet(3)),
        (64, 16, 8),
        "one hotkey per validator"
    );
    let name = names.iter().find(|n| n.starts_with("sn1-uid")).expect("a subnet-1 validator");
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(hotkeys.join(name)).expect("key file"))
            .expect("JSON");
    let seed =
        hex::decode(file["secretSeed"].as_str().expect("secretSeed").trim_start_matches("0x"))
            .unwrap();
    let pair = sp_core::sr25519::Pair::from_seed_slice(&seed).expect("a valid mini secret");
    assert_eq!(format!("0x{}", hex::encode(pair.public().0)), file["publicKey"].as_str().unwrap());
    assert_eq!(file["accountId"], file["publicKey"]);
    let expected = pylon_devnet::keys::account(&pylon_devnet::keys::derive(name));
    assert_eq!(file["ss58Address"], pylon_devnet::keys::ss58(&expected));
    assert!(dir.path().join("devnet/coldkeypub.txt").is_file());
}
