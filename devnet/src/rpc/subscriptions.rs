//! Subscriptions: new, all and finalized heads; the runtime version; storage changes per block.

use std::collections::BTreeMap;
use std::sync::Arc;

use jsonrpsee::types::Params;
use jsonrpsee::{PendingSubscriptionSink, SubscriptionMessage, SubscriptionSink};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::Module;
use super::chain::header_json;
use super::params::{Args, hash_hex, to_hex};
use super::state::runtime_version_json;
use crate::chain::{Block, Chain};

/// Where a head subscription starts and what it follows.
type HeadSource = fn(&Chain) -> (Arc<Block>, broadcast::Receiver<Arc<Block>>);

pub(super) fn register(m: &mut Module) -> Result<(), jsonrpsee::core::RegisterMethodError> {
    let kinds: [(&str, &str, &str, HeadSource); 3] = [
        ("chain_subscribeNewHeads", "chain_newHead", "chain_unsubscribeNewHeads", |c| {
            (c.best(), c.subscribe_new_heads())
        }),
        ("chain_subscribeAllHeads", "chain_allHead", "chain_unsubscribeAllHeads", |c| {
            (c.best(), c.subscribe_new_heads())
        }),
        (
            "chain_subscribeFinalizedHeads",
            "chain_finalizedHead",
            "chain_unsubscribeFinalizedHeads",
            |c| (c.finalized(), c.subscribe_finalized()),
        ),
    ];
    for (subscribe, notification, unsubscribe, source) in kinds {
        m.register_subscription(
            subscribe,
            notification,
            unsubscribe,
            move |p, pending, chain, _| async move {
                follow(p, pending, &chain, source).await;
            },
        )?;
    }
    m.register_alias("chain_subscribeNewHead", "chain_subscribeNewHeads")?;
    m.register_alias("subscribe_newHead", "chain_subscribeNewHeads")?;
    m.register_alias("chain_unsubscribeNewHead", "chain_unsubscribeNewHeads")?;
    m.register_alias("unsubscribe_newHead", "chain_unsubscribeNewHeads")?;
    m.register_alias("chain_subscribeFinalisedHeads", "chain_subscribeFinalizedHeads")?;
    m.register_alias("chain_unsubscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads")?;
    m.register_subscription(
        "state_subscribeRuntimeVersion",
        "state_runtimeVersion",
        "state_unsubscribeRuntimeVersion",
        |p, pending, chain, _| async move {
            if let Err(e) = Args::new(&p, &[], 0) {
                pending.reject(e).await;
                return;
            }
            runtime_versions(pending, &chain).await;
        },
    )?;
    m.register_alias("chain_subscribeRuntimeVersion", "state_subscribeRuntimeVersion")?;
    m.register_alias("chain_unsubscribeRuntimeVersion", "state_unsubscribeRuntimeVersion")?;
    m.register_subscription(
        "state_subscribeStorage",
        "state_storage",
        "state_unsubscribeStorage",
        |p, pending, chain, _| async move {
            let keys = Args::new(&p, &["keys"], 0).and_then(|a| a.byte_list(0, "storage key"));
            match keys {
                Err(e) => pending.reject(e).await,
                Ok(keys) => storage_changes(pending, (*chain).clone(), keys).await,
            }
        },
    )?;
    Ok(())
}

async fn send(sink: &SubscriptionSink, value: &Value) -> bool {
    match serde_json::value::to_raw_value(value) {
        Ok(raw) => sink.send(SubscriptionMessage::from(raw)).await.is_ok(),
        Err(_) => false,
    }
}

/// Sends the best block's runtime version, then the new one each time a best block enacts a
/// runtime upgrade, until the client unsubscribes or leaves.
async fn runtime_versions(pending: PendingSubscriptionSink, chain: &Chain) {
    let mut rx = chain.subscribe_new_heads();
    let mut current = chain.runtime();
    let Ok(sink) = pending.accept().await else { return };
    if !send(&sink, &runtime_version_json(&current)).await {
        return;
    }
    loop {
        tokio::select! {
            _ = sink.closed() => return,
            next = rx.recv() => match next {
                Ok(block) => {
                    if Arc::ptr_eq(&block.runtime, &current) { continue; }
                    current = block.runtime.clone();
                    if !send(&sink, &runtime_version_json(&current)).await { return; }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let best = chain.runtime();
                    if Arc::ptr_eq(&best, &current) { continue; }
                    current = best;
                    if !send(&sink, &runtime_version_json(&current)).await { return; }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

/// Sends the current head, then every new one, until the client unsubscribes or leaves.
async fn follow(
    params: Params<'static>,
    pending: PendingSubscriptionSink,
    chain: &Chain,
    source: HeadSource,
) {
    if let Err(e) = Args::new(&params, &[], 0) {
        pending.reject(e).await;
        return;
    }
    let (current, mut rx) = source(chain);
    let Ok(sink) = pending.accept().await else { return };
    if !send(&sink, &header_json(&current)).await {
        return;
    }
    let mut last = current.number;
    loop {
        tokio::select! {
            _ = sink.closed() => return,
            next = rx.recv() => match next {
                Ok(block) => {
                    if block.number <= last && block.number != 0 { continue; }
                    last = block.number;
                    if !send(&sink, &header_json(&block)).await { return; }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

/// `state_subscribeStorage`: with keys, their current values first, then per new best block the
/// keys whose value changed; without keys, every change of every block.
async fn storage_changes(
    pending: PendingSubscriptionSink,
    chain: Arc<Chain>,
    keys: Option<Vec<Vec<u8>>>,
) {
    let mut heads = chain.subscribe_new_heads();
    let mut previous = chain.best();
    let Ok(sink) = pending.accept().await else { return };
    let notify = |block: &Block, changes: Vec<(Vec<u8>, Option<Vec<u8>>)>| {
        let changes: Vec<Value> =
            changes.iter().map(|(k, v)| json!([to_hex(k), v.as_deref().map(to_hex)])).collect();
        json!({ "block": hash_hex(&block.hash), "changes": changes })
    };
    let mut values: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
    if let Some(keys) = &keys {
        let chain = chain.clone();
        let (block, keys) = (previous.clone(), keys.clone());
        let Ok(current) = tokio::task::spawn_blocking(move || {
            keys.into_iter().map(|k| (k.clone(), chain.storage(&block, &k))).collect::<Vec<_>>()
        })
        .await
        else {
            return;
        };
        values.extend(current.iter().cloned());
        if !send(&sink, &notify(&previous, current)).await {
            return;
        }
    }
    loop {
        let block = tokio::select! {
            _ = sink.closed() => return,
            next = heads.recv() => match next {
                Ok(block) => block,
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        };
        let (from, to) = (previous.clone(), block.clone());
        let chain2 = chain.clone();
        let wanted = keys.clone();
        let known = std::mem::take(&mut values);
        let Ok((changes, known)) = tokio::task::spawn_blocking(move || match wanted {
            None => (chain2.changes(&from, &to), known),
            Some(keys) => {
                let mut known = known;
                let mut changes = Vec::new();
                for key in keys {
                    let now = chain2.storage(&to, &key);
                    if known.get(&key) != Some(&now) {
                        known.insert(key.clone(), now.clone());
                        changes.push((key, now));
                    }
                }
                (changes, known)
            }
        })
        .await
        else {
            return;
        };
        values = known;
        previous = block.clone();
        if !changes.is_empty() && !send(&sink, &notify(&block, changes)).await {
            return;
        }
    }
}
