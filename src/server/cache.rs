//! Response cache for finalized blocks: data at a finalized block never changes, so a read's
//! serialized answer is kept by (route, netuid, block, item, chain generation), bounded by total
//! bytes with exact accounting (moka with a weigher: an answer's size counts from insertion to
//! eviction, a failed load holds nothing), concurrent misses for one key share a single chain
//! read, and a finalized "not found" is remembered for a few seconds so repeated misses do not
//! reach the node.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use bytes::Bytes;

use super::encoding::Answer;
use super::error::ApiError;

/// What identifies one cached answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The route kind (e.g. `neurons`, `commitments_unstable`).
    pub route: &'static str,
    /// The subnet.
    pub netuid: u16,
    /// The finalized block number.
    pub block: u64,
    /// What within the route: a hotkey, or an extrinsic index ([`Key::index`]).
    pub item: Option<[u8; 32]>,
    /// The chain's generation ([`crate::chain::Lineage::generation`]): an answer of a chain the
    /// node no longer serves is never found.
    pub chain: u64,
}

impl Key {
    /// An index (e.g. an extrinsic's) as an item.
    pub fn index(i: u32) -> Option<[u8; 32]> {
        let mut item = [0u8; 32];
        item[..4].copy_from_slice(&i.to_le_bytes());
        Some(item)
    }
}

/// How long a finalized 404 is remembered.
pub const NOT_FOUND_TTL: Duration = Duration::from_secs(5);

/// The cache.
pub struct ResponseCache {
    answers: Option<moka::future::Cache<Key, Answer>>,
    not_found: moka::future::Cache<Key, ApiError>,
}

/// What an entry costs beyond its body (key, bookkeeping).
const OVERHEAD: usize = 128;

impl ResponseCache {
    /// A cache holding at most `max_bytes` of answers (0 disables caching).
    pub fn new(max_bytes: usize) -> Self {
        let answers = (max_bytes > 0).then(|| {
            moka::future::Cache::builder()
                // Least recently used out first. moka's default (TinyLFU) admits a new key only
                // if it is asked for more often than the entry it would evict: a new block's
                // answer never is, against the answers read thousands of times while they were
                // the latest.
                .eviction_policy(moka::policy::EvictionPolicy::lru())
                .max_capacity(max_bytes as u64)
                .weigher(|_: &Key, answer: &Answer| {
                    u32::try_from(answer.size() + OVERHEAD).unwrap_or(u32::MAX)
                })
                .build()
        });
        let not_found =
            moka::future::Cache::builder().max_capacity(10_000).time_to_live(NOT_FOUND_TTL).build();
        Self { answers, not_found }
    }

    /// The cached answer for `key`, or the result of `load` (run once for concurrent misses;
    /// a failure is not cached, except a 404 for a few seconds). A loaded answer is served and
    /// cached plain at once, then compressed once in the background and replaced by itself with
    /// its compressed variants (counted in the bound from then on).
    pub async fn get_or_load<F>(&self, key: Key, load: F) -> Result<Answer, ApiError>
    where
        F: Future<Output = Result<Vec<u8>, ApiError>>,
    {
        let Some(answers) = &self.answers else {
            return load.await.map(|body| Answer::plain(Bytes::from(body)));
        };
        if let Some(e) = self.not_found.get(&key).await {
            return Err(e);
        }
        let load = async {
            let answer = Answer::shrunk(load.await?);
            // At most a few compressions wait: each holds its plain body, outside the bound,
            // until done (under a flood of new answers the rest stay plain).
            if answer.wants_compression() && PENDING.fetch_add(1, Ordering::SeqCst) < MAX_PENDING {
                tokio::spawn(compress_later(answers.clone(), key, answer.plain.clone()));
            } else if answer.wants_compression() {
                PENDING.fetch_sub(1, Ordering::SeqCst);
            }
            Ok::<_, ApiError>(answer)
        };
        let loaded = answers.try_get_with(key, load).await;
        match loaded {
            Ok(answer) => Ok(answer),
            Err(e) => {
                let e = Arc::unwrap_or_clone(e);
                if e.status == StatusCode::NOT_FOUND {
                    self.not_found.insert(key, e.clone()).await;
                }
                Err(e)
            }
        }
    }

    /// The cached answer for `key`, if it is there, without loading it.
    pub fn peek(&self, key: &Key) -> Option<Answer> {
        self.answers.as_ref()?.get(key).now_or_never().flatten()
    }

    /// Drops every answer.
    pub fn clear(&self) {
        if let Some(answers) = &self.answers {
            answers.invalidate_all();
        }
        self.not_found.invalidate_all();
    }

    /// Bytes held now (bodies and their overhead), after pending evictions.
    pub async fn bytes(&self) -> u64 {
        match &self.answers {
            Some(a) => {
                a.run_pending_tasks().await;
                a.weighted_size()
            }
            None => 0,
        }
    }

    /// Answers held now.
    pub async fn entries(&self) -> u64 {
        match &self.answers {
            Some(a) => {
                a.run_pending_tasks().await;
                a.entry_count()
            }
            None => 0,
        }
    }
}

use subxt::ext::futures::FutureExt as _;

/// Compressions spawned and not finished ([`MAX_PENDING`] at most).
static PENDING: AtomicUsize = AtomicUsize::new(0);
/// How many compressions may wait for their turn.
const MAX_PENDING: usize = 8;

