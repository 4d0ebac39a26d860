//! Prometheus metrics with the Python Pylon's names, types and labels, plus process metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use super::AppState;

/// The `app_name` label value.
pub const APP_NAME: &str = "bittensor-pylon";

/// The registry and every metric the server updates.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    errors: IntCounterVec,
    duration: HistogramVec,
    in_progress: IntGaugeVec,
    /// `pylon_bittensor_operation_duration_seconds{operation, status, uri, netuid, hotkey}`.
    pub operation: HistogramVec,
    /// `pylon_bittensor_fallback_total{reason, operation, hotkey}`.
    pub fallback: IntCounterVec,
    /// `pylon_apply_weights_job_duration_seconds{operation, status, netuid, hotkey}`.
    pub apply_job: HistogramVec,
    /// `pylon_apply_weights_attempt_duration_seconds{operation, status, netuid, hotkey}`.
    pub apply_attempt: HistogramVec,
    /// `pylon_evm_operation_duration_seconds{operation, status, rpc_url}`.
    pub evm_operation: HistogramVec,
    /// `pylon_evm_archive_routing_total{reason}`.
    pub evm_routing: IntCounterVec,
    /// `pylon_chain_changes_total`: times the main node moved to another chain (genesis).
    pub chain_changes: prometheus::IntCounter,
    /// `pylon_cache_bytes`: bytes the response cache holds (bodies and per-entry overhead).
    pub cache_bytes: prometheus::IntGauge,
    /// `pylon_cache_entries`: answers the response cache holds.
    pub cache_entries: prometheus::IntGauge,
    /// Chain endpoints' health, which is active, and failovers.
    pub endpoints: EndpointMetrics,
    /// `pylon_weights_leader{identity,mechanism}`: 1 while this replica holds the lease.
    pub leader: IntGaugeVec,
    /// `pylon_weights_lease_taken_total{identity,mechanism}`: leases this replica took (a
    /// takeover when another held it before).
    pub lease_taken: IntCounterVec,
}

/// `pylon_chain_endpoint_up` and `pylon_chain_endpoint_active` (by role and endpoint URL, one
/// series per configured endpoint) and `pylon_chain_failovers_total` (by role).
pub struct EndpointMetrics {
    up: IntGaugeVec,
    active: IntGaugeVec,
    failovers: IntCounterVec,
}

impl EndpointMetrics {
    fn new(registry: &Registry) -> Result<Self, prometheus::Error> {
        let labels = ["role", "endpoint"];
        let up = IntGaugeVec::new(
            Opts::new(
                "pylon_chain_endpoint_up",
                "Whether the endpoint's last check or use succeeded",
            ),
            &labels,
        )?;
        let active = IntGaugeVec::new(
            Opts::new("pylon_chain_endpoint_active", "Whether requests go to the endpoint"),
            &labels,
        )?;
        let failovers = IntCounterVec::new(
            Opts::new("pylon_chain_failovers_total", "Times requests moved to another endpoint"),
            &["role"],
        )?;
        registry.register(Box::new(up.clone()))?;
        registry.register(Box::new(active.clone()))?;
        registry.register(Box::new(failovers.clone()))?;
        Ok(Self { up, active, failovers })
    }

    /// Brings the series of `node` (in `role`: main or archive) up to date.
    pub fn observe(&self, role: &str, node: &crate::chain::client::Node) {
        for e in node.endpoint_status() {
            self.up.with_label_values(&[role, &e.url]).set(i64::from(e.healthy));
            self.active.with_label_values(&[role, &e.url]).set(i64::from(e.active));
        }
        let counter = self.failovers.with_label_values(&[role]);
        counter.inc_by(node.failovers().saturating_sub(counter.get()));
    }
}

const HTTP_LABELS: [&str; 4] = ["method", "path", "status_code", "app_name"];

