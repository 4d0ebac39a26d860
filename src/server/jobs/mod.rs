//! The ApplyWeights job behind `PUT .../weights`: persisted in the job store (SQLite, or
//! PostgreSQL shared by replicas), superseded by a newer PUT of the same identity and
//! mechanism, attempted with back-off until it succeeds or the epoch it started in ends,
//! resumed after a restart (or by another replica) without submitting twice. At shutdown a job
//! that is waiting is left for the next start; one whose submission is out is seen through.

mod failure;
pub mod lead;
mod postgres;
mod sqlite;
pub mod store;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use failure::{AttemptFailed, some_of};
use store::{Fence, Job, Status, Store, StoreError};

use super::AppState;
use crate::chain::{BlockAt, commit_reveal, reads};
use crate::weights::Target;
use crate::writes::epoch::Epoch;
use crate::writes::plan::{Blocker, Plan};
use crate::writes::{calls, crv4};

/// Limit of one attempt (as the Python Pylon's shielded timeout).
const ATTEMPT_LIMIT: Duration = Duration::from_secs(120);
/// Wait before a job's first attempt, so a burst of PUTs collapses into one submission.
const SETTLE: Duration = Duration::from_millis(250);

/// One turn-taking lock per (identity, mechanism).
type Locks = Mutex<HashMap<(String, u8), Arc<tokio::sync::Mutex<()>>>>;

/// The job store and one lock per (identity, mechanism), so a superseded job never submits
/// after its successor was scheduled; with a shared store, the leases this replica holds.
pub struct Jobs {
    /// The database.
    pub store: Store,
    locks: Locks,
    /// Cancelled at shutdown.
    stop: tokio_util::sync::CancellationToken,
    /// Every running job's task.
    tasks: tokio_util::task::TaskTracker,
    /// The SQLite file, locked for this process (none for a shared store).
    _held: Option<std::fs::File>,
    /// This replica's name in leases.
    pub holder: String,
    /// A lease's lifetime without renewal.
    pub lease_ttl: Duration,
    /// How often leases are renewed.
    pub lease_renew: Duration,
    /// The leases held, by (identity, mechanism).
    fences: Mutex<HashMap<(String, u8), Fence>>,
    /// The jobs running in this process.
    local: Mutex<std::collections::HashSet<i64>>,
}

impl Jobs {
    /// Opens the job store: PostgreSQL at `url` when given (shared by replicas; connected and
    /// migrated by [`Store::prepare`]), else the SQLite file at `path`, which this process
    /// then holds.
    pub fn open(
        path: &std::path::Path,
        url: Option<&str>,
        (lease_ttl, lease_renew): (Duration, Duration),
    ) -> anyhow::Result<Self> {
        let (store, held) = match url {
            Some(url) => (Store::postgres(url)?, None),
            None => {
                let store = Store::sqlite(path)?;
                // One process per job file: two would run the same jobs side by side. An
                // advisory lock on the file (independent of SQLite's own locks), released when
                // the process ends.
                let file = std::fs::OpenOptions::new().read(true).write(true).open(path)?;
                match file.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(StoreInUse { path: path.display().to_string() }.into());
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
                }
                (store, Some(file))
            }
        };
        let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        let nonce = std::hash::BuildHasher::hash_one(
            &std::collections::hash_map::RandomState::new(),
            std::time::SystemTime::now(),
        );
        let holder = format!("{}:{}:{:08x}", host.trim(), std::process::id(), nonce as u32);
        Ok(Self {
            store,
            locks: Mutex::default(),
            stop: Default::default(),
            tasks: Default::default(),
            _held: held,
            holder,
            lease_ttl,
            lease_renew,
            fences: Mutex::default(),
            local: Mutex::default(),
        })
    }

    /// The lease this replica holds on (identity, mechanism), if any (always one with a
    /// store of one process).
    fn fence(&self, identity: &str, mechanism: u8) -> Option<Fence> {
        let fences = self.fences.lock().unwrap_or_else(|e| e.into_inner());
        fences.get(&(identity.to_string(), mechanism)).cloned()
    }

    /// The (identity, mechanism) pairs whose lease this replica holds.
    fn held(&self) -> Vec<(String, u8)> {
        self.fences.lock().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect()
    }

    /// Records the lease held on (identity, mechanism), or its loss (`None`); true when it was
    /// newly taken.
    fn set_fence(&self, identity: &str, mechanism: u8, fence: Option<Fence>) -> bool {
        let mut fences = self.fences.lock().unwrap_or_else(|e| e.into_inner());
        let key = (identity.to_string(), mechanism);
        match fence {
            Some(f) => fences.insert(key, f.clone()).is_none_or(|old| old != f),
            None => {
                fences.remove(&key);
                false
            }
        }
    }

    /// Tells every job to stop: a job between attempts stops at once and stays `running` in
    /// the store (the next start resumes it); one whose submission is out waits for it.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Stops the jobs and waits (at most `bound`) until their tasks ended; false when some
    /// submission was still waiting for finalization (its job resumes at the next start and
    /// finds it on chain instead of sending it again).
    pub async fn shutdown(&self, bound: Duration) -> bool {
        self.stop();
        self.tasks.close();
        tokio::time::timeout(bound, self.tasks.wait()).await.is_ok()
    }

    fn lock_for(&self, identity: &str, mechanism: u8) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry((identity.to_string(), mechanism)).or_default().clone()
    }
}