/// Compresses `plain` and puts the result in place of the plain answer cached under `key` —
/// only if that very answer is there (not evicted, not replaced). The load that spawned this
/// inserts the plain answer right after returning, long before a compression ends; should it
/// not be there yet, a few short waits follow.
async fn compress_later(answers: moka::future::Cache<Key, Answer>, key: Key, plain: Bytes) {
    use moka::ops::compute::Op;
    /// Counts this compression out of [`PENDING`] however it ends.
    struct Pending;
    impl Drop for Pending {
        fn drop(&mut self) {
            PENDING.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let _pending = Pending;
    let same = |a: &Answer| a.plain.as_ptr() == plain.as_ptr() && a.plain.len() == plain.len();
    // Not for an answer evicted meanwhile (its body would be compressed for nothing).
    let mut cached = false;
    for _ in 0..5 {
        if answers.get(&key).await.is_some_and(|a| same(&a)) {
            cached = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if !cached {
        return;
    }
    let compressed = Answer::compress(plain.clone()).await;
    for _ in 0..5 {
        let placed = std::sync::atomic::AtomicBool::new(false);
        answers
            .entry(key)
            .and_compute_with(|entry| {
                let op = match entry {
                    Some(e) if same(e.value()) => {
                        placed.store(true, std::sync::atomic::Ordering::SeqCst);
                        Op::Put(compressed.clone())
                    }
                    _ => Op::Nop,
                };
                std::future::ready(op)
            })
            .await;
        if placed.load(std::sync::atomic::Ordering::SeqCst) || answers.get(&key).await.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key(block: u64) -> Key {
        Key { route: "neurons", netuid: 1, block, item: None, chain: 0 }
    }

    #[tokio::test]
    async fn concurrent_misses_load_once_and_hits_do_not_load() {
        let cache = Arc::new(ResponseCache::new(1 << 20));
        let loads = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (cache, loads) = (cache.clone(), loads.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_load(key(7), async {
                            loads.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            Ok(b"answer".to_vec())
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(
                t.await.expect("task").expect("answer").plain,
                Bytes::from_static(b"answer")
            );
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert_eq!(cache.bytes().await, 6 + OVERHEAD as u64, "exact accounting");
        assert_eq!(cache.peek(&key(7)).map(|a| a.plain), Some(Bytes::from_static(b"answer")));
        // A large answer is served plain at once, then kept with its compressed variants, all
        // of them counted.
        let large = cache.get_or_load(key(8), async { Ok(vec![b'7'; 5000]) }).await;
        assert!(large.expect("answer").gzip.is_none(), "the first answer does not wait");
        let mut cached = cache.peek(&key(8)).expect("cached");
        for _ in 0..200 {
            if cached.gzip.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            cached = cache.peek(&key(8)).expect("cached");
        }
        assert!(cached.gzip.is_some() && cached.zstd.is_some(), "compressed once, soon after");
        assert_eq!(cached.plain.len(), 5000);
        let both = (6 + OVERHEAD + cached.size() + OVERHEAD) as u64;
        assert_eq!(cache.bytes().await, both, "exact accounting of every variant");
    }

    #[tokio::test]
    async fn failures_hold_nothing_and_the_byte_bound_holds() {
        let bound = 3 * (100 + OVERHEAD);
        let cache = ResponseCache::new(bound);
        let gateway_error = ApiError::new(StatusCode::BAD_GATEWAY, "node down");
        assert!(cache.get_or_load(key(1), async { Err(gateway_error) }).await.is_err());
        assert_eq!(cache.bytes().await, 0, "a failed load holds nothing");
        let ok = cache.get_or_load(key(1), async { Ok(vec![7; 100]) }).await;
        assert_eq!(ok.expect("answer").plain.len(), 100, "a 502 is not remembered");
        for block in 2..20 {
            cache.get_or_load(key(block), async { Ok(vec![7; 100]) }).await.expect("answer");
            assert!(cache.bytes().await <= bound as u64, "within the bound");
        }
    }

    /// `latest` moves to a new block every few seconds: the newest answer, asked for once so
    /// far, must displace the oldest ones however often those were read while they were the
    /// latest. (moka's default TinyLFU admission refused it against their hit counts once the
    /// cache was full, so every `latest` request read the chain again: 4.4k requests/s instead
    /// of 11k in `bench/gateway.sh` after about a minute.)
    #[tokio::test]
    async fn a_new_answer_displaces_old_ones_however_often_they_were_read() {
        let size = 1000;
        let cache = ResponseCache::new(8 * (size + OVERHEAD));
        let loads = AtomicUsize::new(0);
        for block in 1..40 {
            for _ in 0..50 {
                cache
                    .get_or_load(key(block), async {
                        loads.fetch_add(1, Ordering::SeqCst);
                        Ok(vec![1; size])
                    })
                    .await
                    .expect("answer");
            }
        }
        assert_eq!(loads.load(Ordering::SeqCst), 39, "each block read from the chain once");
        assert!(cache.peek(&key(39)).is_some() && cache.peek(&key(1)).is_none());
    }

    #[tokio::test]
    async fn a_finalized_not_found_is_remembered_briefly() {
        let cache = ResponseCache::new(1 << 20);
        let loads = AtomicUsize::new(0);
        for _ in 0..3 {
            let answer = cache
                .get_or_load(key(9), async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    Err(ApiError::new(StatusCode::NOT_FOUND, "Commitment not found."))
                })
                .await;
            assert_eq!(answer.unwrap_err().detail, "Commitment not found.");
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }
}
