//! The PostgreSQL job store (`PYLON_DATABASE_URL=postgres://…`), shared by replicas: versioned
//! migrations under an advisory lock (replicas starting together migrate once), the same job
//! rows as the SQLite store, and one lease row per (identity, mechanism) whose token grows with
//! every new holder; marking a job `submitting` checks the token in the same statement.

use std::collections::BTreeMap;
use std::str::FromStr;

use deadpool_postgres::{Manager, Pool};
use tokio_postgres::NoTls;

use super::store::{Fence, Job, Status, StoreError, now};

/// Schema versions, applied in order above the highest in `pylon_schema`.
const MIGRATIONS: [&str; 1] = ["CREATE TABLE weight_tasks (
        id BIGSERIAL PRIMARY KEY,
        identity_name TEXT NOT NULL,
        hotkey TEXT NOT NULL,
        netuid INTEGER NOT NULL,
        mechanism_id INTEGER NOT NULL,
        weights TEXT NOT NULL,
        status TEXT NOT NULL,
        start_block_number BIGINT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        submitted_block_hash TEXT,
        submit_block_number BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
    );
    CREATE INDEX weight_tasks_owner ON weight_tasks (identity_name, mechanism_id, status);
    CREATE TABLE weight_leases (
        identity_name TEXT NOT NULL,
        mechanism_id INTEGER NOT NULL,
        holder TEXT NOT NULL,
        token BIGINT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (identity_name, mechanism_id)
    );"];

/// The advisory lock key migrations run under ("pylon" in ASCII).
const MIGRATION_LOCK: i64 = 0x0070_796c_6f6e;

const COLUMNS: &str = "id, identity_name, hotkey, netuid, mechanism_id, weights, status,
    start_block_number, attempts, submit_block_number";

/// A pool of connections to the database.
#[derive(Clone)]
pub struct PgStore {
    /// The URL without credentials, for messages.
    name: String,
    pool: Pool,
}