/// The job store is held by another process.
#[derive(Debug, thiserror::Error)]
#[error(
    "the job store {path} is in use by another pylon serve: one process per job store \
     (stop the other one, or give this one its own PYLON_DATABASE_PATH)"
)]
pub struct StoreInUse {
    /// The database file.
    pub path: String,
}

/// How an attempt ended without an error.
enum Done {
    Submitted(String),
    AlreadyOnChain,
    Expired,
    Superseded,
    /// Shutting down before a submission went out: left `running` for the next start.
    Stopped,
    /// Another replica took the lease before a submission went out: it runs the job.
    LostLease,
}

/// Stores a new job (superseding the identity's running one) and starts it.
pub async fn schedule(
    state: &Arc<AppState>,
    identity: &str,
    hotkey: &str,
    netuid: u16,
    mechanism: u8,
    weights: BTreeMap<String, f64>,
) -> Result<(), StoreError> {
    let id = state.jobs.store.schedule(identity, hotkey, netuid, mechanism, &weights).await?;
    if !state.jobs.store.is_shared() {
        spawn(state, id);
        return Ok(());
    }
    // A shared store: this replica runs it if it holds (or can take) the lease; else the
    // holder's next round finds it.
    if lead::claim(state, identity, mechanism).await? {
        spawn(state, id);
    }
    Ok(())
}

/// Runs job `id` in this process unless it already runs here.
fn spawn(state: &Arc<AppState>, id: i64) {
    let mut local = state.jobs.local.lock().unwrap_or_else(|e| e.into_inner());
    if local.insert(id) {
        state.jobs.tasks.spawn(run(state.clone(), id));
    }
}

/// At start: cancels running jobs whose identity is gone or changed, and resumes the newest
/// running job of each (identity, mechanism) with its stored start block.
pub async fn resume(state: &Arc<AppState>) -> Result<usize, StoreError> {
    let store = &state.jobs.store;
    let cancel = |id: i64| store.finish(id, Status::Cancelled, None);
    let mut newest: BTreeMap<(String, u8), Job> = BTreeMap::new();
    for job in store.running().await? {
        let current = state.config.identities.get(&job.identity);
        let hotkey = match current {
            Some(_) => {
                state.identity_key(&job.identity).await.ok().map(|k| crate::ss58::encode(&k))
            }
            None => None,
        };
        if current.map(|i| i.netuid) != Some(job.netuid) || hotkey.as_deref() != Some(&job.hotkey) {
            cancel(job.id).await?;
            continue;
        }
        if let Some(older) = newest.insert((job.identity.clone(), job.mechanism), job) {
            cancel(older.id).await?;
        }
    }
    if store.is_shared() {
        // The replica holding each lease runs its jobs ([`lead::run`]).
        return Ok(0);
    }
    for job in newest.values() {
        tracing::info!(job = job.id, identity = %job.identity, "resuming a weights job");
        spawn(state, job.id);
    }
    Ok(newest.len())
}

