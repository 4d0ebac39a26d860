//! How a weights attempt failed: worth another attempt, or final (retrying cannot change it),
//! with its reason cut to a bounded length for the log and the job store.

use crate::writes::WriteError;
use crate::writes::plan::PlanError;

/// Longest error text logged or stored per attempt: a node's message or a list of hotkeys
/// must not make one log line of many kilobytes.
const MAX_REASON: usize = 400;

/// A failed attempt: worth another until the attempts or the epoch run out, unless retrying
/// cannot change the outcome (no permit, not registered, nothing known to weigh, a refusal
/// that does not pass by itself).
#[derive(Debug)]
pub(super) struct AttemptFailed {
    pub(super) reason: String,
    pub(super) permanent: bool,
}

impl AttemptFailed {
    pub(super) fn transient(reason: impl std::fmt::Display) -> Self {
        Self { reason: bounded(&reason.to_string()), permanent: false }
    }

    pub(super) fn permanent(reason: impl std::fmt::Display) -> Self {
        Self { reason: bounded(&reason.to_string()), permanent: true }
    }
}

impl crate::retry::Retryable for AttemptFailed {
    fn is_retryable(&self) -> bool {
        !self.permanent
    }
}

/// `text`, cut to [`MAX_REASON`] characters with a note of how much was left out.
fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_REASON) {
        None => text.to_string(),
        Some((at, _)) => format!("{}… ({} more bytes)", &text[..at], text.len() - at),
    }
}

/// The first few of `items`, and how many more there are.
pub(super) fn some_of(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

impl From<PlanError> for AttemptFailed {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Chain(e) => Self::transient(e),
            other => Self::permanent(other),
        }
    }
}

impl From<WriteError> for AttemptFailed {
    /// A refusal or a failed dispatch is final unless it says it may pass; connection trouble
    /// is always worth another attempt while the epoch lasts.
    fn from(e: WriteError) -> Self {
        use crate::retry::Retryable;
        match &e {
            WriteError::Chain(_) => Self::transient(e),
            _ if e.is_retryable() => Self::transient(e),
            _ => Self::permanent(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_bounded_on_a_character_boundary() {
        assert_eq!(bounded("short"), "short");
        let long = "é".repeat(MAX_REASON + 10);
        let cut = bounded(&long);
        assert!(cut.starts_with(&"é".repeat(MAX_REASON)), "{cut}");
        assert!(cut.ends_with("… (20 more bytes)"), "{cut}");
        let many: Vec<String> = (0..7).map(|i| format!("h{i}")).collect();
        assert_eq!(some_of(&many), "h0, h1, h2, h3, h4 and 2 more");
        assert_eq!(some_of(&many[..2]), "h0, h1");
    }
}
