//! Response cache for finalized blocks: data at a finalized block never changes, so a read's
//! serialized answer is kept by (route, netuid, block, item), bounded by total bytes (least
//! recently used out first), and concurrent misses for one key share a single chain read.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use lru::LruCache;
use tokio::sync::OnceCell;

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

struct Inner {
    entries: LruCache<Key, Arc<OnceCell<Bytes>>>,
    bytes: usize,
}

/// The cache.
pub struct ResponseCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
}

impl ResponseCache {
    /// A cache holding at most `max_bytes` of answers (0 disables caching).
    pub fn new(max_bytes: usize) -> Self {
        Self { inner: Mutex::new(Inner { entries: LruCache::unbounded(), bytes: 0 }), max_bytes }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached answer for `key`, or the result of `load` (run once for concurrent misses;
    /// a failure is not cached).
    pub async fn get_or_load<F>(&self, key: Key, load: F) -> Result<Bytes, ApiError>
    where
        F: Future<Output = Result<Vec<u8>, ApiError>>,
    {
        if self.max_bytes == 0 {
            return load.await.map(Bytes::from);
        }
        let cell = {
            let mut inner = self.lock();
            inner.entries.get_or_insert(key, || Arc::new(OnceCell::new())).clone()
        };
        let mut loaded = 0;
        let bytes = cell
            .get_or_try_init(|| async {
                let body = Bytes::from(load.await?);
                loaded = body.len();
                Ok::<_, ApiError>(body)
            })
            .await?
            .clone();
        if loaded > 0 {
            self.account(loaded);
        }
        Ok(bytes)
    }

    /// Adds `len` bytes and evicts least recently used answers beyond the bound.
    fn account(&self, len: usize) {
        let mut inner = self.lock();
        inner.bytes += len;
        while inner.bytes > self.max_bytes {
            let Some((_, cell)) = inner.entries.pop_lru() else { break };
            inner.bytes = inner.bytes.saturating_sub(cell.get().map_or(0, Bytes::len));
        }
    }

    /// The cached answer for `key`, if it is there (and loaded), without loading it.
    pub fn peek(&self, key: &Key) -> Option<Bytes> {
        let mut inner = self.lock();
        inner.entries.get(key).and_then(|cell| cell.get().cloned())
    }

    /// Drops every answer.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.bytes = 0;
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Answers held now.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
            assert_eq!(t.await.expect("task").expect("answer"), Bytes::from_static(b"answer"));
        }
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert_eq!(cache.bytes(), 6);
    }

    #[tokio::test]
    async fn failures_are_not_cached_and_the_byte_bound_evicts_oldest() {
        let cache = ResponseCache::new(10);
        let err = cache.get_or_load(key(1), async { Err(ApiError::not_found()) }).await;
        assert!(err.is_err());
        let ok = cache.get_or_load(key(1), async { Ok(b"12345".to_vec()) }).await;
        assert_eq!(ok.expect("answer").len(), 5);
        cache.get_or_load(key(2), async { Ok(b"67890".to_vec()) }).await.expect("answer");
        cache.get_or_load(key(3), async { Ok(b"abcde".to_vec()) }).await.expect("answer");
        assert!(cache.bytes() <= 10);
        let reloaded = AtomicUsize::new(0);
        cache
            .get_or_load(key(1), async {
                reloaded.fetch_add(1, Ordering::SeqCst);
                Ok(b"12345".to_vec())
            })
            .await
            .expect("answer");
        assert_eq!(reloaded.load(Ordering::SeqCst), 1, "the oldest answer was evicted");
    }
}
