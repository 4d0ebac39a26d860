//! The devnet's block chain: block production, finality, state at past blocks, pruning and
//! head notifications.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

use parity_scale_codec::{Compact, Decode, Encode};
use sp_crypto_hashing::blake2_256;
use tokio::sync::broadcast;

use super::metadata::BLOCK_HASH_COUNT;
use super::mirror::frame_system::{
    DispatchEventInfo, EventRecord, Phase, pallet::Event as SystemEvent,
};
use super::mirror::node_subtensor_runtime::{Runtime as R, RuntimeCall, RuntimeEvent};
use super::mirror::pallet_timestamp::pallet::Call as TimestampCall;
use super::mirror::primitive_types::H256;
use super::mirror::sp_core::crypto::AccountId32;
use super::mirror::sp_runtime::generic::digest::{Digest, DigestItem};
use super::mirror::sp_runtime::generic::header::Header as MirrorHeader;
use super::runtime_api::Runtime;
use super::state::World;
use super::storage::{self, Part, StorageMap};

/// A block header as subtensor encodes it (`u32` numbers, blake2-256 hashing).
pub type Header = MirrorHeader<u32, ()>;

/// How the chain runs.
#[derive(Clone, Debug)]
pub struct ChainConfig {
    /// Time between blocks.
    pub block_time: Duration,
    /// How many blocks the finalized head trails the best head.
    pub finality_lag: u32,
    /// Keep state only for the last N blocks (a lite node); `None` keeps all (an archive node).
    pub state_pruning: Option<u32>,
    /// `Timestamp.Now` of block 1 minus one block time, in unix milliseconds.
    pub genesis_timestamp_ms: u64,
    /// Which runtime to impersonate.
    pub runtime: super::metadata::RuntimeFlavor,
    /// Seed of the devnet's drand beacon key.
    pub drand_seed: u64,
}

/// One block: its header, body, events and the state after it.
#[derive(Debug)]
pub struct Block {
    /// The block number.
    pub number: u32,
    /// blake2_256 of the SCALE-encoded header.
    pub hash: H256,
    /// The header.
    pub header: Header,
    /// SCALE-encoded extrinsics (each with its length prefix).
    pub extrinsics: Vec<Vec<u8>>,
    /// `Timestamp.Now` in unix milliseconds (0 at genesis, as on a real chain).
    pub timestamp_ms: u64,
    /// The state after this block.
    pub world: Arc<World>,
    /// SCALE-encoded `System.Events`.
    pub events: Vec<u8>,
    /// The runtime in this block's state: what runtime calls and version queries at it use.
    pub runtime: Arc<Runtime>,
    overlay: OnceLock<StorageMap>,
}

/// Why state at a block cannot be read. `Display` is the database's wording (what storage
/// queries report); [`StateError::detail`] without the prefix (runtime calls report it as
/// "Api called for an unknown Block: …").
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StateError {
    /// No block with this hash.
    #[error("UnknownBlock: Header was not found in the database: {0:?}")]
    Unknown(H256),
    /// The block is older than the pruning window (the real lite-node message).
    #[error("UnknownBlock: State already discarded for {0:?}")]
    Discarded(H256),
}

impl StateError {
    /// The message without the `UnknownBlock: ` prefix.
    pub fn detail(&self) -> String {
        match self {
            StateError::Unknown(h) => format!("Header was not found in the database: {h:?}"),
            StateError::Discarded(h) => format!("State already discarded for {h:?}"),
        }
    }
}

/// Why a runtime upgrade was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UpgradeError {
    /// `System.set_code`'s check: the new spec version must be above the current one.
    #[error(
        "SpecVersionNeedsToIncrease: the runtime runs spec {current}; {requested} is not above it"
    )]
    SpecVersionNeedsToIncrease {
        /// The spec version the chain runs (or is about to, after a scheduled upgrade).
        current: u32,
        /// The spec version asked for.
        requested: u32,
    },
}

struct Inner {
    blocks: Vec<Arc<Block>>,
    by_hash: HashMap<H256, u32>,
    finalized: u32,
    /// Blocks below this number have had their state freed (`--state-pruning`).
    pruned_below: u32,
}

