//! The OpenAPI 3 document (`/schema/openapi.json`) and Swagger UI (`/schema/swagger`, assets
//! served by the binary). Schemas come from the response types; the path list is the same
//! table of routes the router serves (a test requests every documented path).

use utoipa::OpenApi;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

use super::error::ErrorBody;
use super::shapes::{
    CertificateKeypair, CertificateRequest, Detail, Identities, RevealRound, RevealedByHotkey,
    SetCommitmentBody, SetRevealedCommitmentBody, SetWeightsBody, TaggedCommitment,
    UnstableCommitment, UnstableCommitments, WeightsScheduled, WeightsStatus,
};
use crate::chain::types::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Bittensor Pylon API", version = "0.1.0"),
    components(schemas(
        ErrorBody,
        Block,
        BlockInfo,
        AxonInfo,
        Stakes,
        Neuron,
        SubnetNeurons,
        SubnetValidators,
        SubnetCommitments,
        HotkeyCommitment,
        RevealedCommitment,
        RevealedCommitments,
        Certificate,
        Identities,
        TaggedCommitment,
        UnstableCommitments,
        UnstableCommitment,
        RevealedByHotkey,
        SetWeightsBody,
        WeightsScheduled,
        SetCommitmentBody,
        Detail,
        CertificateRequest,
        CertificateKeypair,
        WeightsStatus,
        SetRevealedCommitmentBody,
        RevealRound
    ))
)]
struct Schemas;

/// Who may call a group of routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Anyone.
    Public,
    /// The open-access token (or anyone, when it is empty).
    OpenAccess,
    /// The identity's token.
    Identity,
}

