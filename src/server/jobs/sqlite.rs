//! The SQLite job store (`PYLON_DATABASE_PATH`, the embedded default): schema migrations at
//! start, one transaction that supersedes an identity's running job when a new one is
//! scheduled, status changes that only apply to running jobs, and the lookups for restart and
//! weights status. One process owns the file (see [`super::Jobs::open`]), so it leads every
//! identity and needs no leases.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use super::store::{Job, Status, StoreError, now};

/// Schema versions, applied in order above `PRAGMA user_version`.
const MIGRATIONS: [&str; 1] = ["CREATE TABLE weight_tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        identity_name TEXT NOT NULL,
        hotkey TEXT NOT NULL,
        netuid INTEGER NOT NULL,
        mechanism_id INTEGER NOT NULL,
        weights TEXT NOT NULL,
        status TEXT NOT NULL,
        start_block_number INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        submitted_block_hash TEXT,
        submit_block_number INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX weight_tasks_owner ON weight_tasks (identity_name, mechanism_id, status);"];

/// The open database; clones share the connection.
#[derive(Clone)]
pub struct SqliteStore {
    path: String,
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let fail = |source: rusqlite::Error| StoreError::new(&name, source);
        let conn = Connection::open(path).map_err(fail)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(fail)?;
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(fail)?;
        for (i, sql) in (1i64..).zip(MIGRATIONS).skip(version.max(0) as usize) {
            conn.execute_batch(sql).map_err(fail)?;
            conn.pragma_update(None, "user_version", i).map_err(fail)?;
        }
        Ok(Self { path: name, conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` on the store off the async workers (SQLite calls block on the disk and on the
    /// connection's lock).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&SqliteStore) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = self.clone();
        crate::blocking::off_workers(move || f(&store)).await
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut conn).map_err(|source| StoreError::new(&self.path, source))
    }

    /// In one transaction: cancels the identity's running jobs of `mechanism` and inserts a
    /// new running one; returns its id.
    pub fn schedule(
        &self,
        identity: &str,
        hotkey: &str,
        netuid: u16,
        mechanism: u8,
        weights: &BTreeMap<String, f64>,
    ) -> Result<i64, StoreError> {
        let weights = serde_json::to_string(weights).unwrap_or_else(|_| "{}".into());
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE weight_tasks SET status = 'cancelled', updated_at = ?3
                 WHERE identity_name = ?1 AND mechanism_id = ?2 AND status = 'running'",
                params![identity, mechanism, now()],
            )?;
            tx.execute(
                "INSERT INTO weight_tasks (identity_name, hotkey, netuid, mechanism_id, weights,
                 status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?6)",
                params![identity, hotkey, netuid, mechanism, weights, now()],
            )?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(id)
        })
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
        let weights: String = r.get(5)?;
        Ok(Job {
            id: r.get(0)?,
            identity: r.get(1)?,
            hotkey: r.get(2)?,
            netuid: r.get(3)?,
            mechanism: r.get(4)?,
            weights: serde_json::from_str(&weights).unwrap_or_default(),
            status: Status::parse(&r.get::<_, String>(6)?),
            start_block: r.get::<_, Option<i64>>(7)?.map(|b| b as u64),
            attempts: r.get(8)?,
            submit_block: r.get::<_, Option<i64>>(9)?.map(|b| b as u64),
        })
    }

    const COLUMNS: &str = "id, identity_name, hotkey, netuid, mechanism_id, weights, status,
        start_block_number, attempts, submit_block_number";

    /// A job by id.
    pub fn get(&self, id: i64) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {} FROM weight_tasks WHERE id = ?1", Self::COLUMNS);
        self.with(|c| c.query_row(&sql, [id], Self::row).optional())
    }

    /// Every running job, oldest first.
    pub fn running(&self) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {} FROM weight_tasks WHERE status = 'running' ORDER BY id",
            Self::COLUMNS
        );
        self.with(|c| c.prepare(&sql)?.query_map([], Self::row)?.collect())
    }

    /// Sets the start block once (the first attempt's head).
    pub fn set_start_block(&self, id: i64, block: u64) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE weight_tasks SET start_block_number = ?2, updated_at = ?3
                 WHERE id = ?1 AND start_block_number IS NULL",
                params![id, block as i64, now()],
            )
            .map(drop)
        })
    }

    /// Records that a submission of a running job is going out at head `block`, before it is
    /// sent; false when the job is no longer running.
    pub fn mark_submitting(&self, id: i64, block: u64) -> Result<bool, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE weight_tasks SET submit_block_number = ?2, updated_at = ?3
                 WHERE id = ?1 AND status = 'running'",
                params![id, block as i64, now()],
            )
            .map(|n| n == 1)
        })
    }

    /// Records a failed attempt.
    pub fn record_attempt(&self, id: i64, error: &str) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE weight_tasks SET attempts = attempts + 1, last_error = ?2, updated_at = ?3
                 WHERE id = ?1",
                params![id, error, now()],
            )
            .map(drop)
        })
    }

    /// Moves a running job to `status` (a job no longer running keeps its status); true when
    /// it changed.
    pub fn finish(
        &self,
        id: i64,
        status: Status,
        block_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.with(|c| {
            c.execute(
                "UPDATE weight_tasks SET status = ?2, submitted_block_hash = COALESCE(?3,
                 submitted_block_hash), updated_at = ?4 WHERE id = ?1 AND status = 'running'",
                params![id, status.as_str(), block_hash, now()],
            )
            .map(|n| n == 1)
        })
    }

    /// Whether the identity has a running or succeeded job of `mechanism` that started inside
    /// `[start, end]` (or has not started yet).
    pub fn submitted_in(
        &self,
        identity: &str,
        mechanism: u8,
        start: u64,
        end: u64,
    ) -> Result<bool, StoreError> {
        self.with(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM weight_tasks WHERE identity_name = ?1
                 AND mechanism_id = ?2 AND status IN ('running', 'succeeded')
                 AND (start_block_number IS NULL OR start_block_number BETWEEN ?3 AND ?4))",
                params![identity, mechanism, start as i64, end as i64],
                |r| r.get(0),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_job_supersedes_and_status_only_moves_from_running() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("jobs.db");
        let store = SqliteStore::open(&path).expect("opens");
        let w: BTreeMap<String, f64> = [("5Hk".to_string(), 0.5)].into();
        let first = store.schedule("sn1", "5Hk", 1, 0, &w).expect("first");
        let other_mech = store.schedule("sn1", "5Hk", 1, 1, &w).expect("mechanism 1");
        let second = store.schedule("sn1", "5Hk", 1, 0, &w).expect("second");
        assert_eq!(store.get(first).expect("get").expect("row").status, Status::Cancelled);
        assert_eq!(store.get(other_mech).expect("get").expect("row").status, Status::Running);
        assert!(!store.finish(first, Status::Succeeded, None).expect("finish"));
        store.set_start_block(second, 100).expect("start");
        store.set_start_block(second, 200).expect("start is set once");
        assert!(store.submitted_in("sn1", 0, 90, 110).expect("lookup"));
        assert!(!store.submitted_in("sn1", 0, 111, 120).expect("lookup"));
        assert!(store.finish(second, Status::Succeeded, Some("0xab")).expect("finish"));
        drop(store);
        // Reopening keeps the rows and does not migrate twice.
        let store = SqliteStore::open(&path).expect("reopens");
        let job = store.get(second).expect("get").expect("row");
        assert_eq!((job.status, job.start_block, job.weights), (Status::Succeeded, Some(100), w));
        assert_eq!(store.running().expect("running").len(), 1);
    }
}