/// The chain: all blocks since genesis (each with its runtime), and head broadcasts.
pub struct Chain {
    inner: RwLock<Inner>,
    /// A runtime upgrade the next block enacts.
    upgrade: std::sync::Mutex<Option<Arc<Runtime>>>,
    config: ChainConfig,
    new_heads: broadcast::Sender<Arc<Block>>,
    finalized_heads: broadcast::Sender<Arc<Block>>,
    calls: std::sync::Mutex<HashMap<String, u64>>,
    pool: std::sync::Mutex<super::queue::Pool>,
    /// Marked on every change of the pool (a future transaction may have become ready).
    pool_changes: tokio::sync::watch::Sender<()>,
    beacon: pylon_timelock::Beacon,
    drand: pylon_timelock::Drand,
    /// The state pruned blocks point to.
    empty: Arc<World>,
}

impl Chain {
    /// A chain holding only the genesis block built from `world`.
    pub fn new(mut world: World, config: ChainConfig) -> Self {
        world.epoch_rule = config.runtime.epoch_rule();
        let world = Arc::new(world);
        let runtime = Arc::new(Runtime::with_flavor(
            config.runtime,
            config.block_time.as_millis().max(1) as u64,
        ));
        let contents = Contents { extrinsics: vec![], events: vec![], upgraded: false };
        let genesis = make_block(0, H256::default(), 0, contents, world, runtime, &config);
        let mut by_hash = HashMap::new();
        by_hash.insert(genesis.hash, 0);
        let (new_heads, _) = broadcast::channel(64);
        let (finalized_heads, _) = broadcast::channel(64);
        let beacon = pylon_timelock::Beacon::from_seed(config.drand_seed);
        let drand = pylon_timelock::Drand {
            public_key: beacon.public_key(),
            genesis: config.genesis_timestamp_ms / 1000,
            period: pylon_timelock::QUICKNET_PERIOD,
        };
        Self {
            beacon,
            drand,
            inner: RwLock::new(Inner {
                blocks: vec![Arc::new(genesis)],
                by_hash,
                finalized: 0,
                pruned_below: 0,
            }),
            empty: Arc::new(World::new(Default::default(), Default::default(), 0)),
            upgrade: Default::default(),
            config,
            new_heads,
            finalized_heads,
            calls: Default::default(),
            pool: Default::default(),
            pool_changes: tokio::sync::watch::Sender::new(()),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The runtime of the best block (the one new transactions are checked against).
    pub fn runtime(&self) -> Arc<Runtime> {
        self.best().runtime.clone()
    }

    /// Schedules a runtime upgrade to `spec_version` for the next block, as `System.set_code`
    /// enacts one: that block's header carries the `RuntimeEnvironmentUpdated` digest, its
    /// events `System.CodeUpdated`, and queries at it and later blocks see the new version, with
    /// the APIs and metadata of `flavor` when given (else the current ones). The version must
    /// rise, as `set_code` requires; the state is not migrated (epochs keep their rule).
    pub fn upgrade_runtime(
        &self,
        spec_version: u32,
        flavor: Option<super::metadata::RuntimeFlavor>,
    ) -> Result<(), UpgradeError> {
        let mut upgrade = self.upgrade.lock().unwrap_or_else(|e| e.into_inner());
        let newest = upgrade.clone().unwrap_or_else(|| self.runtime());
        let current = newest.version.spec_version;
        if spec_version <= current {
            return Err(UpgradeError::SpecVersionNeedsToIncrease {
                current,
                requested: spec_version,
            });
        }
        *upgrade = Some(Arc::new(newest.upgraded(spec_version, flavor)));
        Ok(())
    }

    /// The genesis block.
    pub fn genesis(&self) -> Arc<Block> {
        self.read().blocks[0].clone()
    }

    /// The best (newest) block.
    pub fn best(&self) -> Arc<Block> {
        self.read().blocks.last().cloned().unwrap_or_else(|| self.genesis())
    }

    /// The finalized head.
    pub fn finalized(&self) -> Arc<Block> {
        let inner = self.read();
        inner.blocks[inner.finalized as usize].clone()
    }

    /// The block with this number, if produced.
    pub fn by_number(&self, number: u64) -> Option<Arc<Block>> {
        self.read().blocks.get(usize::try_from(number).ok()?).cloned()
    }

    /// The block with this hash, if known.
    pub fn by_hash(&self, hash: &H256) -> Option<Arc<Block>> {
        let inner = self.read();
        inner.by_hash.get(hash).map(|&n| inner.blocks[n as usize].clone())
    }

    /// The block whose state a query at `at` reads (the best block when `None`), failing as a
    /// node does for unknown or pruned blocks.
    pub fn state_at(&self, at: Option<H256>) -> Result<Arc<Block>, StateError> {
        let block = match at {
            None => return Ok(self.best()),
            Some(hash) => self.by_hash(&hash).ok_or(StateError::Unknown(hash))?,
        };
        if let Some(keep) = self.config.state_pruning {
            let best = self.best().number;
            if block.number + keep < best {
                return Err(StateError::Discarded(block.hash));
            }
        }
        Ok(block)
    }

    /// Answers `state_call(method, data)` at `block`. Calls of the runtime's own methods are
    /// counted (for tests and diagnostics); unknown names are not, so the counter stays bounded.
    pub fn call(
        &self,
        block: &Block,
        method: &str,
        data: &[u8],
    ) -> Result<Arc<str>, super::runtime_api::CallError> {
        if block.runtime.knows(method) {
            tracing::debug!(target: "pylon::devnet::calls", method, "state_call");
            let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
            *calls.entry(method.to_string()).or_default() += 1;
        }
        let run = || {
            super::runtime_api::call(
                &block.runtime,
                &block.world,
                u64::from(block.number),
                method,
                data,
            )
        };
        // A bug in an answer must come back as the node's error, never as a dropped request.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|panic| {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(target: "pylon::devnet", method, detail, "a runtime call panicked");
            Err(super::runtime_api::CallError::Panicked(detail))
        })
    }

