//! `author_*`: transaction submission, watching and the pool's contents.

use std::sync::Arc;

use jsonrpsee::types::{ErrorObject, ErrorObjectOwned};
use jsonrpsee::{PendingSubscriptionSink, SubscriptionMessage};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::Module;
use super::params::{Args, RpcResult, hash_hex, to_hex};
use crate::chain::Block;
use crate::mirror::primitive_types::H256;
use crate::queue::TxState;

fn pool_error(e: crate::pool::PoolError) -> ErrorObjectOwned {
    let (code, message, data) = e.rpc();
    ErrorObject::owned(code, message, data)
}

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    m.register_blocking_method("author_submitExtrinsic", |p, chain, _| -> RpcResult<String> {
        let args = Args::new(&p, &["extrinsic"], 1)?;
        let bytes = args.bytes(0, "extrinsic")?.unwrap_or_default();
        let (accepted, _ready) = chain.submit(&bytes).map_err(pool_error)?;
        Ok(hash_hex(&accepted.hash))
    })?;
    m.register_method("author_pendingExtrinsics", |p, chain, _| -> RpcResult<Vec<String>> {
        Args::new(&p, &[], 0)?;
        Ok(chain.pending().iter().map(|x| to_hex(x)).collect())
    })?;
    m.register_subscription(
        "author_submitAndWatchExtrinsic",
        "author_extrinsicUpdate",
        "author_unwatchExtrinsic",
        |p, pending, chain, _| async move {
            let submitted = Args::new(&p, &["bytes"], 1)
                .and_then(|args| args.bytes(0, "extrinsic").map(Option::unwrap_or_default))
                .and_then(|bytes| {
                    // Subscribe before submitting so the including block cannot be missed.
                    let updates = Updates {
                        heads: chain.subscribe_new_heads(),
                        finalized: chain.subscribe_finalized(),
                        pool: chain.subscribe_pool(),
                    };
                    chain.submit(&bytes).map(|tx| (tx, updates)).map_err(pool_error)
                });
            match submitted {
                Err(e) => pending.reject(e).await,
                Ok(((tx, ready), updates)) => {
                    watch(pending, &chain, tx.hash, ready, updates).await;
                }
            }
        },
    )?;
    Ok(())
}

/// What a watcher follows, subscribed to before its transaction is submitted.
struct Updates {
    heads: broadcast::Receiver<Arc<Block>>,
    finalized: broadcast::Receiver<Arc<Block>>,
    pool: tokio::sync::watch::Receiver<()>,
}

/// Reports `future` (for a transaction waiting for the nonces before it) until it is ready,
/// then `ready`, `{"inBlock": hash}` and `{"finalized": hash}` — or `invalid` when the block
/// that applies it finds it invalid (it is then dropped) — as a node does.
async fn watch(
    pending: PendingSubscriptionSink,
    chain: &crate::chain::Chain,
    tx: H256,
    ready: bool,
    updates: Updates,
) {
    let Updates { mut heads, mut finalized, mut pool } = updates;
    let Ok(sink) = pending.accept().await else { return };
    let send = |value: Value| {
        let sink = sink.clone();
        async move {
            match serde_json::value::to_raw_value(&value) {
                Ok(raw) => sink.send(SubscriptionMessage::from(raw)).await.is_ok(),
                Err(_) => false,
            }
        }
    };
    if !ready {
        if !send(json!("future")).await {
            return;
        }
        // Until the transaction before it arrives (or it is already in a block, with it).
        while chain.tx_state(&tx) == TxState::Future {
            tokio::select! {
                changed = pool.changed() => if changed.is_err() { return },
                () = sink.closed() => return,
            }
        }
    }
    // A final status: the subscription ends with it, as a node ends it.
    let invalid = || async {
        let _ = send(json!("invalid")).await;
    };
    if chain.tx_state(&tx) == TxState::Invalid {
        // Its era ended in the future queue.
        return invalid().await;
    }
    if !send(json!("ready")).await {
        return;
    }
    let contains =
        |b: &Block| b.extrinsics.iter().any(|x| sp_crypto_hashing::blake2_256(x) == tx.0);
    let included = loop {
        tokio::select! {
            head = heads.recv() => match head {
                Ok(block) if contains(&block) => break block,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            changed = pool.changed() => {
                if changed.is_err() {
                    return;
                }
                if chain.tx_state(&tx) == TxState::Invalid {
                    return invalid().await;
                }
            }
        }
    };
    if !send(json!({ "inBlock": hash_hex(&included.hash) })).await {
        return;
    }
    loop {
        match finalized.recv().await {
            Ok(block) if block.number >= included.number => {
                let _ = send(json!({ "finalized": hash_hex(&included.hash) })).await;
                return;
            }
            Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
