//! Leadership of weights jobs over a shared (PostgreSQL) job store: every round
//! (`PYLON_LEASE_RENEW_SECONDS`) each replica takes or renews the lease of every (identity, mechanism) with
//! a running job; the holder runs the newest one. A replica that did not renew in time loses
//! the lease to the next that asks, and its own attempt stops before submitting (the fencing
//! token is checked when the submission is recorded).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::store::StoreError;
use crate::server::AppState;

/// Takes or renews this replica's lease on (identity, mechanism); true while held.
pub async fn claim(
    state: &Arc<AppState>,
    identity: &str,
    mechanism: u8,
) -> Result<bool, StoreError> {
    let jobs = &state.jobs;
    let fence = jobs.store.lease(identity, mechanism, &jobs.holder, jobs.lease_ttl).await?;
    let held = fence.is_some();
    let mechanism_label = mechanism.to_string();
    let labels = [identity, mechanism_label.as_str()];
    state.metrics.leader.with_label_values(&labels).set(i64::from(held));
    if jobs.set_fence(identity, mechanism, fence) {
        state.metrics.lease_taken.with_label_values(&labels).inc();
        tracing::info!(identity, mechanism, holder = %jobs.holder, "this replica now leads the identity's weights");
    }
    Ok(held)
}

/// Leadership rounds until the task is dropped.
pub async fn run(state: Arc<AppState>) {
    let every = state.jobs.lease_renew;
    loop {
        if let Err(e) = round(&state).await {
            tracing::warn!(error = %e, "leadership round failed");
        }
        tokio::time::sleep(every).await;
    }
}

/// One round: the lease of every (identity, mechanism) with a running job or held here (a
/// leader stays one between jobs), and the newest running job run here when the lease is ours.
async fn round(state: &Arc<AppState>) -> Result<(), StoreError> {
    let mut newest: BTreeMap<(String, u8), Option<i64>> =
        state.jobs.held().into_iter().map(|owner| (owner, None)).collect();
    for job in state.jobs.store.running().await? {
        if state.config.identities.contains_key(&job.identity) {
            newest.insert((job.identity, job.mechanism), Some(job.id));
        }
    }
    for ((identity, mechanism), id) in newest {
        if claim(state, &identity, mechanism).await?
            && let Some(id) = id
        {
            super::spawn(state, id);
        }
    }
    Ok(())
}
