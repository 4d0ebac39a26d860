//! The API as one table: every route with the scopes it is served under, its handler and its
//! documentation. [`router`](super::router) and the OpenAPI document are both built from it, so
//! what is served and what is documented cannot disagree.

use std::sync::Arc;

use axum::routing::{MethodRouter, get, post, put};

use super::{AppState, block_routes, evm_routes, routes, writes};

/// Where a group of routes is mounted, and who may call it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `/health`, `/metrics`.
    Root,
    /// `/api/v1`, public.
    V1,
    /// `/api/v1/subnet/{netuid}`, open access.
    V1Subnet,
    /// `/api/v1/identity/{identity}/subnet/{netuid}`, the identity's token.
    V1Identity,
    /// `/api/_unstable`, public.
    Unstable,
    /// `/api/_unstable/openaccess`, open access.
    UnstableOpen,
    /// `/api/_unstable/openaccess/subnet/{netuid}`, open access.
    UnstableSubnet,
    /// `/api/_unstable/identity/{identity}/subnet/{netuid}`, the identity's token.
    UnstableIdentity,
}

/// Who may call a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Anyone.
    Public,
    /// The open-access token (or anyone, when it is empty).
    OpenAccess,
    /// The identity's token; another netuid than the identity's is a 308.
    Identity,
    /// `/metrics`'s own token.
    Metrics,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 8] = [
        Scope::Root,
        Scope::V1,
        Scope::V1Subnet,
        Scope::V1Identity,
        Scope::Unstable,
        Scope::UnstableOpen,
        Scope::UnstableSubnet,
        Scope::UnstableIdentity,
    ];

    /// The path prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Scope::Root => "",
            Scope::V1 => "/api/v1",
            Scope::V1Subnet => "/api/v1/subnet/{netuid}",
            Scope::V1Identity => "/api/v1/identity/{identity}/subnet/{netuid}",
            Scope::Unstable => "/api/_unstable",
            Scope::UnstableOpen => "/api/_unstable/openaccess",
            Scope::UnstableSubnet => "/api/_unstable/openaccess/subnet/{netuid}",
            Scope::UnstableIdentity => "/api/_unstable/identity/{identity}/subnet/{netuid}",
        }
    }

    /// Who may call it.
    pub fn guard(self) -> Guard {
        match self {
            Scope::Root | Scope::V1 | Scope::Unstable => Guard::Public,
            Scope::V1Subnet | Scope::UnstableOpen | Scope::UnstableSubnet => Guard::OpenAccess,
            Scope::V1Identity | Scope::UnstableIdentity => Guard::Identity,
        }
    }

    /// The documentation tag.
    pub fn tag(self) -> &'static str {
        match self {
            Scope::Root => "operations",
            Scope::V1 | Scope::V1Subnet => "v1 open access",
            Scope::V1Identity => "v1 identity",
            Scope::Unstable | Scope::UnstableOpen | Scope::UnstableSubnet => "unstable open access",
            Scope::UnstableIdentity => "unstable identity",
        }
    }
}

/// The HTTP method of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
}

