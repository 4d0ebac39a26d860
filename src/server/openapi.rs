//! The OpenAPI 3.1 document (`/schema/openapi.json`, `/schema/openapi.yaml`) and Swagger UI
//! (`/schema/swagger`, assets served by the binary), built from the route table: every route
//! under every scope, with its path and query parameters (typed), the `X-Pylon-Timeout` header,
//! the bearer scheme of its guard, its request body and every status it can answer.

use utoipa::OpenApi;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};

use super::body::{
    CertificateRequest, EvmLogsBody, SetCommitmentBody, SetRevealedCommitmentBody, SetWeightsBody,
};
use super::error::ErrorBody;
use super::shapes::*;
use super::table::{Answer, Guard, Method, Route, Scope, full_path, routes};
use crate::chain::blocks::{
    DrandRound, EvmAssociation, Price, SubnetEvmAssociations, SubnetPrice, SubnetPrices,
};
use crate::chain::types::*;
use crate::evm::{EvmLog, EvmLogs};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bittensor Pylon API",
        version = "0.1.0",
        description = "Wire-compatible with the Python Bittensor Pylon service and its client \
                       bittensor-pylon-client."
    ),
    components(schemas(
        ErrorBody,
        Health,
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
        RevealRound,
        Extrinsic,
        ExtrinsicCall,
        ExtrinsicCallArg,
        Price,
        SubnetPrices,
        SubnetPrice,
        DrandRound,
        EvmAssociation,
        SubnetEvmAssociations,
        EvmLogs,
        EvmLog,
        EvmLogsBody
    ))
)]
struct Schemas;

fn integer(min: Option<f64>, max: Option<f64>) -> Schema {
    let mut b = ObjectBuilder::new().schema_type(SchemaType::Type(Type::Integer));
    if let Some(min) = min {
        b = b.minimum(Some(min));
    }
    if let Some(max) = max {
        b = b.maximum(Some(max));
    }
    Schema::Object(b.build())
}

fn string() -> Schema {
    Schema::Object(ObjectBuilder::new().schema_type(SchemaType::Type(Type::String)).build())
}

/// The schema and description of a path parameter, by name.
fn path_parameter(name: &str) -> (Schema, &'static str) {
    match name {
        "netuid" => (integer(Some(0.0), Some(65535.0)), "Subnet id"),
        "mechanism_id" => (integer(Some(0.0), Some(255.0)), "Mechanism id (0: the main one)"),
        "extrinsic_index" => {
            (integer(None, None), "Index in the block (a negative one is never found)")
        }
        "block" => {
            let latest = ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(["latest"]))
                .build();
            let number = integer(Some(-1.0), None);
            let one_of = OneOfBuilder::new().item(latest).item(number).build();
            (Schema::OneOf(one_of), "`latest`, a block number, or -1 (latest)")
        }
        "hotkey" => (string(), "SS58 hotkey"),
        "identity" => (string(), "Identity name"),
        "contract_address" => (
            Schema::Object(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::String))
                    .pattern(Some("^(0[xX])?[0-9a-fA-F]{40}$"))
                    .build(),
            ),
            "EVM contract address: 40 hex digits, `0x` optional, any case",
        ),
        _ => (string(), "Path parameter"),
    }
}

fn json(description: &str, schema: RefOr<Schema>) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(schema)).build())
        .build()
}

fn error(description: &str) -> utoipa::openapi::Response {
    json(description, Ref::from_schema_name("ErrorBody").into())
}

fn answer_schema(answer: Answer) -> Option<RefOr<Schema>> {
    match answer {
        Answer::Json(name) => Some(Ref::from_schema_name(name).into()),
        Answer::Map(name) => Some(
            Schema::Object(
                ObjectBuilder::new()
                    .schema_type(SchemaType::Type(Type::Object))
                    .additional_properties(Some(Ref::from_schema_name(name)))
                    .build(),
            )
            .into(),
        ),
        Answer::Text => None,
    }
}

