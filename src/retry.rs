//! One retry mechanism for the CLI and the server: a policy value and a loop that retries only
//! errors that say they are worth retrying.

use std::future::Future;
use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, including the first (at least 1).
    pub attempts: u32,
    /// Delay before the second attempt; doubles after each failure.
    pub base_delay: Duration,
    /// Upper bound of any one delay.
    pub max_delay: Duration,
    /// No new attempt starts once this long has passed since the first one began (`None`: no
    /// bound): an operation that already used a whole time limit is not started again.
    pub budget: Option<Duration>,
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms then 400 ms apart: enough to ride out a dropped connection
    /// without making a script wait long for a node that is down.
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            budget: None,
        }
    }
}

impl RetryPolicy {
    /// The delay after failed attempt number `attempt` (0-based): exponential, capped.
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(16));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Errors that know whether trying again may help.
pub trait Retryable {
    /// True for transient failures: disconnects, timeouts, rate limits.
    fn is_retryable(&self) -> bool;
}

/// Runs `op` (given the 0-based attempt number) until it succeeds, fails with an error that is
/// not retryable, or the attempts run out; returns the last error.
pub async fn retry<T, E, F, Fut>(policy: &RetryPolicy, mut op: F) -> Result<T, E>
where
    E: Retryable,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let attempts = policy.attempts.max(1);
    let started = tokio::time::Instant::now();
    let within_budget = || policy.budget.is_none_or(|b| started.elapsed() < b);
    let mut attempt = 0;
    loop {
        match op(attempt).await {
            Ok(value) => return Ok(value),
            Err(e) if e.is_retryable() && attempt + 1 < attempts && within_budget() => {
                tracing::debug!(attempt, "retrying after a transient failure");
                tokio::time::sleep(policy.delay(attempt)).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct E(bool);
    impl Retryable for E {
        fn is_retryable(&self) -> bool {
            self.0
        }
    }

    fn fast(attempts: u32) -> RetryPolicy {
        RetryPolicy {
            attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            budget: None,
        }
    }

    #[tokio::test]
    async fn retries_transient_errors_until_success() {
        let result =
            retry(&fast(5), |n| async move { if n < 3 { Err(E(true)) } else { Ok(n) } }).await;
        assert_eq!(result, Ok(3));
    }

    #[tokio::test]
    async fn stops_at_a_permanent_error_and_after_the_last_attempt() {
        let mut calls = 0;
        let result: Result<(), E> = retry(&fast(5), |_| {
            calls += 1;
            async { Err(E(false)) }
        })
        .await;
        assert_eq!((result, calls), (Err(E(false)), 1));
        let mut calls = 0;
        let result: Result<(), E> = retry(&fast(3), |_| {
            calls += 1;
            async { Err(E(true)) }
        })
        .await;
        assert_eq!((result, calls), (Err(E(true)), 3));
    }

    #[tokio::test]
    async fn no_attempt_starts_after_the_budget_is_spent() {
        let policy = RetryPolicy { budget: Some(Duration::from_millis(30)), ..fast(5) };
        let mut calls = 0;
        let result: Result<(), E> = retry(&policy, |_| {
            calls += 1;
            async {
                tokio::time::sleep(Duration::from_millis(40)).await;
                Err(E(true))
            }
        })
        .await;
        assert_eq!((result, calls), (Err(E(true)), 1));
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let p = RetryPolicy {
            attempts: 9,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            budget: None,
        };
        let delays: Vec<u128> = (0..5).map(|a| p.delay(a).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
    }
}
