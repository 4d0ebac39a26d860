//! `X-Pylon-Timeout`: the client's time budget for a request (default and cap from settings);
//! 400 for a bad value, 504 when it runs out.

use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::config::ServerConfig;

/// The header name.
pub const HEADER: &str = "x-pylon-timeout";

/// The budget a header value asks for, capped; an error body for a bad one.
pub fn budget(value: Option<&str>, default: Duration, max: Duration) -> Result<Duration, ApiError> {
    let Some(text) = value else { return Ok(default.min(max)) };
    let seconds: f64 = text.trim().parse().map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("Invalid X-Pylon-Timeout header value: {text}"),
        )
    })?;
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("X-Pylon-Timeout header value must be positive, got {text}"),
        ));
    }
    let asked = Duration::from_secs_f64(seconds.min(max.as_secs_f64()));
    if seconds > max.as_secs_f64() {
        tracing::warn!(asked = seconds, cap = max.as_secs_f64(), "X-Pylon-Timeout capped");
    }
    Ok(asked)
}

/// The budget of a request with `headers`: `X-Pylon-Timeout` within the settings' cap, else
/// their default; 400 for a bad value.
pub fn limit(config: &ServerConfig, headers: &HeaderMap) -> Result<Duration, ApiError> {
    let value = headers.get(HEADER).map(|v| v.to_str().unwrap_or("<not text>"));
    budget(value, config.default_request_timeout, config.max_request_timeout)
}

/// The answer when a request's budget ran out.
pub fn timed_out() -> Response {
    ApiError::new(StatusCode::GATEWAY_TIMEOUT, "Request timed out").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets() {
        let (d, m) = (Duration::from_secs(60), Duration::from_secs(300));
        assert_eq!(budget(None, d, m), Ok(d));
        assert_eq!(budget(Some("2.5"), d, m), Ok(Duration::from_millis(2500)));
        assert_eq!(budget(Some("1000"), d, m), Ok(m));
        assert_eq!(
            budget(Some("abc"), d, m).unwrap_err().detail,
            "Invalid X-Pylon-Timeout header value: abc"
        );
        assert_eq!(
            budget(Some("-1"), d, m).unwrap_err().detail,
            "X-Pylon-Timeout header value must be positive, got -1"
        );
    }
}