async fn run(state: Arc<AppState>, id: i64) {
    /// Forgets the job as running here when its task ends, however it ends.
    struct Local(Arc<AppState>, i64);
    impl Drop for Local {
        fn drop(&mut self) {
            self.0.jobs.local.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.1);
        }
    }
    let _local = Local(state.clone(), id);
    let started = Instant::now();
    let Ok(Some(job)) = state.jobs.store.get(id).await else { return };
    let submitting = AtomicBool::new(false);
    let work = attempts(&state, &job, &submitting);
    tokio::pin!(work);
    let outcome = tokio::select! {
        outcome = &mut work => outcome,
        () = state.jobs.stop.cancelled() => {
            if submitting.load(Ordering::SeqCst) {
                // A submission is out: see it through (the shutdown bounds the wait).
                tracing::info!(job = id, "shutting down: waiting for the weights submission");
                work.await
            } else {
                Ok(Done::Stopped)
            }
        }
    };
    let status = match outcome {
        Ok(Done::Submitted(_) | Done::AlreadyOnChain) => "success",
        Ok(Done::Superseded) => "cancelled",
        Ok(Done::Expired) => "expired",
        Ok(Done::Stopped) => {
            tracing::info!(job = id, "shutting down: the weights job resumes at the next start");
            return;
        }
        Ok(Done::LostLease) => {
            tracing::warn!(
                job = id,
                "another replica leads this identity now: it takes the job over"
            );
            return;
        }
        Err(e) => {
            tracing::error!(job = id, error = %e, "weights job failed");
            let _ = state.jobs.store.finish(id, Status::Failed, None).await;
            "error"
        }
    };
    let netuid = job.netuid.to_string();
    state
        .metrics
        .apply_job
        .with_label_values(&["run_job", status, &netuid, &job.hotkey])
        .observe(started.elapsed().as_secs_f64());
}

