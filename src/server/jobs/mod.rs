//! The ApplyWeights job behind `PUT .../weights`: persisted in SQLite, superseded by a newer
//! PUT of the same identity and mechanism, attempted with back-off until it succeeds or the
//! epoch it started in ends, resumed after a restart without submitting twice.

mod failure;
pub mod store;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use failure::{AttemptFailed, some_of};
use store::{Job, Status, Store, StoreError};

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
/// after its successor was scheduled.
pub struct Jobs {
    /// The database.
    pub store: Store,
    locks: Locks,
    /// The database file, locked for this process.
    _held: std::fs::File,
}

impl Jobs {
    /// Opens the database at `path`.
    pub fn open(path: &std::path::Path) -> anyhow::Result<Self> {
        let store = Store::open(path)?;
        // One process per job store: two would run the same jobs side by side. An advisory
        // lock on the file (independent of SQLite's own locks), released when the process ends.
        let file = std::fs::OpenOptions::new().read(true).write(true).open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreInUse { path: path.display().to_string() }.into());
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        }
        Ok(Self { store, locks: Mutex::default(), _held: file })
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
}

/// Stores a new job (superseding the identity's running one) and starts it.
pub fn schedule(
    state: &Arc<AppState>,
    identity: &str,
    hotkey: &str,
    netuid: u16,
    mechanism: u8,
    weights: &BTreeMap<String, f64>,
) -> Result<(), StoreError> {
    let id = state.jobs.store.schedule(identity, hotkey, netuid, mechanism, weights)?;
    tokio::spawn(run(state.clone(), id));
    Ok(())
}

/// At start: cancels running jobs whose identity is gone or changed, and resumes the newest
/// running job of each (identity, mechanism) with its stored start block.
pub fn resume(state: &Arc<AppState>) -> Result<usize, StoreError> {
    let store = &state.jobs.store;
    let mut newest: BTreeMap<(String, u8), Job> = BTreeMap::new();
    for job in store.running()? {
        let current = state.config.identities.get(&job.identity);
        let hotkey = current
            .and_then(|_| state.identity_key(&job.identity).ok())
            .map(|k| crate::ss58::encode(&k));
        if current.map(|i| i.netuid) != Some(job.netuid) || hotkey.as_deref() != Some(&job.hotkey) {
            store.finish(job.id, Status::Cancelled, None)?;
            continue;
        }
        if let Some(older) = newest.insert((job.identity.clone(), job.mechanism), job) {
            store.finish(older.id, Status::Cancelled, None)?;
        }
    }
    for job in newest.values() {
        tracing::info!(job = job.id, identity = %job.identity, "resuming a weights job");
        tokio::spawn(run(state.clone(), job.id));
    }
    Ok(newest.len())
}

async fn run(state: Arc<AppState>, id: i64) {
    let started = Instant::now();
    let Ok(Some(job)) = state.jobs.store.get(id) else { return };
    let status = match attempts(&state, &job).await {
        Ok(Done::Submitted(_) | Done::AlreadyOnChain) => "success",
        Ok(Done::Superseded) => "cancelled",
        Ok(Done::Expired) => "expired",
        Err(e) => {
            tracing::error!(job = id, error = %e, "weights job failed");
            let _ = state.jobs.store.finish(id, Status::Failed, None);
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
async fn attempts(state: &Arc<AppState>, job: &Job) -> Result<Done, String> {
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
            let lock = state.jobs.lock_for(&job.identity, job.mechanism);
            let _turn = lock.lock().await;
            let t0 = Instant::now();
            let outcome = tokio::time::timeout(ATTEMPT_LIMIT, once(state, job, wanted, epoch))
                .await
                .unwrap_or_else(|_| {
                    Err(AttemptFailed::transient(format!(
                        "the attempt took over {} s",
                        ATTEMPT_LIMIT.as_secs()
                    )))
                });
            let label = if outcome.is_ok() { "success" } else { "error" };
            let netuid = job.netuid.to_string();
            state
                .metrics
                .apply_attempt
                .with_label_values(&["_apply_weights", label, &netuid, &job.hotkey])
                .observe(t0.elapsed().as_secs_f64());
            outcome.inspect_err(|e| {
                let (error, permanent) = (&e.reason, e.permanent);
                tracing::error!(job = job.id, attempt, error, permanent, "weights attempt failed");
                if let Err(store_error) = store.record_attempt(job.id, error) {
                    tracing::error!(job = job.id, error = %store_error, "cannot record the attempt");
                }
            })
        }
    })
    .await;
    let finish = |status, hash: Option<&str>| store.finish(job.id, status, hash);
    match outcome {
        Ok(Done::Submitted(hash)) => {
            finish(Status::Succeeded, Some(&hash)).map_err(|e| e.to_string())?;
            tracing::info!(job = job.id, block = %hash, "weights set");
            Ok(Done::Submitted(hash))
        }
        Ok(Done::AlreadyOnChain) => {
            finish(Status::Succeeded, None).map_err(|e| e.to_string())?;
            Ok(Done::AlreadyOnChain)
        }
        Ok(Done::Expired) => {
            finish(Status::Expired, None).map_err(|e| e.to_string())?;
            tracing::warn!(job = job.id, "weights job expired with its epoch");
            Ok(Done::Expired)
        }
        Ok(Done::Superseded) => Ok(Done::Superseded),
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
) -> Result<Done, AttemptFailed> {
    let store = &state.jobs.store;
    let row = store.get(job.id).map_err(AttemptFailed::transient)?;
    if row.as_ref().map(|r| r.status) != Some(Status::Running) {
        return Ok(Done::Superseded);
    }
    let submitter =
        state.submitter(&job.identity).map_err(|e| AttemptFailed::transient(e.detail))?;
    let plan = Plan::at_head(&state.chain, job.netuid, &job.hotkey, wanted).await?;
    // The chain is at its best block, not the finalized head the plan was read at (finality
    // trails by a few blocks): a PUT in the first blocks of an epoch belongs to that epoch.
    let best = state.chain.best_number().await.map_err(AttemptFailed::transient)?.max(plan.block);
    let known = *epoch.lock().unwrap_or_else(|e| e.into_inner());
    let bounds = match known {
        Some(e) => e,
        None => {
            let start = job.start_block.unwrap_or(best);
            store.set_start_block(job.id, start).map_err(AttemptFailed::transient)?;
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
    if store.get(job.id).map_err(AttemptFailed::transient)?.map(|r| r.status)
        != Some(Status::Running)
    {
        return Ok(Done::Superseded);
    }
    store.mark_submitting(job.id, plan.block).map_err(AttemptFailed::transient)?;
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
