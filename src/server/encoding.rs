//! Compressed answers: a cached answer is compressed once, right after it is cached (gzip and
//! zstd, off the async workers; until then it is served plain, so a new block's first answer
//! does not wait for its compression), and each request gets the variant its `Accept-Encoding`
//! asks for (zstd, else gzip, else plain), with `Vary: Accept-Encoding`. Small answers stay
//! plain.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use bytes::Bytes;

/// Answers shorter than this are not compressed (the headers would cost more than is saved).
pub const MIN_COMPRESSED: usize = 1024;

/// One answer in every encoding kept for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The JSON as is.
    pub plain: Bytes,
    /// gzip (level 6), when the answer is large enough.
    pub gzip: Option<Bytes>,
    /// zstd (level 3), when the answer is large enough.
    pub zstd: Option<Bytes>,
}

impl Answer {
    /// An answer kept plain only.
    pub fn plain(body: Bytes) -> Self {
        Self { plain: body, gzip: None, zstd: None }
    }

    /// An answer kept plain, without the serializer's spare capacity.
    pub fn shrunk(mut body: Vec<u8>) -> Self {
        body.shrink_to_fit();
        Self::plain(Bytes::from(body))
    }

    /// The answer with its compressed variants (CPU work: call it off the async workers).
    pub fn compressed(plain: Bytes) -> Self {
        if plain.len() < MIN_COMPRESSED {
            return Self::plain(plain);
        }
        let gzip = {
            use std::io::Write as _;
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(plain.len() / 4),
                flate2::Compression::default(),
            );
            // Writing into a Vec cannot fail.
            encoder.write_all(&plain).and_then(|_| encoder.finish()).ok()
        };
        let zstd = zstd_compress(&plain);
        let shrink = |mut v: Vec<u8>| {
            v.shrink_to_fit();
            Bytes::from(v)
        };
        Self { plain, gzip: gzip.map(shrink), zstd: zstd.map(shrink) }
    }

    /// [`Answer::compressed`] on the blocking pool, one answer at a time ([`COMPRESSING`]).
    pub async fn compress(plain: Bytes) -> Self {
        // The semaphore is never closed.
        let _turn = COMPRESSING.acquire().await.ok();
        crate::blocking::off_workers(move || Self::compressed(plain)).await
    }

    /// Whether compressed variants are worth making and not made yet.
    pub fn wants_compression(&self) -> bool {
        self.plain.len() >= MIN_COMPRESSED && self.gzip.is_none() && self.zstd.is_none()
    }

    /// Bytes held by every variant.
    pub fn size(&self) -> usize {
        self.plain.len()
            + self.gzip.as_ref().map_or(0, Bytes::len)
            + self.zstd.as_ref().map_or(0, Bytes::len)
    }
}

/// One zstd context for the process (a context holds ~1 MB of tables; a new one per answer
/// cost that much again on every compressing thread). Compressions take turns
/// ([`COMPRESSING`]), so it is never contended for long.
static ZSTD: std::sync::LazyLock<std::sync::Mutex<Option<zstd::bulk::Compressor<'static>>>> =
    std::sync::LazyLock::new(Default::default);

/// Answers compressed at once: one, on the blocking pool — a new answer is compressed in ~2 ms,
/// far more often than answers change, and each compression in flight holds its buffers.
static COMPRESSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

fn zstd_compress(body: &[u8]) -> Option<Vec<u8>> {
    let mut context = ZSTD.lock().unwrap_or_else(|e| e.into_inner());
    if context.is_none() {
        *context = zstd::bulk::Compressor::new(3).ok();
    }
    context.as_mut()?.compress(body).ok()
}

/// The encodings a client accepts, from its `Accept-Encoding` (a q-value of 0 refuses one):
/// (zstd, gzip).
pub fn accepts(headers: &HeaderMap) -> (bool, bool) {
    let (mut zstd, mut gzip) = (false, false);
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
            });
            match name.as_str() {
                "zstd" => zstd = !refused,
                "gzip" | "x-gzip" => gzip = !refused,
                "*" if !refused => {
                    zstd = true;
                    gzip = true;
                }
                _ => {}
            }
        }
    }
    (zstd, gzip)
}

/// Serves a response that carries an [`Answer`] in the encoding the request accepts (`accepted`
/// from [`accepts`]).
pub fn encode(mut response: Response, (zstd, gzip): (bool, bool)) -> Response {
    let Some(answer) = response.extensions_mut().remove::<Answer>() else { return response };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let chosen = match (&answer.zstd, &answer.gzip) {
        (Some(z), _) if zstd => Some(("zstd", z.clone())),
        (_, Some(g)) if gzip => Some(("gzip", g.clone())),
        _ => None,
    };
    if let Some((name, body)) = chosen {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        headers.remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(body);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn accept_encoding_is_read_with_q_values() {
        assert_eq!(accepts(&headers("gzip, deflate")), (false, true));
        assert_eq!(accepts(&headers("gzip, deflate, br, zstd")), (true, true));
        assert_eq!(accepts(&headers("zstd;q=0, gzip;q=0.5")), (false, true));
        assert_eq!(accepts(&headers("*")), (true, true));
        assert_eq!(accepts(&headers("identity")), (false, false));
        assert_eq!(accepts(&HeaderMap::new()), (false, false));
    }

    #[test]
    fn large_answers_get_variants_that_decode_to_them_and_small_ones_stay_plain() {
        let body: Vec<u8> = br#"{"neurons":["#.iter().chain(&[b'7'; 4000]).copied().collect();
        let answer = Answer::compressed(Bytes::from(body.clone()));
        let gzip = answer.gzip.clone().expect("gzip");
        let mut out = Vec::new();
        use std::io::Read as _;
        flate2::read::GzDecoder::new(&gzip[..]).read_to_end(&mut out).expect("gunzip");
        assert_eq!(out, body);
        let zstd = answer.zstd.clone().expect("zstd");
        assert_eq!(zstd::bulk::decompress(&zstd, body.len()).expect("unzstd"), body);
        assert_eq!(answer.size(), body.len() + gzip.len() + zstd.len());
        assert_eq!(
            Answer::compressed(Bytes::from_static(b"{}")),
            Answer::plain(Bytes::from_static(b"{}"))
        );
    }
}
