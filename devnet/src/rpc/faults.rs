//! Injected RPC faults: a hook, settable while the devnet runs, that may answer any method call
//! with an error instead of the method (a node that rate-limits, or fails a read), so clients'
//! handling of a misbehaving node can be tested against the real protocol.

use std::future::Future;
use std::sync::{Arc, Mutex};

use jsonrpsee::MethodResponse;
use jsonrpsee::core::middleware::{Batch, Notification, RpcServiceT};
use jsonrpsee::types::{ErrorObjectOwned, Request};

/// Decides, from a call's method name and its parameters (raw JSON, empty when none), whether
/// it fails (and with which error) instead of running.
pub type FaultHook = Box<dyn FnMut(&str, &str) -> Option<ErrorObjectOwned> + Send>;

/// The hook every connection consults; none by default.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Option<FaultHook>>>);

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Faults")
    }
}

impl Faults {
    /// Sets the hook (replacing any); `None` removes it.
    pub fn set(&self, hook: Option<FaultHook>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = hook;
    }

    fn fault(&self, method: &str, params: &str) -> Option<ErrorObjectOwned> {
        let mut hook = self.0.lock().unwrap_or_else(|e| e.into_inner());
        hook.as_mut().and_then(|hook| hook(method, params))
    }
}

/// The middleware that applies [`Faults`] to single calls (batches and notifications pass).
#[derive(Clone)]
pub struct FaultService<S> {
    /// The next service.
    pub service: S,
    /// The hook.
    pub faults: Faults,
}

impl<S> RpcServiceT for FaultService<S>
where
    S: RpcServiceT<MethodResponse = MethodResponse> + Clone + Send + Sync + 'static,
{
    type MethodResponse = MethodResponse;
    type NotificationResponse = S::NotificationResponse;
    type BatchResponse = S::BatchResponse;

    fn call<'a>(&self, req: Request<'a>) -> impl Future<Output = MethodResponse> + Send + 'a {
        let params = req.params();
        // Every call the node answers, for benchmarks that count what a client asked
        // (`PYLON_LOG=pylon::devnet::rpc=debug`).
        tracing::debug!(target: "pylon::devnet::rpc", method = %req.method_name(), "call");
        let fault = self.faults.fault(req.method_name(), params.as_str().unwrap_or(""));
        let service = self.service.clone();
        async move {
            match fault {
                Some(error) => MethodResponse::error(req.id(), error),
                None => service.call(req).await,
            }
        }
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = Self::BatchResponse> + Send + 'a {
        self.service.batch(batch)
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = Self::NotificationResponse> + Send + 'a {
        self.service.notification(n)
    }
}