impl PgStore {
    /// A pool for `url` (nothing connects until the first use). TLS is not supported: a URL
    /// asking for it (`sslmode=require`) is refused by name.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        let name = crate::network::redact(url);
        let config =
            tokio_postgres::Config::from_str(url).map_err(|e| StoreError::new(&name, e))?;
        if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            return Err(StoreError::new(
                &name,
                "sslmode=require: TLS to PostgreSQL is not supported",
            ));
        }
        let manager = Manager::new(config, NoTls);
        let pool =
            Pool::builder(manager).max_size(8).build().map_err(|e| StoreError::new(&name, e))?;
        Ok(Self { name, pool })
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::new(&self.name, e)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(|e| self.err(e))
    }

    /// Applies the migrations this database lacks, one replica at a time.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(|e| self.err(e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(|e| self.err(e))?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS pylon_schema (version INTEGER NOT NULL)")
            .await
            .map_err(|e| self.err(e))?;
        let row = tx
            .query_one("SELECT COALESCE(MAX(version), 0) FROM pylon_schema", &[])
            .await
            .map_err(|e| self.err(e))?;
        let version: i32 = row.get(0);
        for (i, sql) in (1i32..).zip(MIGRATIONS).skip(version.max(0) as usize) {
            tx.batch_execute(sql).await.map_err(|e| self.err(format!("migration {i}: {e}")))?;
            tx.execute("INSERT INTO pylon_schema (version) VALUES ($1)", &[&i])
                .await
                .map_err(|e| self.err(e))?;
        }
        tx.commit().await.map_err(|e| self.err(e))
    }

    /// See [`super::store::Store::schedule`].
    pub async fn schedule(
        &self,
        identity: &str,
        hotkey: &str,
        netuid: u16,
        mechanism: u8,
        weights: &BTreeMap<String, f64>,
    ) -> Result<i64, StoreError> {
        let weights = serde_json::to_string(weights).unwrap_or_else(|_| "{}".into());
        let (netuid, mechanism, at) = (i32::from(netuid), i32::from(mechanism), now());
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(|e| self.err(e))?;
        tx.execute(
            "UPDATE weight_tasks SET status = 'cancelled', updated_at = $3
             WHERE identity_name = $1 AND mechanism_id = $2 AND status = 'running'",
            &[&identity, &mechanism, &at],
        )
        .await
        .map_err(|e| self.err(e))?;
        let row = tx
            .query_one(
                "INSERT INTO weight_tasks (identity_name, hotkey, netuid, mechanism_id, weights,
                 status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'running', $6, $6)
                 RETURNING id",
                &[&identity, &hotkey, &netuid, &mechanism, &weights, &at],
            )
            .await
            .map_err(|e| self.err(e))?;
        tx.commit().await.map_err(|e| self.err(e))?;
        Ok(row.get(0))
    }

    fn job(row: &tokio_postgres::Row) -> Job {
        let weights: String = row.get(5);
        Job {
            id: row.get(0),
            identity: row.get(1),
            hotkey: row.get(2),
            netuid: u16::try_from(row.get::<_, i32>(3)).unwrap_or_default(),
            mechanism: u8::try_from(row.get::<_, i32>(4)).unwrap_or_default(),
            weights: serde_json::from_str(&weights).unwrap_or_default(),
            status: Status::parse(row.get(6)),
            start_block: row.get::<_, Option<i64>>(7).map(|b| b as u64),
            attempts: u32::try_from(row.get::<_, i32>(8)).unwrap_or_default(),
            submit_block: row.get::<_, Option<i64>>(9).map(|b| b as u64),
        }
    }

    /// A job by id.
    pub async fn get(&self, id: i64) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM weight_tasks WHERE id = $1");
        let row = self.client().await?.query_opt(&sql, &[&id]).await.map_err(|e| self.err(e))?;
        Ok(row.as_ref().map(Self::job))
    }

    /// Every running job, oldest first.
    pub async fn running(&self) -> Result<Vec<Job>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM weight_tasks WHERE status = 'running' ORDER BY id");
        let rows = self.client().await?.query(&sql, &[]).await.map_err(|e| self.err(e))?;
        Ok(rows.iter().map(Self::job).collect())
    }

    async fn execute(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        self.client().await?.execute(sql, params).await.map_err(|e| self.err(e))
    }

    /// Sets the start block once.
    pub async fn set_start_block(&self, id: i64, block: u64) -> Result<(), StoreError> {
        let sql = "UPDATE weight_tasks SET start_block_number = $2, updated_at = $3
                   WHERE id = $1 AND start_block_number IS NULL";
        self.execute(sql, &[&id, &(block as i64), &now()]).await.map(drop)
    }

    /// Records a submission going out at `block`, if `fence` still holds the job's lease.
    pub async fn mark_submitting(
        &self,
        id: i64,
        block: u64,
        fence: Option<&Fence>,
    ) -> Result<bool, StoreError> {
        let Some(fence) = fence else {
            return Err(self.err("a shared job store needs a lease to submit"));
        };
        let sql = "UPDATE weight_tasks t SET submit_block_number = $2, updated_at = $3
                   WHERE t.id = $1 AND t.status = 'running' AND EXISTS (
                     SELECT 1 FROM weight_leases l WHERE l.identity_name = t.identity_name
                     AND l.mechanism_id = t.mechanism_id AND l.holder = $4 AND l.token = $5
                     AND l.expires_at > now())";
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] =
            [&id, &(block as i64), &now(), &fence.holder, &fence.token];
        Ok(self.execute(sql, &params).await? == 1)
    }

    /// Records a failed attempt.
    pub async fn record_attempt(&self, id: i64, error: &str) -> Result<(), StoreError> {
        let sql = "UPDATE weight_tasks SET attempts = attempts + 1, last_error = $2,
                   updated_at = $3 WHERE id = $1";
        self.execute(sql, &[&id, &error, &now()]).await.map(drop)
    }

    /// Moves a running job to `status`; true when it changed.
    pub async fn finish(
        &self,
        id: i64,
        status: Status,
        block_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE weight_tasks SET status = $2, submitted_block_hash = COALESCE($3,
                   submitted_block_hash), updated_at = $4 WHERE id = $1 AND status = 'running'";
        Ok(self.execute(sql, &[&id, &status.as_str(), &block_hash, &now()]).await? == 1)
    }

    /// See [`super::store::Store::submitted_in`].
    pub async fn submitted_in(
        &self,
        identity: &str,
        mechanism: u8,
        start: u64,
        end: u64,
    ) -> Result<bool, StoreError> {
        let sql = "SELECT EXISTS (SELECT 1 FROM weight_tasks WHERE identity_name = $1
                   AND mechanism_id = $2 AND status IN ('running', 'succeeded')
                   AND (start_block_number IS NULL OR start_block_number BETWEEN $3 AND $4))";
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
            [&identity, &i32::from(mechanism), &(start as i64), &(end as i64)];
        let row = self.client().await?.query_one(sql, &params).await.map_err(|e| self.err(e))?;
        Ok(row.get(0))
    }

    /// Takes or renews a lease: held by `holder` already (renewed, same token) or expired
    /// (taken, token + 1), else another holder has it.
    pub async fn lease(
        &self,
        identity: &str,
        mechanism: u8,
        holder: &str,
        ttl: std::time::Duration,
    ) -> Result<Option<Fence>, StoreError> {
        let sql =
            "INSERT INTO weight_leases (identity_name, mechanism_id, holder, token, expires_at)
                   VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4))
                   ON CONFLICT (identity_name, mechanism_id) DO UPDATE SET
                     token = CASE WHEN weight_leases.holder = EXCLUDED.holder
                             THEN weight_leases.token ELSE weight_leases.token + 1 END,
                     holder = EXCLUDED.holder,
                     expires_at = EXCLUDED.expires_at
                   WHERE weight_leases.holder = EXCLUDED.holder OR weight_leases.expires_at < now()
                   RETURNING token";
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
            [&identity, &i32::from(mechanism), &holder, &ttl.as_secs_f64()];
        let row = self.client().await?.query_opt(sql, &params).await.map_err(|e| self.err(e))?;
        Ok(row.map(|r| Fence { holder: holder.to_string(), token: r.get(0) }))
    }

    /// Ends every lease `holder` has (a replica shutting down with nothing in flight), so
    /// another replica takes over at its next round instead of after the TTL.
    pub async fn release(&self, holder: &str) -> Result<u64, StoreError> {
        let sql = "UPDATE weight_leases SET expires_at = now() - interval '1 second'
                   WHERE holder = $1";
        self.execute(sql, &[&holder]).await
    }
}
