//! Health checks of a node's endpoints when it has several: each is asked for its finalized
//! head every interval; requests go to the first healthy one in the configured order, so they
//! leave a failed endpoint and come back to a preferred one when it answers again.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::error::ChainError;
use super::node::Node;

/// How long a health check may take before the endpoint counts as down.
const CHECK_LIMIT: Duration = Duration::from_secs(1);

/// One endpoint as health checks see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointStatus {
    /// Its URL (without credentials).
    pub url: String,
    /// Whether its last check or use succeeded.
    pub healthy: bool,
    /// Whether requests go to it.
    pub active: bool,
}

impl Node {
    /// Checks every endpoint every `every` for as long as it runs (returns at once with a
    /// single endpoint, which is used whatever its health).
    pub async fn watch_endpoints(&self, every: Duration) {
        if self.endpoints.len() < 2 {
            return;
        }
        loop {
            let checks = (0..self.endpoints.len()).map(|i| self.check(i));
            let results = subxt::ext::futures::future::join_all(checks).await;
            for (endpoint, ok) in self.endpoints.iter().zip(results) {
                endpoint.healthy.store(ok, Ordering::SeqCst);
            }
            let healthy = |i: &usize| self.endpoints[*i].healthy.load(Ordering::SeqCst);
            if let Some(best) = (0..self.endpoints.len()).find(healthy) {
                let active = self.active();
                if best != active {
                    let why = if healthy(&active) {
                        "a preferred endpoint answers again"
                    } else {
                        "the active endpoint failed its health check"
                    };
                    self.switch_to(best, why);
                }
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Whether endpoint `i` answers `chain_getFinalizedHead` within [`CHECK_LIMIT`]; a failed
    /// open connection is dropped so the next use reconnects.
    async fn check(&self, i: usize) -> bool {
        let ask = async {
            let rpc = self.endpoint_connection(i).await?.1;
            let params = subxt::rpcs::rpc_params![];
            rpc.request::<String>("chain_getFinalizedHead", params)
                .await
                .map_err(|e| ChainError::from_client(&self.endpoints[i].url, &e))
        };
        let ok = matches!(tokio::time::timeout(CHECK_LIMIT, ask).await, Ok(Ok(_)));
        if !ok {
            self.forget(i);
        }
        ok
    }

    /// Every endpoint's health and which one is active.
    pub fn endpoint_status(&self) -> Vec<EndpointStatus> {
        let active = self.active();
        self.endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| EndpointStatus {
                url: e.url.clone(),
                healthy: e.healthy.load(Ordering::SeqCst),
                active: i == active,
            })
            .collect()
    }

    /// How many times requests moved to another endpoint.
    pub fn failovers(&self) -> u64 {
        self.failovers.load(Ordering::SeqCst)
    }
}