/// Attempts `job` (through the shared retry loop) until it succeeds, is superseded, expires or
/// runs out of attempts.
async fn attempts(
    state: &Arc<AppState>,
    job: &Job,
    submitting: &AtomicBool,
) -> Result<Done, String> {
    let policy = state.config.weights_retry;
    let wanted: BTreeMap<Target, f64> =
        job.weights.iter().map(|(k, w)| (Target::Hotkey(k.clone()), *w)).collect();
    let epoch = Mutex::new(None);
    let store = &state.jobs.store;
    let outcome = crate::retry::retry(&policy, |attempt| {
        let (wanted, epoch) = (&wanted, &epoch);
        async move {
            if attempt == 0 {
                tokio::time::sleep(SETTLE).await;
            }
            if state.jobs.stop.is_cancelled() {
                return Ok(Done::Stopped);
            }
            let lock = state.jobs.lock_for(&job.identity, job.mechanism);
            let _turn = lock.lock().await;
            let t0 = Instant::now();
            let one = once(state, job, wanted, epoch, submitting);
            let outcome = tokio::time::timeout(ATTEMPT_LIMIT, one).await.unwrap_or_else(|_| {
                Err(AttemptFailed::transient(format!(
                    "the attempt took over {} s",
                    ATTEMPT_LIMIT.as_secs()
                )))
            });
            if outcome.is_err() {
                // Nothing is out any more (a success keeps the flag until it is recorded).
                submitting.store(false, Ordering::SeqCst);
            }
            let label = if outcome.is_ok() { "success" } else { "error" };
            let netuid = job.netuid.to_string();
            state
                .metrics
                .apply_attempt
                .with_label_values(&["_apply_weights", label, &netuid, &job.hotkey])
                .observe(t0.elapsed().as_secs_f64());
            if let Err(e) = &outcome {
                let (error, permanent) = (e.reason.clone(), e.permanent);
                tracing::error!(job = job.id, attempt, error, permanent, "weights attempt failed");
                if let Err(store_error) = store.record_attempt(job.id, &error).await {
                    tracing::error!(job = job.id, error = %store_error, "cannot record the attempt");
                }
            }
            outcome
        }
    })
    .await;
    let id = job.id;
    let finish = |status, hash: Option<String>| async move {
        store.finish(id, status, hash.as_deref()).await.map_err(|e| e.to_string())
    };
    match outcome {
        Ok(Done::Submitted(hash)) => {
            finish(Status::Succeeded, Some(hash.clone())).await?;
            tracing::info!(job = job.id, block = %hash, "weights set");
            Ok(Done::Submitted(hash))
        }
        Ok(Done::AlreadyOnChain) => {
            finish(Status::Succeeded, None).await?;
            Ok(Done::AlreadyOnChain)
        }
        Ok(Done::Expired) => {
            finish(Status::Expired, None).await?;
            tracing::warn!(job = job.id, "weights job expired with its epoch");
            Ok(Done::Expired)
        }
        Ok(done @ (Done::Superseded | Done::Stopped | Done::LostLease)) => Ok(done),
        Err(AttemptFailed { reason, permanent: true }) => {
            Err(format!("it cannot succeed by retrying: {reason}"))
        }
        Err(AttemptFailed { reason, permanent: false }) => {
            Err(format!("{} attempts failed; the last: {reason}", policy.attempts.max(1)))
        }
    }
}

