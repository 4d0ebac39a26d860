//! Which chain the nodes serve: the genesis hash the main node reported, and a generation that
//! grows each time it changes (part of every cache key, so nothing of an old chain is served
//! for a new one).

use std::sync::atomic::{AtomicU64, Ordering};

/// Called with `(old genesis, new genesis)` when the main node's chain changes.
pub type SwapHook = Box<dyn Fn([u8; 32], [u8; 32]) + Send + Sync>;

/// Which chain the nodes serve: the genesis hash the main node reported, and a generation that
/// grows each time it changes.
#[derive(Default)]
pub struct Lineage {
    genesis: std::sync::Mutex<Option<[u8; 32]>>,
    generation: AtomicU64,
    changed: std::sync::Mutex<Option<([u8; 32], [u8; 32])>>,
    on_swap: std::sync::Mutex<Option<SwapHook>>,
}

impl Lineage {
    /// The genesis hash of the chain being served, once the main node has been reached.
    pub fn genesis(&self) -> Option<[u8; 32]> {
        *self.genesis.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many times the chain changed since start (part of every cache key).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// The last change, `(old, new)`, if the main node ever moved to another chain.
    pub fn changed(&self) -> Option<([u8; 32], [u8; 32])> {
        *self.changed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Calls `hook` on every change of chain (e.g. to drop caches and count it).
    pub fn on_swap(&self, hook: SwapHook) {
        *self.on_swap.lock().unwrap_or_else(|e| e.into_inner()) = Some(hook);
    }

    /// The main node reports `genesis`: adopt it, or start a new generation when it differs.
    pub(super) fn main_reports(&self, genesis: [u8; 32]) {
        let old = {
            let mut known = self.genesis.lock().unwrap_or_else(|e| e.into_inner());
            match *known {
                Some(old) if old != genesis => {
                    *known = Some(genesis);
                    Some(old)
                }
                Some(_) => None,
                None => {
                    *known = Some(genesis);
                    None
                }
            }
        };
        if let Some(old) = old {
            self.generation.fetch_add(1, Ordering::SeqCst);
            *self.changed.lock().unwrap_or_else(|e| e.into_inner()) = Some((old, genesis));
            tracing::error!(
                old = %hex::encode(old),
                new = %hex::encode(genesis),
                "the main node now serves another chain: its genesis changed; cached answers of the old chain are dropped"
            );
            if let Some(hook) = self.on_swap.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                hook(old, genesis);
            }
        }
    }
}