/// What a successful answer holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A JSON document of this schema.
    Json(&'static str),
    /// A JSON object mapping strings to this schema.
    Map(&'static str),
    /// Prometheus text.
    Text,
}

/// A query parameter: name, JSON type, required, description.
pub type Query = (&'static str, &'static str, bool, &'static str);

/// One route, served under each of its scopes.
pub struct Route {
    /// The method.
    pub method: Method,
    /// The path below the scope's prefix.
    pub path: &'static str,
    /// Where it is served.
    pub scopes: &'static [Scope],
    /// What it does.
    pub summary: &'static str,
    /// The success status.
    pub status: u16,
    /// The success body.
    pub answer: Answer,
    /// The request body schema, for writes.
    pub body: Option<&'static str>,
    /// Query parameters.
    pub query: &'static [Query],
    /// Failure statuses beyond every route's (400, 404, 504) and its guard's (401, 403, 308).
    pub fails: &'static [u16],
    /// The handler.
    pub handler: fn() -> MethodRouter<Arc<AppState>>,
}

use Scope::*;

const SUBNET_READS: &[Scope] = &[V1Subnet, V1Identity, UnstableSubnet, UnstableIdentity];
const V1_SUBNET_READS: &[Scope] = &[V1Subnet, V1Identity];
const UNSTABLE_SUBNET_READS: &[Scope] = &[UnstableSubnet, UnstableIdentity];
const IDENTITIES: &[Scope] = &[V1Identity, UnstableIdentity];
/// A chain read can fail at the node.
const CHAIN: &[u16] = &[502];

fn read(
    path: &'static str,
    scopes: &'static [Scope],
    summary: &'static str,
    answer: Answer,
    handler: fn() -> MethodRouter<Arc<AppState>>,
) -> Route {
    Route {
        method: Method::Get,
        path,
        scopes,
        summary,
        status: 200,
        answer,
        body: None,
        query: &[],
        fails: CHAIN,
        handler,
    }
}

/// Every route of the API.
pub fn routes() -> Vec<Route> {
    use Answer::{Json, Map};
    vec![
        Route {
            fails: &[503],
            ..read("/health", &[Root], "Whether the gateway can answer", Json("Health"), || {
                get(routes::health)
            })
        },
        Route {
            answer: Answer::Text,
            fails: &[401, 403],
            ..read(
                "/metrics",
                &[Root],
                "Prometheus metrics (Bearer PYLON_METRICS_TOKEN)",
                Json(""),
                || get(routes::metrics),
            )
        },
        Route {
            fails: &[],
            ..read(
                "/identities",
                &[V1, Unstable],
                "Identity name → netuid",
                Json("Identities"),
                || get(routes::identities),
            )
        },
        read(
            "/block/latest",
            &[V1, UnstableOpen],
            "The finalized head: number, hash, timestamp (cached 3 s)",
            Json("BlockInfo"),
            || get(routes::latest_block),
        ),
        read(
            "/block/{block}/extrinsic/{extrinsic_index}",
            &[V1, UnstableOpen],
            "One extrinsic of a block, decoded (call, arguments, signer, era, nonce, tip)",
            Json("Extrinsic"),
            || get(block_routes::extrinsic),
        ),
        Route {
            fails: &[501, 502],
            ..read(
                "/block/{block}/prices",
                &[UnstableOpen],
                "Every subnet's alpha price in rao (501 before the runtime had prices)",
                Json("SubnetPrices"),
                || get(block_routes::prices),
            )
        },
        Route {
            method: Method::Post,
            body: Some("EvmLogsBody"),
            query: &[
                ("from_block", "integer", true, "First EVM block of the range"),
                ("to_block", "integer", true, "Last EVM block of the range (≥ from_block)"),
            ],
            fails: &[413, 422, 502],
            ..read(
                "/evm/contracts/{contract_address}/logs",
                &[UnstableOpen],
                "A contract's logs in a block range, decoded with the body's event ABI",
                Json("EvmLogs"),
                || post(evm_routes::logs),
            )
        },
        read(
            "/block/latest/drand/last_stored_round",
            &[UnstableOpen],
            "The last drand round the chain stored",
            Json("DrandRound"),
            || get(block_routes::drand_round),
        ),
        Route {
            fails: &[501, 502],
            ..read(
                "/block/{block}/price",
                UNSTABLE_SUBNET_READS,
                "The subnet's alpha price in rao (501 before the runtime had prices)",
                Json("SubnetPrice"),
                || get(block_routes::price),
            )
        },
        read(
            "/block/latest/evm_associations",
            UNSTABLE_SUBNET_READS,
            "The subnet's hotkey → EVM address associations",
            Json("SubnetEvmAssociations"),
            || get(block_routes::evm_associations),
        ),
        read(
            "/block/{block}/neurons",
            SUBNET_READS,
            "Neurons at a block (`latest` or a number)",
            Json("SubnetNeurons"),
            || get(routes::neurons),
        ),
        Route {
            fails: &[502, 503],
            ..read(
                "/block/recent/neurons",
                SUBNET_READS,
                "Recent neurons, kept fresh in the background (503 when missing or stale)",
                Json("SubnetNeurons"),
                || get(routes::recent_neurons),
            )
        },
        read(
            "/block/{block}/validators",
            SUBNET_READS,
            "Validators at a block, by total stake",
            Json("SubnetValidators"),
            || get(routes::validators),
        ),
        read(
            "/block/latest/certificates",
            SUBNET_READS,
            "Certificates by hotkey (a bare map)",
            Map("Certificate"),
            || get(routes::certificates),
        ),
        read(
            "/block/latest/certificates/{hotkey}",
            SUBNET_READS,
            "One hotkey's certificate",
            Json("Certificate"),
            || get(routes::certificate),
        ),
        read(
            "/block/latest/certificates/self",
            IDENTITIES,
            "The identity's own certificate",
            Json("Certificate"),
            || get(routes::certificate),
        ),
        read(
            "/block/latest/commitments",
            V1_SUBNET_READS,
            "Hex commitments by hotkey",
            Json("SubnetCommitments"),
            || get(routes::commitments_v1),
        ),
        read(
            "/block/latest/commitments/{hotkey}",
            V1_SUBNET_READS,
            "One hotkey's commitment",
            Json("HotkeyCommitment"),
            || get(routes::commitment_v1),
        ),
        read(
            "/block/latest/commitments/self",
            &[V1Identity],
            "The identity's own commitment",
            Json("HotkeyCommitment"),
            || get(routes::commitment_v1),
        ),
        read(
            "/block/latest/commitments",
            UNSTABLE_SUBNET_READS,
            "Commitments by hotkey (tagged: hex data or timelock encrypted)",
            Json("UnstableCommitments"),
            || get(routes::commitments_unstable),
        ),
        read(
            "/block/latest/commitments/{hotkey}",
            UNSTABLE_SUBNET_READS,
            "One hotkey's commitment (tagged)",
            Json("UnstableCommitment"),
            || get(routes::commitment_unstable),
        ),
        read(
            "/block/latest/commitments/self",
            &[UnstableIdentity],
            "The identity's own commitment (tagged)",
            Json("UnstableCommitment"),
            || get(routes::commitment_unstable),
        ),
        read(
            "/block/latest/commitments/revealed",
            UNSTABLE_SUBNET_READS,
            "Revealed commitments by hotkey",
            Json("RevealedByHotkey"),
            || get(routes::revealed_all),
        ),
        read(
            "/block/latest/commitments/revealed/{hotkey}",
            UNSTABLE_SUBNET_READS,
            "One hotkey's revealed commitments",
            Json("RevealedCommitments"),
            || get(routes::revealed_one),
        ),
        read(
            "/block/latest/commitments/revealed/self",
            &[UnstableIdentity],
            "The identity's own revealed commitments",
            Json("RevealedCommitments"),
            || get(routes::revealed_one),
        ),
        read(
            "/mechanism/{mechanism_id}/block/{block}/weights/status",
            &[UnstableIdentity],
            "Whether a weights job ran or runs in the epoch of a block (a local lookup)",
            Json("WeightsStatus"),
            || get(writes::weights_status),
        ),
        Route {
            method: Method::Put,
            body: Some("SetWeightsBody"),
            fails: &[413],
            ..read(
                "/weights",
                &[V1Identity],
                "Schedule a weights job (mechanism 0); answers at once",
                Json("WeightsScheduled"),
                || put(writes::put_weights),
            )
        },
        Route {
            method: Method::Put,
            body: Some("SetWeightsBody"),
            fails: &[413],
            ..read(
                "/mechanism/{mechanism_id}/weights",
                &[UnstableIdentity],
                "Schedule a weights job for a mechanism; answers at once",
                Json("WeightsScheduled"),
                || put(writes::put_weights),
            )
        },
        Route {
            method: Method::Post,
            status: 201,
            body: Some("SetCommitmentBody"),
            fails: &[413, 502],
            ..read(
                "/commitments",
                IDENTITIES,
                "Set the identity's commitment and wait for finalization (502 after the retries)",
                Json("Detail"),
                || post(writes::post_commitment),
            )
        },
        Route {
            method: Method::Post,
            status: 201,
            body: Some("SetRevealedCommitmentBody"),
            fails: &[413, 502],
            ..read(
                "/commitments/revealed",
                &[UnstableIdentity],
                "Set a drand-timelocked commitment the chain reveals after blocks_until_reveal blocks",
                Json("RevealRound"),
                || post(writes::post_revealed_commitment),
            )
        },
        Route {
            method: Method::Post,
            status: 201,
            body: Some("CertificateRequest"),
            fails: &[413, 502],
            ..read(
                "/certificates/self",
                IDENTITIES,
                "Generate an Ed25519 keypair and serve its public key with the current axon",
                Json("CertificateKeypair"),
                || post(writes::post_certificate),
            )
        },
    ]
}

/// The full path of `route` under `scope`.
pub fn full_path(scope: Scope, route: &Route) -> String {
    format!("{}{}", scope.prefix(), route.path)
}