/// One attempt: plan at the head, skip when superseded, expired or already on chain, else
/// submit `set_mechanism_weights` and wait for finalization.
async fn once(
    state: &Arc<AppState>,
    job: &Job,
    wanted: &BTreeMap<Target, f64>,
    epoch: &Mutex<Option<Epoch>>,
    submitting: &AtomicBool,
) -> Result<Done, AttemptFailed> {
    let (store, id) = (&state.jobs.store, job.id);
    let row = store.get(id).await.map_err(AttemptFailed::transient)?;
    if row.as_ref().map(|r| r.status) != Some(Status::Running) {
        return Ok(Done::Superseded);
    }
    let submitter =
        state.submitter(&job.identity).await.map_err(|e| AttemptFailed::transient(e.detail))?;
    let plan = Plan::at_head(&state.chain, job.netuid, &job.hotkey, wanted).await?;
    // The chain is at its best block, not the finalized head the plan was read at (finality
    // trails by a few blocks): a PUT in the first blocks of an epoch belongs to that epoch.
    let best = state.chain.best_number().await.map_err(AttemptFailed::transient)?.max(plan.block);
    let known = *epoch.lock().unwrap_or_else(|e| e.into_inner());
    let bounds = match known {
        Some(e) => e,
        None => {
            let start = job.start_block.unwrap_or(best);
            store.set_start_block(id, start).await.map_err(AttemptFailed::transient)?;
            let schedule = if start >= plan.block {
                plan.schedule
            } else {
                let netuid = job.netuid;
                state
                    .chain
                    .read(BlockAt::Number(start), move |at| {
                        Box::pin(async move { commit_reveal::schedule(&at, netuid).await })
                    })
                    .await
                    .map_err(AttemptFailed::transient)?
            };
            let bounds = schedule.epoch_at(start);
            *epoch.lock().unwrap_or_else(|e| e.into_inner()) = Some(bounds);
            bounds
        }
    };
    if best > bounds.end {
        return Ok(Done::Expired);
    }
    // A submission that went out before a crash may have landed: never send it twice.
    if let Some(sent_at) = row.and_then(|r| r.submit_block)
        && plan.last_update >= sent_at
    {
        if plan.commit_reveal {
            // A commit updates LastUpdate; its weights only show after the reveal.
            tracing::info!(job = job.id, "a commit already went out in this job");
            return Ok(Done::AlreadyOnChain);
        }
        let (netuid, uid) = (job.netuid, plan.uid);
        let stored = state
            .chain
            .read(BlockAt::Latest, move |at| Box::pin(reads::weights(at, netuid, Some(uid))))
            .await
            .map_err(AttemptFailed::transient)?;
        if stored.weights.get(&uid) == Some(&plan.vector) {
            tracing::info!(job = job.id, "the weights are already on chain");
            return Ok(Done::AlreadyOnChain);
        }
    }
    if plan.vector.is_empty() {
        return Err(AttemptFailed::permanent(format!(
            "none of the {} hotkeys is registered on subnet {}: {}",
            plan.unknown.len(),
            job.netuid,
            some_of(&plan.unknown)
        )));
    }
    if !plan.unknown.is_empty() {
        let (count, dropped) = (plan.unknown.len(), some_of(&plan.unknown));
        tracing::warn!(
            job = job.id,
            count,
            dropped,
            "hotkeys not registered on the subnet are dropped"
        );
    }
    match plan.blocker() {
        None => {}
        Some(wait @ Blocker::RateLimited { .. }) => {
            return Err(AttemptFailed::transient(format!("subnet {}: {wait}", job.netuid)));
        }
        Some(never) => {
            return Err(AttemptFailed::permanent(format!("subnet {}: {never}", job.netuid)));
        }
    }
    // Planning took a while: a newer PUT may have arrived meanwhile.
    let row = store.get(id).await.map_err(AttemptFailed::transient)?;
    if row.as_ref().map(|r| r.status) != Some(Status::Running) {
        return Ok(Done::Superseded);
    }
    if state.jobs.stop.is_cancelled() {
        return Ok(Done::Stopped);
    }
    // A submission another process sent (a replica that died, this one before a restart)
    // may still wait in the node's pool: wait for it rather than send a second one.
    if row.as_ref().and_then(|r| r.submit_block).is_some()
        && crate::writes::submit::pending(state.chain.main(), submitter.account())
            .await
            .map_err(AttemptFailed::transient)?
    {
        return Err(AttemptFailed::transient(
            "an earlier submission of this hotkey is still in the node's pool".to_string(),
        ));
    }
    // From here the submission may go out: a shutdown waits for it. With a shared store the
    // lease is checked in the same statement that records the submission.
    submitting.store(true, Ordering::SeqCst);
    let fence = state.jobs.fence(&job.identity, job.mechanism);
    if store.is_shared() && fence.is_none() {
        submitting.store(false, Ordering::SeqCst);
        return Ok(Done::LostLease);
    }
    let marked = store
        .mark_submitting(id, plan.block, fence.as_ref())
        .await
        .map_err(AttemptFailed::transient)?;
    if !marked {
        submitting.store(false, Ordering::SeqCst);
        let again = store.get(id).await.map_err(AttemptFailed::transient)?;
        if again.map(|r| r.status) != Some(Status::Running) {
            return Ok(Done::Superseded);
        }
        return Ok(Done::LostLease);
    }
    let included = if plan.commit_reveal {
        let drand = state
            .drand()
            .await
            .map_err(|e| AttemptFailed::transient(format!("cannot find the drand network: {e}")))?;
        let hotkey = submitter.account();
        let commit =
            crv4::build(&state.chain, &drand, &plan, hotkey, plan.reveal_period).await.map_err(
                |e| AttemptFailed::transient(format!("cannot build the timelocked commit: {e}")),
            )?;
        let payload = crv4::call(job.netuid, job.mechanism, &commit);
        submitter.submit_via(state.chain.main(), &payload).await
    } else {
        let payload =
            calls::set_mechanism_weights(job.netuid, job.mechanism, &plan.vector, plan.version_key);
        submitter.submit_via(state.chain.main(), &payload).await
    };
    Ok(Done::Submitted(included?.block_hash))
}