fn operation(scope: Scope, route: &Route, path: &str) -> utoipa::openapi::path::Operation {
    let mut op = OperationBuilder::new().summary(Some(route.summary)).tag(scope.tag());
    for name in super::params::names(path) {
        let (schema, description) = path_parameter(name);
        op = op.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(schema))
                .description(Some(description)),
        );
    }
    for (name, ty, required, description) in route.query {
        let schema = if *ty == "integer" {
            integer(Some(0.0), Some(super::body::MAX_QUERY_BLOCK as f64))
        } else {
            string()
        };
        op = op.parameter(
            ParameterBuilder::new()
                .name(*name)
                .parameter_in(ParameterIn::Query)
                .required(if *required { Required::True } else { Required::False })
                .schema(Some(schema))
                .description(Some(*description)),
        );
    }
    let api = scope != Scope::Root;
    if api {
        let timeout = Schema::Object(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Number))
                .exclusive_minimum(Some(0.0))
                .build(),
        );
        op = op.parameter(
            ParameterBuilder::new()
                .name("X-Pylon-Timeout")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .schema(Some(timeout))
                .description(Some(
                    "Seconds the request may take (default 60, capped at 300); 504 when it \
                     runs out, 400 when it is not a positive number",
                )),
        );
    }
    let ok = match answer_schema(route.answer) {
        Some(schema) => json("Success", schema),
        None => ResponseBuilder::new()
            .description("Prometheus text")
            .content("text/plain", ContentBuilder::new().schema(Some(string())).build())
            .build(),
    };
    op = op.response(route.status.to_string(), ok);
    let mut fails: Vec<(u16, &str)> = Vec::new();
    if api {
        fails.push((
            400,
            "Invalid X-Pylon-Timeout header or request body (`extra` names each bad field)",
        ));
        fails.push((404, "Not found: an unknown route or block, a parameter that does not parse"));
        fails.push((504, "The request's time budget (X-Pylon-Timeout) ran out"));
    }
    if matches!(scope.guard(), Guard::OpenAccess | Guard::Identity) {
        fails.push((401, "Missing or malformed Authorization header"));
        fails.push((403, "Wrong token"));
    }
    for &status in route.fails {
        let text = match status {
            401 => "Missing or malformed Authorization header",
            403 => "Metrics are not configured, or a wrong token",
            413 => "Request body larger than 1 MiB",
            422 => "Malformed ABI",
            502 => "The chain (or EVM node) could not answer or refused",
            503 => "Not available yet, or stale",
            _ => "Failure",
        };
        fails.push((status, text));
    }
    for (status, text) in fails {
        op = op.response(status.to_string(), error(text));
    }
    if scope.guard() == Guard::Identity {
        op = op.response(
            "308",
            ResponseBuilder::new()
                .description(
                    "Another netuid than the identity's: the same path on its own is in Location",
                )
                .build(),
        );
    }
    if let Some(body) = route.body {
        op = op.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name(body))).build(),
                )
                .build(),
        ));
    }
    let scheme = match scope.guard() {
        Guard::Identity => Some("identity_token"),
        Guard::OpenAccess => Some("open_access_token"),
        Guard::Metrics => Some("metrics_token"),
        Guard::Public => None,
    };
    if let Some(scheme) = scheme {
        op = op.security(SecurityRequirement::new(scheme, Vec::<String>::new()));
    }
    op.build()
}

/// Every `(method, full path)` the document lists, as the router serves them.
pub fn documented() -> Vec<(Method, String, Scope)> {
    let mut out = Vec::new();
    for route in routes() {
        for &scope in route.scopes {
            out.push((route.method, full_path(scope, &route), scope));
        }
    }
    out
}

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = Schemas::openapi();
    for route in routes() {
        for &scope in route.scopes {
            let path = full_path(scope, &route);
            let op = operation(scope, &route, &path);
            let method = match route.method {
                Method::Get => HttpMethod::Get,
                Method::Put => HttpMethod::Put,
                Method::Post => HttpMethod::Post,
            };
            match doc.paths.paths.get_mut(&path) {
                Some(item) => item.merge_operations(PathItem::new(method, op)),
                None => {
                    doc.paths.paths.insert(path, PathItem::new(method, op));
                }
            }
        }
    }
    let bearer = || SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
    if let Some(components) = doc.components.as_mut() {
        components.add_security_scheme("open_access_token", bearer());
        components.add_security_scheme("identity_token", bearer());
        components.add_security_scheme("metrics_token", bearer());
    }
    doc
}

/// The document as YAML.
pub fn yaml(doc: &utoipa::openapi::OpenApi) -> String {
    doc.to_yaml().unwrap_or_else(|e| format!("# the document could not be written as YAML: {e}\n"))
}
