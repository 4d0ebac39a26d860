//! The transaction pool's queues: admitted transactions, ready or waiting in the future queue
//! for the nonces before them, and the ones lately dropped as invalid.

use super::mirror::primitive_types::H256;
use super::mirror::sp_core::crypto::AccountId32;
use super::pool::Submitted;

/// The transactions waiting for a block, in arrival order. As in substrate's pool, one is
/// *ready* when its nonce is the signer's next (its nonce at the best block, then each pooled
/// nonce that follows without a gap) and waits in the *future* queue otherwise: subtensor's
/// `CheckNonce` validates a nonce above the account's with a `requires` tag on the one before
/// rather than refusing it, so it becomes ready when that one arrives.
#[derive(Default)]
pub struct Pool {
    txs: Vec<Submitted>,
    /// The latest transactions dropped as invalid, by a block that applied them or by the end
    /// of their era (at most [`INVALID_KEPT`]), so that their watchers can say so.
    invalid: std::collections::VecDeque<H256>,
}

/// How many invalidated transactions the pool remembers.
const INVALID_KEPT: usize = 1024;

/// Where a submitted transaction is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxState {
    /// Waiting for the nonces before it.
    Future,
    /// Ready for the next block.
    Ready,
    /// Dropped as invalid: a block applying it found it so, or its era ended in the pool.
    Invalid,
    /// No longer pooled: included in a block (or stale).
    Gone,
}

impl Pool {
    /// The signer's next nonce: `state` (its nonce at the best block), past every pooled
    /// transaction of its that follows without a gap (what `system_accountNextIndex` answers).
    pub fn next_nonce(&self, signer: &AccountId32, state: u32) -> u32 {
        let mut next = state;
        while self.holds(signer, next) {
            next += 1;
        }
        next
    }

    /// Whether a transaction of `signer` with `nonce` is pooled.
    pub fn holds(&self, signer: &AccountId32, nonce: u32) -> bool {
        self.txs.iter().any(|t| t.signer == *signer && t.nonce == nonce)
    }

    /// The pooled transaction with this hash.
    pub fn find(&self, hash: &H256) -> Option<&Submitted> {
        self.txs.iter().find(|t| t.hash == *hash)
    }

    /// Whether `tx` is ready, given `state`, its signer's nonce at the best block.
    pub fn is_ready(&self, tx: &Submitted, state: u32) -> bool {
        tx.nonce < self.next_nonce(&tx.signer, state)
    }

    /// Every pooled transaction, in arrival order.
    pub fn all(&self) -> &[Submitted] {
        &self.txs
    }

    /// Adds an admitted transaction.
    pub fn push(&mut self, tx: Submitted) {
        self.txs.push(tx);
    }

    /// Removes `roots` as invalid and, as substrate's pool removes an invalid transaction's
    /// subtree, the same signer's transactions with the nonces right after each (they could
    /// only come after it); all are remembered as invalid, so that their watchers say so.
    pub fn remove_invalid(&mut self, roots: &[H256]) {
        let mut gone = Vec::new();
        for root in roots {
            let Some(tx) = self.find(root) else { continue };
            let (signer, mut nonce) = (tx.signer, tx.nonce);
            gone.push(*root);
            while let Some(next) =
                self.txs.iter().find(|t| t.signer == signer && t.nonce == nonce + 1)
            {
                gone.push(next.hash);
                nonce += 1;
            }
        }
        self.txs.retain(|t| !gone.contains(&t.hash));
        self.note_invalid(&gone);
    }

    /// The transactions no longer valid in block `number` by their mortal era (a node drops
    /// them one block before the era's end).
    pub fn stale(&self, number: u64) -> Vec<H256> {
        let over = |t: &&Submitted| t.death.is_some_and(|death| number + 1 >= death);
        self.txs.iter().filter(over).map(|t| t.hash).collect()
    }

    fn note_invalid(&mut self, hashes: &[H256]) {
        for hash in hashes {
            if self.invalid.len() == INVALID_KEPT {
                self.invalid.pop_front();
            }
            self.invalid.push_back(*hash);
        }
    }

    /// Whether `hash` was dropped as invalid (one of the latest [`INVALID_KEPT`]).
    pub fn was_invalid(&self, hash: &H256) -> bool {
        self.invalid.contains(hash)
    }

    /// Keeps the transactions `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Submitted) -> bool) {
        self.txs.retain(keep);
    }
}
