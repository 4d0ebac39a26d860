//! Bearer-token guards: open access, identities (with the 308 to the identity's own subnet),
//! and metrics. Tokens are compared in constant time and never logged.

use std::sync::Arc;

use axum::extract::{RawPathParams, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::ApiError;
use super::params::mistyped_path;

/// The bearer token of the request: 401 when missing or not `Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::new(StatusCode::UNAUTHORIZED, "Authorization header is required")
    })?;
    let malformed = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid Authorization header format. Expected: Bearer <token>",
        )
    };
    let text = value.to_str().map_err(|_| malformed())?;
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [scheme, token] if scheme.eq_ignore_ascii_case("bearer") => Ok(token),
        _ => Err(malformed()),
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn check(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let token = bearer(headers)?;
    if same(token, expected) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::FORBIDDEN, "Invalid authorization token"))
    }
}

/// Open-access routes: free when `PYLON_OPEN_ACCESS_TOKEN` is empty, else its bearer token;
/// a mistyped path parameter is 404 first.
pub async fn open_access(
    State(state): State<Arc<AppState>>,
    params: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    if let Some(e) = mistyped_path(&params) {
        return e.into_response();
    }
    let expected = &state.config.open_access_token;
    if !expected.is_empty()
        && let Err(e) = check(request.headers(), expected)
    {
        return e.into_response();
    }
    next.run(request).await
}

/// Identity routes: the identity's bearer token, then a 308 to its own netuid if the URL names
/// another; a mistyped path parameter is 404 first.
pub async fn identity(
    State(state): State<Arc<AppState>>,
    params: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    if let Some(e) = mistyped_path(&params) {
        return e.into_response();
    }
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
    // An unparsable netuid does not match the route (404 before any auth, as in Litestar).
    let (Some(name), Some(netuid)) = (param("identity"), param("netuid")) else {
        return ApiError::not_found().into_response();
    };
    let Ok(netuid) = netuid.parse::<u16>() else {
        return ApiError::not_found().into_response();
    };
    if let Err(e) = bearer(request.headers()) {
        return e.into_response();
    }
    let Some(identity) = state.config.identities.get(&name) else {
        return ApiError::new(StatusCode::NOT_FOUND, format!("Identity '{name}' not found"))
            .into_response();
    };
    if let Err(e) = check(request.headers(), &identity.token) {
        return e.into_response();
    }
    if netuid != identity.netuid {
        // Inside a nested router the URI is stripped of its prefix; the original is kept.
        let path = request
            .extensions()
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| request.uri().path().to_string(), |o| o.path().to_string());
        let location = replace_netuid(&path, identity.netuid);
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
    }
    next.run(request).await
}

/// `path` with its first `/subnet/<digits>` pointing at `netuid` (the query is dropped).
pub fn replace_netuid(path: &str, netuid: u16) -> String {
    let Some(start) = path.find("/subnet/") else { return path.to_string() };
    let digits_from = start + "/subnet/".len();
    let digits_len = path[digits_from..].find('/').unwrap_or(path.len() - digits_from);
    format!("{}{}{}", &path[..digits_from], netuid, &path[digits_from + digits_len..])
}

/// `/metrics`: 403 when no metrics token is configured, else its bearer token.
pub fn metrics(headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
    if token.is_empty() {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "Metrics endpoint is not configured"));
    }
    check(headers, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_headers_are_parsed_strictly() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h).unwrap_err().status, StatusCode::UNAUTHORIZED);
        h.insert(header::AUTHORIZATION, "bEaReR tok".parse().unwrap());
        assert_eq!(bearer(&h), Ok("tok"));
        for bad in ["tok", "Bearer", "Bearer a b", "Basic tok"] {
            h.insert(header::AUTHORIZATION, bad.parse().unwrap());
            assert_eq!(bearer(&h).unwrap_err().status, StatusCode::UNAUTHORIZED, "{bad}");
        }
    }

    #[test]
    fn the_redirect_keeps_the_path_with_the_right_netuid() {
        assert_eq!(
            replace_netuid("/api/v1/identity/sn1/subnet/7/block/latest/neurons", 1),
            "/api/v1/identity/sn1/subnet/1/block/latest/neurons"
        );
        assert_eq!(
            replace_netuid("/api/v1/identity/sn1/subnet/x", 3),
            "/api/v1/identity/sn1/subnet/3"
        );
    }
}
