//! Weight input and normalisation: parsing `KEY=WEIGHT` lists, JSON and CSV, validating them,
//! and turning them into the u16 vector the chain stores (max-upscaled, zeros dropped), as the
//! Python SDK's `convert_weights_and_uids_for_emit` does.

use std::collections::BTreeMap;

/// Who a weight is for: a hotkey (SS58) or a uid.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A neuron's hotkey.
    Hotkey(String),
    /// A neuron's uid.
    Uid(u16),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Hotkey(h) => f.write_str(h),
            Target::Uid(u) => write!(f, "uid {u}"),
        }
    }
}

/// Bad weight input, naming the bad value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WeightsError {
    /// No weights at all.
    #[error("no weights given")]
    Empty,
    /// An entry that is not `KEY=WEIGHT` (or a bad JSON/CSV document).
    #[error("invalid weights entry {0:?}: expected HOTKEY=WEIGHT or UID=WEIGHT")]
    Syntax(String),
    /// A weight that is not a finite, non-negative number.
    #[error("invalid weight {value:?} for {target}: weights must be finite numbers ≥ 0")]
    BadWeight {
        /// The target.
        target: String,
        /// The value given.
        value: String,
    },
    /// The same target twice.
    #[error("duplicate weight for {0}")]
    Duplicate(String),
    /// Every weight is zero: nothing to set.
    #[error("all weights are zero: nothing to set")]
    AllZero,
}

fn target(key: &str) -> Result<Target, WeightsError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(WeightsError::Syntax(key.to_string()));
    }
    Ok(match key.parse::<u16>() {
        Ok(uid) => Target::Uid(uid),
        Err(_) => Target::Hotkey(key.to_string()),
    })
}

fn weight(target: &Target, value: &str) -> Result<f64, WeightsError> {
    let bad = || WeightsError::BadWeight { target: target.to_string(), value: value.to_string() };
    let w: f64 = value.trim().parse().map_err(|_| bad())?;
    if !w.is_finite() || w < 0.0 {
        return Err(bad());
    }
    Ok(w)
}

fn insert(map: &mut BTreeMap<Target, f64>, t: Target, w: f64) -> Result<(), WeightsError> {
    if map.contains_key(&t) {
        return Err(WeightsError::Duplicate(t.to_string()));
    }
    map.insert(t, w);
    Ok(())
}

/// Parses `KEY=WEIGHT,KEY=WEIGHT…` (commas or newlines).
pub fn parse_list(text: &str) -> Result<BTreeMap<Target, f64>, WeightsError> {
    let mut map = BTreeMap::new();
    for entry in text.split([',', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
        let (key, value) =
            entry.split_once('=').ok_or_else(|| WeightsError::Syntax(entry.to_string()))?;
        let t = target(key)?;
        let w = weight(&t, value)?;
        insert(&mut map, t, w)?;
    }
    if map.is_empty() { Err(WeightsError::Empty) } else { Ok(map) }
}

/// Parses a JSON object `{"KEY": weight}` (or `{"weights": {…}}`, the HTTP body).
pub fn parse_json(text: &str) -> Result<BTreeMap<Target, f64>, WeightsError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| WeightsError::Syntax(format!("JSON: {e}")))?;
    let object = value.get("weights").unwrap_or(&value);
    let object = object
        .as_object()
        .ok_or_else(|| WeightsError::Syntax("JSON: expected an object".into()))?;
    let mut map = BTreeMap::new();
    for (key, v) in object {
        let t = target(key)?;
        let w = match v {
            serde_json::Value::Number(n) => weight(&t, &n.to_string())?,
            serde_json::Value::String(s) => weight(&t, s)?,
            other => weight(&t, &other.to_string())?,
        };
        insert(&mut map, t, w)?;
    }
    if map.is_empty() { Err(WeightsError::Empty) } else { Ok(map) }
}

/// Parses CSV rows `KEY,WEIGHT` (a header row naming the columns is skipped).
pub fn parse_csv(text: &str) -> Result<BTreeMap<Target, f64>, WeightsError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut map = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| WeightsError::Syntax(format!("CSV: {e}")))?;
        let (Some(key), Some(value)) = (row.get(0), row.get(1)) else {
            return Err(WeightsError::Syntax(row.iter().collect::<Vec<_>>().join(",")));
        };
        if i == 0 && value.parse::<f64>().is_err() {
            continue; // a header row
        }
        let t = target(key)?;
        let w = weight(&t, value)?;
        insert(&mut map, t, w)?;
    }
    if map.is_empty() { Err(WeightsError::Empty) } else { Ok(map) }
}

/// Max-upscales `(uid, weight)` pairs to u16 (the largest becomes 65535), rounding, and drops
/// zeros; sorted by uid.
pub fn normalize(weights: &[(u16, f64)]) -> Result<Vec<(u16, u16)>, WeightsError> {
    let max = weights.iter().map(|(_, w)| *w).fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return Err(WeightsError::AllZero);
    }
    let mut out: Vec<(u16, u16)> = weights
        .iter()
        .map(|&(uid, w)| (uid, (w / max * 65535.0).round() as u16))
        .filter(|(_, w)| *w > 0)
        .collect();
    out.sort_by_key(|(uid, _)| *uid);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_json_and_csv_parse_to_the_same_weights() {
        let list = parse_list("5Fabc=0.5,\n 3=1\n").expect("list");
        let json = parse_json(r#"{"weights": {"5Fabc": 0.5, "3": "1"}}"#).expect("json");
        let csv = parse_csv("key,weight\n5Fabc,0.5\n3,1\n").expect("csv");
        assert_eq!(list, json);
        assert_eq!(list, csv);
        assert_eq!(list[&Target::Uid(3)], 1.0);
        assert_eq!(list[&Target::Hotkey("5Fabc".into())], 0.5);
    }

    #[test]
    fn bad_input_names_the_value() {
        assert_eq!(parse_list(""), Err(WeightsError::Empty));
        assert_eq!(parse_list("abc"), Err(WeightsError::Syntax("abc".into())));
        let e = parse_list("1=-0.5").unwrap_err();
        assert!(e.to_string().contains("-0.5"), "{e}");
        assert!(parse_list("1=NaN").is_err());
        assert!(parse_list("1=inf").is_err());
        assert_eq!(parse_list("1=1,1=2"), Err(WeightsError::Duplicate("uid 1".into())));
        assert!(parse_json("[1, 2]").is_err());
    }

    #[test]
    fn normalisation_max_upscales_rounds_and_drops_zeros() {
        assert_eq!(normalize(&[(2, 0.5), (1, 1.0), (7, 0.0)]), Ok(vec![(1, 65535), (2, 32768)]));
        assert_eq!(normalize(&[(1, 0.0)]), Err(WeightsError::AllZero));
        assert_eq!(normalize(&[(4, 3.0)]), Ok(vec![(4, 65535)]));
    }
}