/// `(path or suffix, summary, schema of the 200 answer)`.
type RouteDoc = (&'static str, &'static str, &'static str);

/// The per-subnet reads both API versions serve alike.
const SUBNET_COMMON: [RouteDoc; 5] = [
    ("/block/{block}/neurons", "Neurons at a block (`latest` or a number)", "SubnetNeurons"),
    (
        "/block/recent/neurons",
        "Recent neurons, kept fresh in the background (503 when missing or stale)",
        "SubnetNeurons",
    ),
    ("/block/{block}/validators", "Validators at a block, by total stake", "SubnetValidators"),
    ("/block/latest/certificates", "Certificates by hotkey (a bare map)", "Certificate"),
    ("/block/latest/certificates/{hotkey}", "One hotkey's certificate", "Certificate"),
];

/// The v1 commitment reads.
const SUBNET_V1: [RouteDoc; 2] = [
    ("/block/latest/commitments", "Hex commitments by hotkey", "SubnetCommitments"),
    ("/block/latest/commitments/{hotkey}", "One hotkey's commitment", "HotkeyCommitment"),
];

/// The unstable commitment reads.
const SUBNET_UNSTABLE: [RouteDoc; 4] = [
    ("/block/latest/commitments", "Commitments by hotkey (tagged)", "UnstableCommitments"),
    (
        "/block/latest/commitments/{hotkey}",
        "One hotkey's commitment (tagged)",
        "UnstableCommitment",
    ),
    ("/block/latest/commitments/revealed", "Revealed commitments by hotkey", "RevealedByHotkey"),
    (
        "/block/latest/commitments/revealed/{hotkey}",
        "One hotkey's revealed commitments",
        "RevealedCommitments",
    ),
];

/// The identity's own reads in v1.
const SELF_V1: [RouteDoc; 2] = [
    ("/block/latest/certificates/self", "The identity's own certificate", "Certificate"),
    ("/block/latest/commitments/self", "The identity's own commitment", "HotkeyCommitment"),
];

/// The identity's own reads in the unstable API.
const SELF_UNSTABLE: [RouteDoc; 3] = [
    ("/block/latest/certificates/self", "The identity's own certificate", "Certificate"),
    (
        "/block/latest/commitments/self",
        "The identity's own commitment (tagged)",
        "UnstableCommitment",
    ),
    (
        "/block/latest/commitments/revealed/self",
        "The identity's own revealed commitments",
        "RevealedCommitments",
    ),
];

/// The identity's weights status (unstable).
const STATUS_UNSTABLE: [RouteDoc; 1] = [(
    "/mechanism/{mechanism_id}/block/{block}/weights/status",
    "Whether a weights job ran or runs in the epoch of a block (a local lookup)",
    "WeightsStatus",
)];

/// A write route: `(method, suffix, summary, body schema, success status, answer schema)`.
type WriteDoc = (HttpMethod, &'static str, &'static str, &'static str, &'static str, &'static str);

const WRITES_COMMON: [WriteDoc; 2] = [
    (
        HttpMethod::Post,
        "/commitments",
        "Set the identity's commitment and wait for finalization (502 after the retries)",
        "SetCommitmentBody",
        "201",
        "Detail",
    ),
    (
        HttpMethod::Post,
        "/certificates/self",
        "Generate an Ed25519 keypair and serve its public key with the current axon",
        "CertificateRequest",
        "201",
        "CertificateKeypair",
    ),
];

const WEIGHTS_V1: WriteDoc = (
    HttpMethod::Put,
    "/weights",
    "Schedule a weights job (mechanism 0); answers at once",
    "SetWeightsBody",
    "200",
    "WeightsScheduled",
);

const REVEALED_UNSTABLE: WriteDoc = (
    HttpMethod::Post,
    "/commitments/revealed",
    "Set a drand-timelocked commitment the chain reveals after blocks_until_reveal blocks",
    "SetRevealedCommitmentBody",
    "201",
    "RevealRound",
);

const WEIGHTS_UNSTABLE: WriteDoc = (
    HttpMethod::Put,
    "/mechanism/{mechanism_id}/weights",
    "Schedule a weights job for a mechanism; answers at once",
    "SetWeightsBody",
    "200",
    "WeightsScheduled",
);

/// Every documented write route: `(method, path, summary, body, status, answer)`.
pub fn documented_writes()
-> Vec<(HttpMethod, String, &'static str, &'static str, &'static str, &'static str)> {
    let v1 = "/api/v1/identity/{identity}/subnet/{netuid}";
    let unstable = "/api/_unstable/identity/{identity}/subnet/{netuid}";
    let mut out = Vec::new();
    let only_v1: Vec<WriteDoc> = vec![WEIGHTS_V1];
    let only_unstable: Vec<WriteDoc> = vec![WEIGHTS_UNSTABLE, REVEALED_UNSTABLE];
    for (prefix, extra) in [(v1, only_v1), (unstable, only_unstable)] {
        for (method, suffix, summary, body, status, answer) in
            WRITES_COMMON.iter().cloned().chain(extra)
        {
            out.push((method, format!("{prefix}{suffix}"), summary, body, status, answer));
        }
    }
    out
}

/// Every documented `GET` route: `(path, summary, 200 schema, guard)`.
pub fn documented_routes() -> Vec<(String, &'static str, &'static str, Guard)> {
    let mut routes = vec![
        ("/api/v1/identities".to_string(), "Identity name → netuid", "Identities", Guard::Public),
        (
            "/api/_unstable/identities".to_string(),
            "Identity name → netuid",
            "Identities",
            Guard::Public,
        ),
        (
            "/api/v1/block/latest".to_string(),
            "The finalized head: number, hash, timestamp",
            "BlockInfo",
            Guard::Public,
        ),
        (
            "/api/_unstable/openaccess/block/latest".to_string(),
            "The finalized head: number, hash, timestamp",
            "BlockInfo",
            Guard::OpenAccess,
        ),
    ];
    let groups: [(&str, &[RouteDoc], Guard); 11] = [
        ("/api/v1/subnet/{netuid}", &SUBNET_COMMON, Guard::OpenAccess),
        ("/api/v1/identity/{identity}/subnet/{netuid}", &SUBNET_COMMON, Guard::Identity),
        ("/api/_unstable/openaccess/subnet/{netuid}", &SUBNET_COMMON, Guard::OpenAccess),
        ("/api/_unstable/identity/{identity}/subnet/{netuid}", &SUBNET_COMMON, Guard::Identity),
        ("/api/v1/subnet/{netuid}", &SUBNET_V1, Guard::OpenAccess),
        ("/api/v1/identity/{identity}/subnet/{netuid}", &SUBNET_V1, Guard::Identity),
        ("/api/_unstable/openaccess/subnet/{netuid}", &SUBNET_UNSTABLE, Guard::OpenAccess),
        ("/api/_unstable/identity/{identity}/subnet/{netuid}", &SUBNET_UNSTABLE, Guard::Identity),
        ("/api/v1/identity/{identity}/subnet/{netuid}", &SELF_V1, Guard::Identity),
        ("/api/_unstable/identity/{identity}/subnet/{netuid}", &SELF_UNSTABLE, Guard::Identity),
        ("/api/_unstable/identity/{identity}/subnet/{netuid}", &STATUS_UNSTABLE, Guard::Identity),
    ];
    for (prefix, suffixes, guard) in groups {
        for (suffix, summary, schema) in suffixes.iter() {
            routes.push((format!("{prefix}{suffix}"), summary, schema, guard));
        }
    }
    routes
}

fn json_response(description: &str, schema: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name(schema))).build(),
        )
        .build()
}

