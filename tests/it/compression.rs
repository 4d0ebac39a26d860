//! Compressed answers over real HTTP: the variant the client accepts, decoding to exactly the
//! plain answer, with `Vary: Accept-Encoding`. A new answer is served plain at once and
//! compressed right after, so a compressed variant may take a moment to appear.

use std::io::Read as _;

use crate::common::{devnet, gateway, wait_for_block};

async fn get(url: &str, accept: Option<&str>) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(a) = accept {
        request = request.header("accept-encoding", a);
    }
    let response = request.send().await.expect("answer");
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    (headers, response.bytes().await.expect("body").to_vec())
}

/// The answer in `encoding`, asked for with `accept`: a `latest` answer of a new block is plain
/// for a moment (its variants follow), so plain answers are retried for up to 3 s.
async fn compressed(
    url: &str,
    accept: &str,
    encoding: &str,
) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let started = std::time::Instant::now();
    loop {
        let (headers, body) = get(url, Some(accept)).await;
        let got = headers.get("content-encoding").map(|v| v.as_bytes().to_vec());
        if got.as_deref() == Some(encoding.as_bytes()) {
            return (headers, body);
        }
        assert!(got.is_none(), "plain until compressed: {got:?}");
        assert!(started.elapsed().as_secs() < 3, "no {encoding} variant within 3 s");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_come_in_the_encoding_asked_for_and_decode_to_the_plain_answer() {
    let net = devnet(100, |_| {}).await;
    wait_for_block(&net, 7).await;
    let gw = gateway(&net, &[]).await;
    for url in [
        format!("{}/api/v1/subnet/1/block/3/neurons", gw.base),
        format!("{}/api/v1/subnet/1/block/latest/neurons", gw.base),
    ] {
        let (plain_headers, plain) = get(&url, None).await;
        assert!(plain_headers.get("content-encoding").is_none());
        assert_eq!(plain_headers.get("vary").map(|v| v.as_bytes()), Some(&b"accept-encoding"[..]));
        let neurons: serde_json::Value = serde_json::from_slice(&plain).expect("JSON");
        let block = neurons["block"]["number"].clone();

        let (headers, gzip) = compressed(&url, "gzip, deflate", "gzip").await;
        assert_eq!(headers.get("vary").map(|v| v.as_bytes()), Some(&b"accept-encoding"[..]));
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_end(&mut decoded).expect("gunzip");
        let same: serde_json::Value = serde_json::from_slice(&decoded).expect("JSON");
        if same["block"]["number"] == block {
            assert_eq!(decoded, plain, "gzip decodes to the plain answer");
        }
        assert!(gzip.len() * 4 <= plain.len(), "gzip {} of {} bytes", gzip.len(), plain.len());

        // (With 100 ms blocks, `latest` may be a newer block's answer by now.)
        let (headers, zstd) = compressed(&url, "gzip, deflate, br, zstd", "zstd").await;
        assert_eq!(headers.get("vary").map(|v| v.as_bytes()), Some(&b"accept-encoding"[..]));
        let decoded = zstd::stream::decode_all(&zstd[..]).expect("unzstd");
        assert!(serde_json::from_slice::<serde_json::Value>(&decoded).is_ok(), "zstd JSON");

        let (headers, body) = get(&url, Some("zstd;q=0, gzip;q=0")).await;
        assert!(headers.get("content-encoding").is_none(), "refused encodings are not used");
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    }
}
