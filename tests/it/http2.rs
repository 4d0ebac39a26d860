//! HTTP/2 without TLS (prior knowledge, as a proxy in front of the gateway may speak it),
//! driven by nghttp2's tools, not the gateway's hyper: curl for the same answers, headers, auth
//! and compressed variants as over HTTP/1.1 (one request per connection: curl 7.88 fails a
//! second request on a prior-knowledge connection against nginx's HTTP/2 as well), and h2load
//! for concurrent streams on one connection.

use std::time::{Duration, Instant};

use crate::common::{devnet, gateway, require_outside_prerequisite, wait_for_block};

/// Whether curl with HTTP/2 is installed (a failure under CI when it is not).
async fn curl_has_http2() -> bool {
    let out = tokio::process::Command::new("curl").arg("--version").output().await;
    let ok = out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("HTTP2"));
    if !ok {
        require_outside_prerequisite("curl with HTTP/2 (Debian's curl)");
    }
    ok
}

/// Whether nghttp2's h2load is installed (a failure under CI when it is not).
async fn has_h2load() -> bool {
    let ok = tokio::process::Command::new("h2load").arg("--version").output().await.is_ok();
    if !ok {
        require_outside_prerequisite("h2load (Debian's nghttp2-client)");
    }
    ok
}

/// `curl --http2-prior-knowledge` with `args`: (status line and headers, body).
async fn h2(args: &[&str]) -> (String, Vec<u8>) {
    let dir = tempfile::tempdir().expect("dir");
    let headers = dir.path().join("headers");
    let out = tokio::process::Command::new("curl")
        .args(["-s", "--http2-prior-knowledge", "-D"])
        .arg(&headers)
        .args(args)
        .output()
        .await
        .expect("curl runs");
    assert!(out.status.success(), "curl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    (std::fs::read_to_string(&headers).expect("headers").to_lowercase(), out.stdout)
}

#[tokio::test(flavor = "multi_thread")]
async fn http2_clients_get_the_same_answers_headers_auth_and_encodings() {
    if !curl_has_http2().await {
        return;
    }
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 7).await;
    let gw = gateway(&net, &[("PYLON_OPEN_ACCESS_TOKEN", "open")]).await;
    let url = format!("{}/api/v1/subnet/1/block/3/neurons", gw.base);
    let http1 = reqwest::Client::new().get(&url).bearer_auth("open").send().await.expect("GET");
    assert_eq!(http1.status(), 200);
    let plain = http1.bytes().await.expect("body").to_vec();

    let auth = ["-H", "Authorization: Bearer open"];
    let (headers, body) = h2(&[auth[0], auth[1], &url]).await;
    assert!(headers.starts_with("http/2 200"), "{headers}");
    assert!(headers.contains("\nx-request-id: "), "{headers}");
    assert!(headers.contains("\nvary: accept-encoding"), "{headers}");
    assert_eq!(body, plain, "the same bytes as over HTTP/1.1");

    let (headers, body) = h2(&[&url]).await;
    assert!(headers.starts_with("http/2 401"), "no token: {headers}");
    let error: serde_json::Value = serde_json::from_slice(&body).expect("JSON error");
    assert_eq!(error["detail"], "Authorization header is required");

    // curl asks for every encoding it decodes (zstd among them) and decodes the answer.
    let started = Instant::now();
    loop {
        let (headers, body) = h2(&["--compressed", auth[0], auth[1], &url]).await;
        if headers.contains("\ncontent-encoding: zstd") {
            assert_eq!(body, plain, "the zstd variant decodes to the plain answer");
            break;
        }
        assert!(!headers.contains("\ncontent-encoding"), "plain until compressed: {headers}");
        assert!(started.elapsed() < Duration::from_secs(3), "no zstd variant within 3 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // 32 requests, 8 streams at a time on one connection: all answered, each with the whole
    // answer (h2load counts the DATA bytes).
    if !has_h2load().await {
        return;
    }
    let out = tokio::process::Command::new("h2load")
        .args(["-n", "32", "-c", "1", "-m", "8", "-H", "authorization: Bearer open", &url])
        .output()
        .await
        .expect("h2load runs");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("Application protocol: h2c"), "{report}");
    assert!(report.contains("32 done, 32 succeeded, 0 failed"), "{report}");
    assert!(report.contains("status codes: 32 2xx"), "{report}");
    let data = report.lines().find(|l| l.starts_with("traffic:")).and_then(|l| {
        l.rsplit_once(" data")?.0.rsplit_once('(')?.1.strip_suffix(')')?.parse().ok()
    });
    assert_eq!(data, Some(32 * plain.len()), "{report}");
}