impl Metrics {
    /// Registers every metric (and the process collector) in a fresh registry.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("pylon_requests_total", "Total number of HTTP requests"),
            &HTTP_LABELS,
        )?;
        let errors = IntCounterVec::new(
            Opts::new("pylon_requests_error_total", "HTTP requests that failed with a 5xx status"),
            &HTTP_LABELS,
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new("pylon_request_duration_seconds", "HTTP request duration"),
            &HTTP_LABELS,
        )?;
        let in_progress = IntGaugeVec::new(
            Opts::new("pylon_requests_in_progress", "HTTP requests currently being processed"),
            &HTTP_LABELS,
        )?;
        let operation = HistogramVec::new(
            HistogramOpts::new(
                "pylon_bittensor_operation_duration_seconds",
                "Duration of Bittensor operations",
            )
            .buckets(vec![0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0]),
            &["operation", "status", "uri", "netuid", "hotkey"],
        )?;
        let fallback = IntCounterVec::new(
            Opts::new("pylon_bittensor_fallback_total", "Archive client fallback events"),
            &["reason", "operation", "hotkey"],
        )?;
        let apply_labels = ["operation", "status", "netuid", "hotkey"];
        let apply_job = HistogramVec::new(
            HistogramOpts::new(
                "pylon_apply_weights_job_duration_seconds",
                "Duration of a weights job, from scheduling to its end",
            )
            .buckets(vec![1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0]),
            &apply_labels,
        )?;
        let apply_attempt = HistogramVec::new(
            HistogramOpts::new(
                "pylon_apply_weights_attempt_duration_seconds",
                "Duration of one attempt of a weights job",
            )
            .buckets(vec![0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0]),
            &apply_labels,
        )?;
        let evm_operation = HistogramVec::new(
            HistogramOpts::new(
                "pylon_evm_operation_duration_seconds",
                "Duration of EVM node operations",
            )
            .buckets(vec![0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0]),
            &["operation", "status", "rpc_url"],
        )?;
        let evm_routing = IntCounterVec::new(
            Opts::new(
                "pylon_evm_archive_routing_total",
                "EVM log queries by the node that answered them: archive, main, or split",
            ),
            &["reason"],
        )?;
        let chain_changes = prometheus::IntCounter::new(
            "pylon_chain_changes_total",
            "Times the main node started serving another chain (its genesis hash changed)",
        )?;
        let cache_bytes = prometheus::IntGauge::new(
            "pylon_cache_bytes",
            "Bytes the response cache holds (bodies and per-entry overhead)",
        )?;
        let cache_entries =
            prometheus::IntGauge::new("pylon_cache_entries", "Answers the response cache holds")?;
        registry.register(Box::new(chain_changes.clone()))?;
        registry.register(Box::new(cache_bytes.clone()))?;
        registry.register(Box::new(cache_entries.clone()))?;
        registry.register(Box::new(evm_operation.clone()))?;
        registry.register(Box::new(evm_routing.clone()))?;
        registry.register(Box::new(apply_job.clone()))?;
        registry.register(Box::new(apply_attempt.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(errors.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        registry.register(Box::new(in_progress.clone()))?;
        registry.register(Box::new(operation.clone()))?;
        registry.register(Box::new(fallback.clone()))?;
        #[cfg(target_os = "linux")]
        registry.register(Box::new(prometheus::process_collector::ProcessCollector::for_self()))?;
        let endpoints = EndpointMetrics::new(&registry)?;
        let leader = IntGaugeVec::new(
            Opts::new("pylon_weights_leader", "1 while this replica leads the identity's weights"),
            &["identity", "mechanism"],
        )?;
        let lease_taken = IntCounterVec::new(
            Opts::new("pylon_weights_lease_taken_total", "Weights leases this replica took"),
            &["identity", "mechanism"],
        )?;
        registry.register(Box::new(leader.clone()))?;
        registry.register(Box::new(lease_taken.clone()))?;
        Ok(Self {
            endpoints,
            leader,
            lease_taken,
            registry,
            requests,
            errors,
            duration,
            in_progress,
            operation,
            fallback,
            apply_job,
            apply_attempt,
            evm_operation,
            evm_routing,
            chain_changes,
            cache_bytes,
            cache_entries,
        })
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Encoding into a Vec cannot fail for well-formed metrics.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl crate::evm::Observer for Metrics {
    fn operation(&self, operation: &str, status: &str, rpc_url: &str, seconds: f64) {
        self.evm_operation.with_label_values(&[operation, status, rpc_url]).observe(seconds);
    }

    fn routing(&self, reason: &str) {
        self.evm_routing.with_label_values(&[reason]).inc();
    }
}

/// One routed request's metrics: in progress from [`Tracker::start`] until dropped (also when
/// the client goes away and the request is dropped), counted and timed by [`Tracker::finish`].
pub struct Tracker {
    state: Arc<AppState>,
    method: &'static str,
    path: Option<MatchedPath>,
    in_progress: prometheus::IntGauge,
    started: Instant,
}

impl Tracker {
    /// Starts tracking `request`, labelled by its route template.
    pub fn start(state: &Arc<AppState>, request: &Request) -> Self {
        let path = request.extensions().get::<MatchedPath>().cloned();
        // Only the methods the API knows: an arbitrary one must not become a label value.
        let method = match *request.method() {
            axum::http::Method::GET => "GET",
            axum::http::Method::PUT => "PUT",
            axum::http::Method::POST => "POST",
            axum::http::Method::HEAD => "HEAD",
            axum::http::Method::OPTIONS => "OPTIONS",
            axum::http::Method::DELETE => "DELETE",
            axum::http::Method::PATCH => "PATCH",
            _ => "other",
        };
        let route = path.as_ref().map_or("unmatched", MatchedPath::as_str);
        let in_progress =
            state.metrics.in_progress.with_label_values(&[method, route, "200", APP_NAME]);
        in_progress.inc();
        Self { state: state.clone(), method, path, in_progress, started: Instant::now() }
    }

    /// Counts and times the request by the status of its `response`.
    pub fn finish(self, response: &Response) {
        let (m, method) = (&self.state.metrics, self.method);
        let path = self.path.as_ref().map_or("unmatched", MatchedPath::as_str);
        let code = response.status();
        let status = code.as_str();
        let labels = [method, path, status, APP_NAME];
        m.requests.with_label_values(&labels).inc();
        m.duration.with_label_values(&labels).observe(self.started.elapsed().as_secs_f64());
        if code.is_server_error() {
            m.errors.with_label_values(&labels).inc();
            // Reported to Sentry when it is configured; a no-op otherwise.
            sentry::capture_message(
                &format!("{method} {path} answered {status}"),
                sentry::Level::Error,
            );
        }
    }
}

impl Drop for Tracker {
    fn drop(&mut self) {
        self.in_progress.dec();
    }
}
