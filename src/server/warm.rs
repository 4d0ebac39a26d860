//! Warm `latest`: the answers requested at `latest` within the last `PYLON_WARM_LATEST_SECONDS`
//! (at most [`MAX_WARM`] of them) are computed for each new finalized head before anyone asks;
//! a request arriving meanwhile joins that computation (the cache loads each key once).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use subxt::ext::futures::future::BoxFuture;

use super::AppState;
use super::error::ApiError;
use crate::chain::BlockAt;

/// How one route computes its JSON answer at a block.
pub type Load = Arc<
    dyn Fn(Arc<AppState>, BlockAt) -> BoxFuture<'static, Result<Vec<u8>, ApiError>> + Send + Sync,
>;

/// (route, netuid, item) of a `latest` answer.
pub type WarmKey = (&'static str, u16, Option<[u8; 32]>);

/// The most answers kept warm; the least recently requested goes first.
pub const MAX_WARM: usize = 256;

/// What was asked for at `latest`, when last, and how to compute it.
#[derive(Default)]
pub struct Warm {
    entries: Mutex<HashMap<WarmKey, (Instant, Load)>>,
}

impl Warm {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<WarmKey, (Instant, Load)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes a request for `key` at `latest` (`load` is made only for a new key).
    pub fn note(&self, key: WarmKey, load: impl FnOnce() -> Load) {
        let mut entries = self.lock();
        let now = Instant::now();
        match entries.get_mut(&key) {
            Some(entry) => entry.0 = now,
            None => {
                if entries.len() >= MAX_WARM
                    && let Some(oldest) =
                        entries.iter().min_by_key(|(_, (t, _))| *t).map(|(k, _)| *k)
                {
                    entries.remove(&oldest);
                }
                entries.insert(key, (now, load()));
            }
        }
    }

    /// The answers requested within `window`; older ones are forgotten.
    fn due(&self, window: Duration) -> Vec<(WarmKey, Load)> {
        let mut entries = self.lock();
        entries.retain(|_, (t, _)| t.elapsed() <= window);
        entries.iter().map(|(k, (_, load))| (*k, load.clone())).collect()
    }

    /// On each new finalized head, starts computing every due answer at it (until the head
    /// channel closes). Does nothing when the window is zero.
    pub async fn run(state: Arc<AppState>) {
        let window = state.config.warm_latest;
        if window.is_zero() {
            return;
        }
        let mut heads = state.head.clone();
        while heads.changed().await.is_ok() {
            let Some(head) = *heads.borrow_and_update() else { continue };
            for ((route, netuid, item), load) in state.warm.due(window) {
                let fut = load(state.clone(), BlockAt::Number(head.number));
                // Joined by any request for the same answer; the result lands in the cache.
                drop(state.load_latest(route, netuid, item, head.number, fut));
            }
        }
    }
}
