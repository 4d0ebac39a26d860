//! Blocking work (SQLite, wallet files, timelock pairings) run on tokio's blocking pool, so a
//! slow disk or a CPU-heavy encryption never holds up the async workers serving requests.

/// Runs `work` on the blocking pool and returns its result; a panic in it resumes here.
pub async fn off_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Cancelled: the runtime is shutting down and drops this task with it.
            Err(_) => std::future::pending().await,
        },
    }
}