fn operation(path: &str, summary: &str, schema: &str, guard: Guard) -> Operation {
    let mut op = OperationBuilder::new()
        .summary(Some(summary))
        .response("200", json_response("Success", schema));
    for name in path.split('{').skip(1).filter_map(|p| p.split('}').next()) {
        let description = match name {
            "netuid" => "Subnet id",
            "block" => "Block number, or `latest`",
            "hotkey" => "SS58 hotkey",
            "mechanism_id" => "Mechanism id (0 is the subnet's main mechanism)",
            _ => "Identity name",
        };
        op = op.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(utoipa::openapi::Required::True)
                .description(Some(description)),
        );
    }
    op = op.response("404", json_response("Not found", "ErrorBody"));
    if !matches!(guard, Guard::Public) {
        op = op
            .response(
                "401",
                json_response("Missing or malformed Authorization header", "ErrorBody"),
            )
            .response("403", json_response("Wrong token", "ErrorBody"))
            .response("502", json_response("The chain could not answer", "ErrorBody"))
            .response("504", json_response("X-Pylon-Timeout ran out", "ErrorBody"));
        let scheme =
            if matches!(guard, Guard::Identity) { "identity_token" } else { "open_access_token" };
        op = op.security(SecurityRequirement::new(scheme, Vec::<String>::new()));
    }
    if matches!(guard, Guard::Identity) {
        op = op.response(
            "308",
            ResponseBuilder::new().description("The identity's own netuid is in Location").build(),
        );
    }
    op.build()
}

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Schemas::openapi();
    for (path, summary, schema, guard) in documented_routes() {
        let item = PathItem::new(HttpMethod::Get, operation(&path, summary, schema, guard));
        doc.paths.paths.insert(path, item);
    }
    for (method, path, summary, body, status, answer) in documented_writes() {
        let mut op = operation(&path, summary, answer, Guard::Identity);
        op.responses.responses.remove("200");
        let ok = json_response("Success", answer);
        op.responses.responses.insert(status.to_string(), ok.into());
        op.responses.responses.insert(
            "400".to_string(),
            json_response("Invalid body: `extra` names each bad field", "ErrorBody").into(),
        );
        op.request_body = Some(
            utoipa::openapi::request_body::RequestBodyBuilder::new()
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name(body))).build(),
                )
                .build(),
        );
        let entry = doc.paths.paths.entry(path).or_default();
        match method {
            HttpMethod::Put => entry.put = Some(op),
            _ => entry.post = Some(op),
        }
    }
    let bearer = || SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme("open_access_token", bearer());
        components.add_security_scheme("identity_token", bearer());
    }
    doc
}
