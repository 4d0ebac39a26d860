//! The job store behind the weights jobs: SQLite in a file (the embedded default, one process)
//! or PostgreSQL shared by several replicas (`PYLON_DATABASE_URL`), one interface over both.
//! With PostgreSQL each (identity, mechanism) has a lease with a fencing token; the one holder
//! submits, and marking a job `submitting` checks the token in the same transaction.

use std::collections::BTreeMap;

use super::postgres::PgStore;
use super::sqlite::SqliteStore;

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Scheduled or being attempted.
    Running,
    /// Submitted and finalized.
    Succeeded,
    /// Every attempt failed.
    Failed,
    /// Its epoch ended first.
    Expired,
    /// Superseded by a newer job, or its identity changed.
    Cancelled,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Expired => "expired",
            Status::Cancelled => "cancelled",
        }
    }

    /// From the stored name (anything unknown is cancelled).
    pub fn parse(text: &str) -> Self {
        match text {
            "running" => Status::Running,
            "succeeded" => Status::Succeeded,
            "failed" => Status::Failed,
            "expired" => Status::Expired,
            _ => Status::Cancelled,
        }
    }
}

/// One stored job.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Row id.
    pub id: i64,
    /// The identity that asked.
    pub identity: String,
    /// Its hotkey (SS58) when scheduled.
    pub hotkey: String,
    /// The subnet.
    pub netuid: u16,
    /// The mechanism.
    pub mechanism: u8,
    /// Hotkey → weight, as given.
    pub weights: BTreeMap<String, f64>,
    /// Where it is.
    pub status: Status,
    /// The block its first attempt started at (fixes its epoch).
    pub start_block: Option<u64>,
    /// Attempts made.
    pub attempts: u32,
    /// The head when a submission last went out (it may have landed before a crash).
    pub submit_block: Option<u64>,
}

/// A store error, naming the database (a path, or a URL without credentials).
#[derive(Debug, thiserror::Error)]
#[error("job database {store}: {reason}")]
pub struct StoreError {
    store: String,
    // Not a `#[source]`: the message already says it, and a chain printer would repeat it.
    reason: String,
}

impl StoreError {
    /// `reason` at the database `store`.
    pub fn new(store: &str, reason: impl std::fmt::Display) -> Self {
        Self { store: store.to_string(), reason: reason.to_string() }
    }
}

/// Unix seconds, the rows' `created_at` and `updated_at`.
pub(super) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Proof of leadership for one (identity, mechanism): who holds the lease and its token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    /// This replica's name.
    pub holder: String,
    /// The lease's token when acquired (it grows with every new holder).
    pub token: i64,
}

/// The job store.
#[derive(Clone)]
pub enum Store {
    /// A file, owned by one process.
    Sqlite(SqliteStore),
    /// A database shared by replicas.
    Postgres(PgStore),
}

impl Store {
    /// The SQLite file at `path`, created and migrated if needed.
    pub fn sqlite(path: &std::path::Path) -> Result<Self, StoreError> {
        SqliteStore::open(path).map(Store::Sqlite)
    }

    /// The PostgreSQL database at `url` (connected and migrated by [`Store::prepare`]).
    pub fn postgres(url: &str) -> Result<Self, StoreError> {
        PgStore::new(url).map(Store::Postgres)
    }

    /// Whether replicas share the store (and must hold a lease to submit).
    pub fn is_shared(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// Prepares the store for use (PostgreSQL: connects and migrates).
    pub async fn prepare(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(_) => Ok(()),
            Store::Postgres(s) => s.migrate().await,
        }
    }

    /// In one transaction: cancels the identity's running jobs of `mechanism` and inserts a
    /// new running one; returns its id.
    pub async fn schedule(
        &self,
        identity: &str,
        hotkey: &str,
        netuid: u16,
        mechanism: u8,
        weights: &BTreeMap<String, f64>,
    ) -> Result<i64, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let (identity, hotkey, weights) =
                    (identity.to_string(), hotkey.to_string(), weights.clone());
                s.run(move |s| s.schedule(&identity, &hotkey, netuid, mechanism, &weights)).await
            }
            Store::Postgres(s) => s.schedule(identity, hotkey, netuid, mechanism, weights).await,
        }
    }

    /// A job by id.
    pub async fn get(&self, id: i64) -> Result<Option<Job>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |s| s.get(id)).await,
            Store::Postgres(s) => s.get(id).await,
        }
    }

    /// Every running job, oldest first.
    pub async fn running(&self) -> Result<Vec<Job>, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(SqliteStore::running).await,
            Store::Postgres(s) => s.running().await,
        }
    }

    /// Sets the start block once (the first attempt's head).
    pub async fn set_start_block(&self, id: i64, block: u64) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |s| s.set_start_block(id, block)).await,
            Store::Postgres(s) => s.set_start_block(id, block).await,
        }
    }

    /// Records that a submission is going out at head `block`, before it is sent; with a
    /// shared store only while `fence` still holds the lease (false: it does not, and nothing
    /// may be sent).
    pub async fn mark_submitting(
        &self,
        id: i64,
        block: u64,
        fence: Option<&Fence>,
    ) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => s.run(move |s| s.mark_submitting(id, block)).await,
            Store::Postgres(s) => s.mark_submitting(id, block, fence).await,
        }
    }

    /// Records a failed attempt.
    pub async fn record_attempt(&self, id: i64, error: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => {
                let error = error.to_string();
                s.run(move |s| s.record_attempt(id, &error)).await
            }
            Store::Postgres(s) => s.record_attempt(id, error).await,
        }
    }

    /// Moves a running job to `status` (a job no longer running keeps its status); true when
    /// it changed.
    pub async fn finish(
        &self,
        id: i64,
        status: Status,
        block_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let hash = block_hash.map(str::to_string);
                s.run(move |s| s.finish(id, status, hash.as_deref())).await
            }
            Store::Postgres(s) => s.finish(id, status, block_hash).await,
        }
    }

    /// Whether the identity has a running or succeeded job of `mechanism` that started inside
    /// `[start, end]` (or has not started yet).
    pub async fn submitted_in(
        &self,
        identity: &str,
        mechanism: u8,
        start: u64,
        end: u64,
    ) -> Result<bool, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let identity = identity.to_string();
                s.run(move |s| s.submitted_in(&identity, mechanism, start, end)).await
            }
            Store::Postgres(s) => s.submitted_in(identity, mechanism, start, end).await,
        }
    }

    /// Takes or renews the lease of (identity, mechanism) for `holder` for `ttl`: the fence
    /// when held (a new holder gets a new token), `None` while another holder's lease runs.
    /// A store of one process always grants it.
    pub async fn lease(
        &self,
        identity: &str,
        mechanism: u8,
        holder: &str,
        ttl: std::time::Duration,
    ) -> Result<Option<Fence>, StoreError> {
        match self {
            Store::Sqlite(_) => Ok(Some(Fence { holder: holder.to_string(), token: 0 })),
            Store::Postgres(s) => s.lease(identity, mechanism, holder, ttl).await,
        }
    }

    /// Ends the leases `holder` has, at a shutdown with nothing in flight (nothing to do
    /// for a store of one process).
    pub async fn release(&self, holder: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(_) => Ok(()),
            Store::Postgres(s) => s.release(holder).await.map(drop),
        }
    }
}
