//! The job store's contract, run against both backends (SQLite and PostgreSQL), and the
//! PostgreSQL leases that fence a replica which lost its lease.

use std::collections::BTreeMap;
use std::time::Duration;

use pylon::server::jobs::store::{Status, Store};

use crate::common::postgres_database;

/// The same sequence against any store: supersede, status moves only from running, the start
/// block set once, the epoch lookup, and rows surviving a reopen (`reopen` gives the store
/// again).
async fn contract(store: Store, reopen: impl std::future::Future<Output = Store>) {
    store.prepare().await.expect("prepared");
    let w: BTreeMap<String, f64> = [("5Hk".to_string(), 0.5)].into();
    let first = store.schedule("sn1", "5Hk", 1, 0, &w).await.expect("first");
    let other_mech = store.schedule("sn1", "5Hk", 1, 1, &w).await.expect("mechanism 1");
    let second = store.schedule("sn1", "5Hk", 1, 0, &w).await.expect("second");
    let status = |id| {
        let store = store.clone();
        async move { store.get(id).await.expect("get").expect("row").status }
    };
    assert_eq!(status(first).await, Status::Cancelled, "superseded");
    assert_eq!(status(other_mech).await, Status::Running, "another mechanism is not");
    assert!(!store.finish(first, Status::Succeeded, None).await.expect("finish"));
    store.set_start_block(second, 100).await.expect("start");
    store.set_start_block(second, 200).await.expect("start is set once");
    assert!(store.submitted_in("sn1", 0, 90, 110).await.expect("lookup"));
    assert!(!store.submitted_in("sn1", 0, 111, 120).await.expect("lookup"));
    assert!(!store.submitted_in("sn2", 0, 90, 110).await.expect("lookup"));
    let fence = store.lease("sn1", 0, "me", Duration::from_secs(5)).await.expect("lease");
    assert!(store.mark_submitting(second, 105, fence.as_ref()).await.expect("mark"));
    store.record_attempt(second, "first try failed").await.expect("attempt");
    assert!(store.finish(second, Status::Succeeded, Some("0xab")).await.expect("finish"));
    assert!(!store.mark_submitting(second, 106, fence.as_ref()).await.expect("mark"), "finished");
    drop(store);
    let store = reopen.await;
    store.prepare().await.expect("prepared again (migrations run once)");
    let job = store.get(second).await.expect("get").expect("row");
    assert_eq!(
        (job.status, job.start_block, job.submit_block, job.attempts, job.weights),
        (Status::Succeeded, Some(100), Some(105), 1, w)
    );
    let running: Vec<i64> = store.running().await.expect("running").iter().map(|j| j.id).collect();
    assert_eq!(running, [other_mech]);
}

#[tokio::test]
async fn the_sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("jobs.db");
    let reopen = async { Store::sqlite(&path).expect("reopens") };
    contract(Store::sqlite(&path).expect("opens"), reopen).await;
}

#[tokio::test]
async fn the_postgres_store_keeps_the_contract() {
    let Some(url) = postgres_database().await else { return };
    let reopen = async { Store::postgres(&url).expect("reconnects") };
    contract(Store::postgres(&url).expect("pool"), reopen).await;
}

#[tokio::test]
async fn a_replica_that_lost_its_lease_cannot_record_a_submission() {
    let Some(url) = postgres_database().await else { return };
    let (a, b) = (Store::postgres(&url).expect("a"), Store::postgres(&url).expect("b"));
    // Replicas starting together migrate once.
    let (ra, rb) = tokio::join!(a.prepare(), b.prepare());
    ra.expect("a migrates");
    rb.expect("b migrates");
    let w: BTreeMap<String, f64> = [("5Hk".to_string(), 1.0)].into();
    let job = a.schedule("sn1", "5Hk", 1, 0, &w).await.expect("job");
    let ttl = Duration::from_millis(600);
    let fence_a = a.lease("sn1", 0, "a", ttl).await.expect("lease").expect("a leads");
    assert_eq!(b.lease("sn1", 0, "b", ttl).await.expect("lease"), None, "a's lease runs");
    let renewed = a.lease("sn1", 0, "a", ttl).await.expect("renew").expect("still a");
    assert_eq!(renewed.token, fence_a.token, "a renewal keeps the token");
    assert!(b.lease("sn1", 1, "b", ttl).await.expect("lease").is_some(), "per mechanism");
    tokio::time::sleep(ttl + Duration::from_millis(200)).await;
    let fence_b = b.lease("sn1", 0, "b", ttl).await.expect("lease").expect("b takes over");
    assert!(fence_b.token > fence_a.token, "a new holder, a new token");
    assert!(!a.mark_submitting(job, 7, Some(&fence_a)).await.expect("mark"), "a is fenced off");
    assert!(b.mark_submitting(job, 7, Some(&fence_b)).await.expect("mark"), "b may submit");
    assert!(a.mark_submitting(job, 8, None).await.is_err(), "no lease, no submission");
    assert_eq!(a.lease("sn1", 0, "a", ttl).await.expect("lease"), None, "b's lease runs");
}
