//! The gateway's connection limits, over raw TCP: idle connections are closed (but not one whose
//! request is still being answered), a request head that never completes is dropped, and past
//! the connection cap a client gets 503 while the listener keeps accepting.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{devnet, gateway, validator};
use pylon_devnet::keys;

fn addr(base: &str) -> String {
    base.trim_start_matches("http://").to_string()
}

/// Reads until the peer closes; `None` if it is still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Vec<u8>> {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(all),
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
        }
    }
}

/// The first bytes of an answer on `stream`, as text, within `limit`.
async fn answer_within(stream: &mut TcpStream, limit: Duration) -> String {
    let mut buf = [0u8; 4096];
    let n =
        tokio::time::timeout(limit, stream.read(&mut buf)).await.expect("an answer").expect("read");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_and_slow_connections_are_closed_but_answers_in_flight_are_not() {
    let dir = tempfile::tempdir().expect("wallets");
    let net = devnet(700, |c| c.wallet_dir = Some(dir.path().to_path_buf())).await;
    let uid = validator(&net, 3);
    let wallet = dir.path().display().to_string();
    let hotkey = keys::hotkey_path(3, uid);
    let vars = [
        ("PYLON_IDLE_TIMEOUT_SECONDS", "1"),
        ("PYLON_HEADER_READ_TIMEOUT_SECONDS", "1"),
        ("PYLON_BITTENSOR_WALLET_PATH", wallet.as_str()),
        ("PYLON_IDENTITIES", r#"["sn3"]"#),
        ("PYLON_ID_SN3_WALLET_NAME", "devnet"),
        ("PYLON_ID_SN3_HOTKEY_NAME", hotkey.as_str()),
        ("PYLON_ID_SN3_NETUID", "3"),
        ("PYLON_ID_SN3_TOKEN", "id"),
    ];
    let gw = gateway(&net, &vars).await;

    // Connected, silent: closed after the idle timeout.
    let mut silent = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    assert!(closed_within(&mut silent, Duration::from_secs(4)).await.is_some(), "idle closed");

    // A request head that never ends: dropped (hyper answers 408 or closes).
    let mut slow = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").await.expect("write");
    assert!(closed_within(&mut slow, Duration::from_secs(4)).await.is_some(), "slow head closed");

    // Kept alive after an answer, then idle: closed.
    let mut kept = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    kept.write_all(b"GET /api/v1/identities HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let answer = answer_within(&mut kept, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "answered: {answer}");
    assert!(closed_within(&mut kept, Duration::from_secs(4)).await.is_some(), "idle after use");

    // A request every 400 ms for 3 s, three idle timeouts: the connection is never idle for
    // one, so every request is answered on it.
    let mut steady = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    for i in 0..8 {
        steady
            .write_all(b"GET /api/v1/identities HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        let answer = answer_within(&mut steady, Duration::from_secs(2)).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "request {i} on a busy connection: {answer}");
        tokio::time::sleep(Duration::from_millis(400)).await;
    }

    // A commitment takes several 700 ms blocks to finalize, longer than the idle timeout: the
    // connection is busy, not idle, and the answer arrives.
    let body = r#"{"commitment": "0xabcdef"}"#;
    let request = format!(
        "POST /api/v1/identity/sn3/subnet/3/commitments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer id\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut busy = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    busy.write_all(request.as_bytes()).await.expect("write");
    let started = std::time::Instant::now();
    let answer = answer_within(&mut busy, Duration::from_secs(30)).await;
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(started.elapsed() > Duration::from_secs(1), "the write outlasted the idle timeout");
}

#[tokio::test(flavor = "multi_thread")]
async fn past_the_cap_clients_get_503_and_the_listener_keeps_accepting() {
    let net = devnet(400, |_| {}).await;
    let gw = gateway(&net, &[("PYLON_MAX_CONNECTIONS", "4")]).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(addr(&gw.base)).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut over = TcpStream::connect(addr(&gw.base)).await.expect("connect");
    let got = closed_within(&mut over, Duration::from_secs(3)).await.expect("closed at once");
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("Too many connections"), "{text}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let answer = reqwest::get(format!("{}/api/v1/identities", gw.base)).await.expect("accepted");
    assert_eq!(answer.status(), 200);
}