    /// How many `state_call`s of `method` were answered.
    pub fn call_count(&self, method: &str) -> u64 {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).get(method).copied().unwrap_or(0)
    }

    fn lock_pool(&self) -> std::sync::MutexGuard<'_, super::queue::Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The ready extrinsics waiting in the pool for the next block (a node's
    /// `author_pendingExtrinsics` lists its ready queue only).
    pub fn pending(&self) -> Vec<Vec<u8>> {
        let pool = self.lock_pool();
        let best = self.best();
        let ready = |t: &&super::pool::Submitted| pool.is_ready(t, best.world.nonce(&t.signer));
        pool.all().iter().filter(ready).map(|t| t.bytes.clone()).collect()
    }

    /// The account's next nonce counting its ready transactions in the pool, as
    /// `system_accountNextIndex` reports it.
    pub fn next_nonce(&self, account: &AccountId32) -> u32 {
        let pool = self.lock_pool();
        pool.next_nonce(account, self.best().world.nonce(account))
    }

    /// Where the transaction `hash` is now.
    pub fn tx_state(&self, hash: &H256) -> super::queue::TxState {
        use super::queue::TxState;
        let pool = self.lock_pool();
        match pool.find(hash) {
            Some(tx) if pool.is_ready(tx, self.best().world.nonce(&tx.signer)) => TxState::Ready,
            Some(_) => TxState::Future,
            None if pool.was_invalid(hash) => TxState::Invalid,
            None => TxState::Gone,
        }
    }

    /// Subscribes to changes of the pool.
    pub fn subscribe_pool(&self) -> tokio::sync::watch::Receiver<()> {
        self.pool_changes.subscribe()
    }

    /// Every storage entry whose value differs between the states after `from` and `to`, in
    /// key order (`None` for a removed entry).
    pub fn changes(&self, from: &Block, to: &Block) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        let mut out = Vec::new();
        storage::diff(from.overlay(), to.overlay(), &mut out);
        storage::diff(&self.block_hashes(from), &self.block_hashes(to), &mut out);
        if !Arc::ptr_eq(&from.world, &to.world) {
            let (a, b) = (&from.world, &to.world);
            storage::diff(&storage::world_storage(a), &storage::world_storage(b), &mut out);
            let empty = StorageMap::new();
            let netuids: std::collections::BTreeSet<u16> =
                a.subnets.keys().chain(b.subnets.keys()).copied().collect();
            for netuid in netuids {
                match (a.subnets.get(&netuid), b.subnets.get(&netuid)) {
                    (Some(x), Some(y)) if Arc::ptr_eq(x, y) => {}
                    (x, y) => {
                        let x = x.map(|s| storage::subnet_storage(s, a.epoch_rule));
                        let y = y.map(|s| storage::subnet_storage(s, b.epoch_rule));
                        storage::diff(
                            x.as_deref().unwrap_or(&empty),
                            y.as_deref().unwrap_or(&empty),
                            &mut out,
                        );
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Subscribes to new best blocks.
    pub fn subscribe_new_heads(&self) -> broadcast::Receiver<Arc<Block>> {
        self.new_heads.subscribe()
    }

    /// Subscribes to newly finalized blocks.
    pub fn subscribe_finalized(&self) -> broadcast::Receiver<Arc<Block>> {
        self.finalized_heads.subscribe()
    }

    /// Admits a signed extrinsic into the pool, and says whether it is ready (it goes into the
    /// next block) or waits in the future queue for the nonces before it.
    pub fn submit(
        &self,
        bytes: &[u8],
    ) -> Result<(super::pool::Submitted, bool), super::pool::PoolError> {
        let mut pool = self.lock_pool();
        let hash = H256(blake2_256(bytes));
        if pool.find(&hash).is_some() {
            return Err(super::pool::PoolError::AlreadyImported(hash));
        }
        let accepted = super::pool::admit(self, bytes, |who, nonce| pool.holds(who, nonce))?;
        pool.push(accepted.clone());
        let ready = pool.is_ready(&accepted, self.best().world.nonce(&accepted.signer));
        drop(pool);
        self.pool_changes.send_replace(());
        self.warn_if_never_revealed(&accepted);
        Ok((accepted, ready))
    }

    /// Logs, once per transaction, a timelocked commit (weights or commitment field) that the
    /// devnet's beacon will never open: encrypted to another drand network, e.g. quicknet, which
    /// the Python SDKs hard-code. The chain accepts it as finney would; it is just never revealed.
    fn warn_if_never_revealed(&self, tx: &super::pool::Submitted) {
        use super::mirror::pallet_commitments::{pallet::Call as C, types::Data};
        use super::mirror::pallet_subtensor::pallet::Call as S;
        let sealed: Vec<(Vec<u8>, u64)> = match &tx.call {
            RuntimeCall::SubtensorModule(
                S::commit_timelocked_weights { commit, reveal_round, .. }
                | S::commit_timelocked_mechanism_weights { commit, reveal_round, .. },
            ) => vec![(commit.0.clone(), *reveal_round)],
            RuntimeCall::Commitments(C::set_commitment { info, .. }) => info
                .fields
                .0
                .iter()
                .filter_map(|f| match f {
                    Data::TimelockEncrypted { encrypted, reveal_round } => {
                        Some((encrypted.clone(), *reveal_round))
                    }
                    _ => None,
                })
                .collect(),
            _ => return,
        };
        if sealed.is_empty() {
            return;
        }
        let (beacon, who, hash) = (self.beacon.clone(), tx.signer, tx.hash);
        let check = move || {
            for (ciphertext, round) in sealed {
                if pylon_timelock::decrypt(&ciphertext, &beacon.sign(round)).is_err() {
                    tracing::warn!(
                        target: "pylon::devnet",
                        extrinsic = %format!("0x{}", hex::encode(hash.0)),
                        signer = %super::keys::ss58(&who),
                        round,
                        "a timelocked commit can never be revealed on this devnet: it is not \
                         encrypted to the devnet's drand beacon (devnet_drandBeacon; the Python \
                         SDKs always encrypt to drand quicknet)"
                    );
                }
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => drop(rt.spawn_blocking(check)),
            Err(_) => check(),
        }
    }

    /// The devnet's drand network (its beacon's public key, genesis at block 0, quicknet's
    /// period): what a client encrypts commit-reveal commits to.
    pub fn drand(&self) -> &pylon_timelock::Drand {
        &self.drand
    }

    /// Stores due drand pulses and reveals due timelocked commits (`on_initialize`).
    fn initialize(
        &self,
        world: Arc<World>,
        number: u64,
        now_ms: u64,
    ) -> (Arc<World>, Vec<RuntimeEvent>) {
        let pulses_due = self.drand.round_at(now_ms / 1000) > world.last_stored_round;
        if !pulses_due && world.timelocked.is_empty() {
            return (world, Vec::new());
        }
        let mut next = world.successor();
        let stored =
            super::timelocked::store_pulses(&mut next, &self.beacon, &self.drand, now_ms / 1000);
        let (events, revealed) =
            super::timelocked::reveal(&mut next, number, |w, who, netuid, uids, values, key| {
                super::dispatch::apply_weights(w, who, netuid, uids, values, key, number)
            });
        let mut events = events;
        if stored {
            let opened = super::timelocked::reveal_commitments(&mut next, number);
            events.extend(opened);
        }
        if stored || revealed { (Arc::new(next), events) } else { (world, events) }
    }

    /// Produces the next block: runs due epochs, applies the timestamp inherent and the pooled
    /// extrinsics, links the header to its parent and advances finality.
    pub fn produce(&self) -> Arc<Block> {
        let parent = self.best();
        let number = parent.number + 1;
        let mut world = super::epoch::advance(&parent.world, u64::from(number));
        let now = self.config.genesis_timestamp_ms + u64::from(number) * self.block_time_ms();
        let inherent = RuntimeCall::Timestamp(TimestampCall::<R>::set { now });
        let mut extrinsics = vec![unsigned_extrinsic(&inherent)];
        let info = |call: &RuntimeCall, signed: bool| {
            let (weight, class, pays_fee) = super::fees::dispatch_info(call, signed);
            DispatchEventInfo { weight, class, pays_fee }
        };
        let record = |index: u32, event| EventRecord {
            phase: Phase::ApplyExtrinsic(index),
            event,
            topics: Vec::<H256>::new(),
        };
        let success = |call: &RuntimeCall, signed: bool| {
            RuntimeEvent::System(SystemEvent::<R>::ExtrinsicSuccess {
                dispatch_info: info(call, signed),
            })
        };
        let (initialized, mut init_events) = self.initialize(world, u64::from(number), now);
        world = initialized;
        let upgrade = self.upgrade.lock().unwrap_or_else(|e| e.into_inner()).take();
        if upgrade.is_some() {
            init_events.push(RuntimeEvent::System(SystemEvent::<R>::CodeUpdated));
        }
        let mut events: Vec<_> = init_events
            .into_iter()
            .map(|event| EventRecord {
                phase: Phase::Initialization,
                event,
                topics: Vec::<H256>::new(),
            })
            .collect();
        events.push(record(0, success(&inherent, false)));
        // Transactions stay in the pool until the block holding them is the best block, so
        // nonces never seem to go backwards while a block is built.
        let mut pooled = self.lock_pool().all().to_vec();
        let (mut included, mut invalid) = (Vec::new(), Vec::new());
        if !pooled.is_empty() {
            let mut next = world.successor();
            // As a block builder does, the earliest-arrived transaction whose nonce is the
            // signer's next one, again and again: a future one goes in right after the one
            // before it; one that never becomes next is left out (and dropped from the pool
            // below once stale).
            while let Some(at) = pooled.iter().position(|tx| tx.nonce == next.nonce(&tx.signer)) {
                let tx = pooled.remove(at);
                // Applying re-runs the transaction extension's checks on the state so far; a
                // transaction failing them is not included, and the pool drops it as invalid.
                // (The signer's later nonces cannot follow it into this block.)
                if super::pool::validate(&next, u64::from(number), &tx.signer, &tx.call).is_err() {
                    invalid.push(tx.hash);
                    continue;
                }
                included.push(tx.hash);
                let index = extrinsics.len() as u32;
                *next.nonces.entry(tx.signer).or_insert(0) += 1;
                // What `TransactionPayment` charged (nothing for the free subtensor calls).
                let fee = super::fees::query_info(&tx.bytes).map_or(0, |i| i.partial_fee);
                let paid = RuntimeEvent::TransactionPayment(
                    super::mirror::pallet_transaction_payment::pallet::Event::TransactionFeePaid {
                        who: tx.signer,
                        actual_fee: fee + tx.tip,
                        tip: tx.tip,
                    },
                );
                match super::dispatch::apply(&mut next, &tx.signer, &tx.call, u64::from(number)) {
                    Ok(emitted) => {
                        events.extend(emitted.into_iter().map(|e| record(index, e)));
                        events.push(record(index, paid));
                        events.push(record(index, success(&tx.call, true)));
                    }
                    Err(dispatch_error) => {
                        let failed = SystemEvent::<R>::ExtrinsicFailed {
                            dispatch_error,
                            dispatch_info: info(&tx.call, true),
                        };
                        events.push(record(index, paid));
                        events.push(record(index, RuntimeEvent::System(failed)));
                    }
                }
                extrinsics.push(tx.bytes);
            }
            world = Arc::new(next);
        }
        let contents = Contents { extrinsics, events, upgraded: upgrade.is_some() };
        let runtime = upgrade.unwrap_or_else(|| parent.runtime.clone());
        let block =
            Arc::new(make_block(number, parent.hash, now, contents, world, runtime, &self.config));
        let finalized = {
            // The pool's lock first, as admission takes it, so the best state and the pool
            // change together.
            let mut pool = self.lock_pool();
            let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
            pool.retain(|t| !included.contains(&t.hash) && t.nonce >= block.world.nonce(&t.signer));
            // Past their mortal era too (a future one never filled, typically).
            invalid.extend(pool.stale(u64::from(number)));
            pool.remove_invalid(&invalid);
            inner.by_hash.insert(block.hash, number);
            inner.blocks.push(block.clone());
            if let Some(keep) = self.config.state_pruning {
                // State older than the window is unreadable (see `state_at`): free it, keeping
                // headers, bodies and events, as a pruned node does.
                let below = number.saturating_sub(keep).saturating_sub(1);
                for n in inner.pruned_below.max(1)..below {
                    let old = &inner.blocks[n as usize];
                    inner.blocks[n as usize] = Arc::new(old.without_state(&self.empty));
                }
                inner.pruned_below = inner.pruned_below.max(below);
            }
            let target = number.saturating_sub(self.config.finality_lag);
            (target > inner.finalized).then(|| {
                inner.finalized = target;
                inner.blocks[target as usize].clone()
            })
        };
        // Included transactions left the pool (watchers of future ones look again).
        if !included.is_empty() || !invalid.is_empty() {
            self.pool_changes.send_replace(());
        }
        // Nobody listening is fine.
        let _ = self.new_heads.send(block.clone());
        if let Some(f) = finalized {
            let _ = self.finalized_heads.send(f);
        }
        block
    }

    fn block_time_ms(&self) -> u64 {
        self.config.block_time.as_millis().max(1) as u64
    }

    /// The value at `key` in the state after `block`.
    pub fn storage(&self, block: &Block, key: &[u8]) -> Option<Vec<u8>> {
        self.maps(block, key).into_iter().find_map(|m| m.get(key).cloned())
    }

    /// Up to `count` keys starting with `prefix`, after `start` if given, in order.
    pub fn keys_paged(
        &self,
        block: &Block,
        prefix: &[u8],
        count: usize,
        start: Option<&[u8]>,
    ) -> Vec<Vec<u8>> {
        use std::ops::Bound::{Excluded, Included};
        let lower = match start {
            Some(s) if s > prefix => Excluded(s.to_vec()),
            _ => Included(prefix.to_vec()),
        };
        let mut keys: Vec<Vec<u8>> = self
            .maps(block, prefix)
            .iter()
            .flat_map(|m| {
                m.range((lower.clone(), std::ops::Bound::Unbounded))
                    .map(|(k, _)| k)
                    .take_while(|k| k.starts_with(prefix))
                    .take(count)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        keys.sort();
        keys.dedup();
        keys.truncate(count);
        keys
    }

    /// `System.BlockHash` as it stands after `block`: genesis and the last `BlockHashCount`
    /// blocks before it.
    fn block_hashes(&self, block: &Block) -> StorageMap {
        let oldest = block.number.saturating_sub(BLOCK_HASH_COUNT);
        std::iter::once(0)
            .chain(oldest.max(1)..block.number)
            .filter(|&n| n < block.number)
            .filter_map(|n| {
                let hash = self.by_number(u64::from(n))?.hash;
                Some((storage::key("System", "BlockHash", &[Part::Twox(&n)]), hash.encode()))
            })
            .collect()
    }

    /// The storage maps of `block` that may hold keys starting with `prefix`.
    fn maps<'a>(&self, block: &'a Block, prefix: &[u8]) -> Vec<MapRef<'a>> {
        let mut maps = vec![
            MapRef::Borrowed(block.overlay()),
            MapRef::Shared(storage::world_storage(&block.world)),
        ];
        let hashes = storage::prefix("System", "BlockHash");
        if hashes.starts_with(prefix) || prefix.starts_with(&hashes) {
            maps.push(MapRef::Owned(self.block_hashes(block)));
        }
        maps.extend(
            block
                .world
                .subnets
                .values()
                .map(|s| MapRef::Shared(storage::subnet_storage(s, block.world.epoch_rule))),
        );
        maps
    }
}

enum MapRef<'a> {
    Borrowed(&'a StorageMap),
    Shared(Arc<StorageMap>),
    Owned(StorageMap),
}

impl std::ops::Deref for MapRef<'_> {
    type Target = StorageMap;
    fn deref(&self) -> &StorageMap {
        match self {
            MapRef::Borrowed(m) => m,
            MapRef::Shared(m) => m,
            MapRef::Owned(m) => m,
        }
    }
}

impl Block {
    /// This block with its state replaced by `empty` (headers and bodies stay).
    fn without_state(&self, empty: &Arc<World>) -> Block {
        Block {
            number: self.number,
            hash: self.hash,
            header: self.header.clone(),
            extrinsics: self.extrinsics.clone(),
            timestamp_ms: self.timestamp_ms,
            world: empty.clone(),
            events: self.events.clone(),
            runtime: self.runtime.clone(),
            overlay: OnceLock::new(),
        }
    }

    /// Storage that changes every block: number, parent hash, events, the timestamp and epoch
    /// counters (recent block hashes are derived when asked for, see `Chain::block_hashes`).
    fn overlay(&self) -> &StorageMap {
        self.overlay.get_or_init(|| {
            let mut map = StorageMap::new();
            let mut put = |pallet: &str, item: &str, parts: &[Part<'_>], value: Vec<u8>| {
                map.insert(storage::key(pallet, item, parts), value);
            };
            put("System", "Number", &[], self.number.encode());
            put("System", "ParentHash", &[], self.header.parent_hash.encode());
            put("System", "Digest", &[], self.header.digest.encode());
            put("System", "Events", &[], self.events.clone());
            let count = Compact::<u32>::decode(&mut &self.events[..]).map_or(0, |c| c.0);
            put("System", "EventCount", &[], count.encode());
            if self.number > 0 {
                put("Timestamp", "Now", &[], self.timestamp_ms.encode());
                let slot = self.header.digest.logs.iter().find_map(|l| match l {
                    DigestItem::PreRuntime([b'a', b'u', b'r', b'a'], data) => {
                        u64::decode(&mut &data[..]).ok()
                    }
                    _ => None,
                });
                put("Aura", "CurrentSlot", &[], slot.unwrap_or(0).encode());
            }
            for (netuid, subnet) in &self.world.subnets {
                let since =
                    subnet.blocks_since_last_step(self.world.epoch_rule, u64::from(self.number));
                put("SubtensorModule", "BlocksSinceLastStep", &[Part::Id(netuid)], since.encode());
            }
            map
        })
    }
}

/// An unsigned (inherent) extrinsic: `compact(len) ++ 0x04 ++ call`.
fn unsigned_extrinsic(call: &RuntimeCall) -> Vec<u8> {
    let mut body = vec![0x04];
    call.encode_to(&mut body);
    body.encode()
}

/// What a block holds besides its state.
struct Contents {
    extrinsics: Vec<Vec<u8>>,
    events: Vec<EventRecord<RuntimeEvent, H256>>,
    /// The block enacts a runtime upgrade (its header says so).
    upgraded: bool,
}

fn make_block(
    number: u32,
    parent_hash: H256,
    timestamp_ms: u64,
    Contents { extrinsics, events, upgraded }: Contents,
    world: Arc<World>,
    runtime: Arc<Runtime>,
    config: &ChainConfig,
) -> Block {
    let slot = timestamp_ms / config.block_time.as_millis().max(1) as u64;
    let mut logs =
        if number == 0 { vec![] } else { vec![DigestItem::PreRuntime(*b"aura", slot.encode())] };
    if upgraded {
        logs.push(DigestItem::RuntimeEnvironmentUpdated);
    }
    let extrinsics_root = H256(blake2_256(&extrinsics.encode()));
    // As a real chain's `:code`, the runtime is part of the state: a devnet serving other
    // metadata has another genesis hash, so a client's metadata cache keyed by genesis and spec
    // version (Pylon's CLI keeps one) never mixes two devnet builds up.
    let state = storage::state_root(&world, number, timestamp_ms);
    let state_root = H256(blake2_256(&(state, runtime.code_hash()).encode()));
    let header = Header {
        parent_hash,
        number,
        state_root,
        extrinsics_root,
        digest: Digest { logs },
        _hash: std::marker::PhantomData,
    };
    let hash = H256(blake2_256(&header.encode()));
    Block {
        number,
        hash,
        header,
        extrinsics,
        timestamp_ms: if number == 0 { 0 } else { timestamp_ms },
        world,
        events: events.encode(),
        runtime,
        overlay: OnceLock::new(),
    }
}
