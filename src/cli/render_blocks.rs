//! Tables and CSV for the block-level reads: a decoded extrinsic (field/value rows, the signer
//! also as SS58) and alpha prices (netuid, TAO per alpha, rao). JSON is the API's shape.

use serde::Serialize;

use super::render::Render;
use crate::chain::blocks::{SubnetPrice, SubnetPrices};
use crate::chain::scale_json::Py;

/// A decoded extrinsic, as the API renders it.
#[derive(Serialize)]
#[serde(transparent)]
pub struct ExtrinsicView(pub Py);

fn text(v: &Py) -> String {
    match v {
        Py::Str(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

impl Render for ExtrinsicView {
    fn header(&self) -> Vec<&'static str> {
        vec!["field", "value"]
    }

    fn table_rows(&self) -> Vec<Vec<String>> {
        let Py::Dict(fields) = &self.0 else { return Vec::new() };
        let mut rows = Vec::new();
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("call", call) => {
                    let get = |k: &str| call.get(k).map(text).unwrap_or_default();
                    rows.push(vec![
                        "call".into(),
                        format!("{}.{}", get("call_module"), get("call_function")),
                    ]);
                    if let Some(Py::List(args)) = call.get("call_args") {
                        for arg in args {
                            let name = arg.get("name").map(text).unwrap_or_default();
                            let ty = arg.get("type").map(text).unwrap_or_default();
                            let value = arg.get("value").map(text).unwrap_or_default();
                            rows.push(vec![format!("  {name}: {ty}"), value]);
                        }
                    }
                    rows.push(vec!["call_hash".into(), get("call_hash")]);
                }
                ("address", Py::Str(hex)) => {
                    rows.push(vec!["signer".into(), ss58_of(hex).unwrap_or_else(|| hex.clone())]);
                }
                ("address", Py::Null) => rows.push(vec!["signer".into(), "- (unsigned)".into()]),
                (key, value) => rows.push(vec![key.to_string(), text(value)]),
            }
        }
        rows
    }
}

/// The SS58 form of a `0x` + 64 hex account id.
fn ss58_of(hex: &str) -> Option<String> {
    let bytes: [u8; 32] = hex::decode(hex.strip_prefix("0x")?).ok()?.try_into().ok()?;
    Some(crate::ss58::encode(&bytes))
}

fn tao(rao: u64) -> String {
    format!("{}.{:09}", rao / 1_000_000_000, rao % 1_000_000_000)
}

impl Render for SubnetPrices {
    fn header(&self) -> Vec<&'static str> {
        vec!["netuid", "τ per α", "rao"]
    }

    fn table_rows(&self) -> Vec<Vec<String>> {
        let mut rows: Vec<(u16, u64)> = self
            .prices
            .iter()
            .filter_map(|(netuid, p)| Some((netuid.parse().ok()?, p.value)))
            .collect();
        rows.sort_unstable();
        rows.into_iter().map(|(n, rao)| vec![n.to_string(), tao(rao), rao.to_string()]).collect()
    }

    fn csv_header(&self) -> Vec<&'static str> {
        vec!["netuid", "price_rao"]
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        self.table_rows().into_iter().map(|r| vec![r[0].clone(), r[2].clone()]).collect()
    }
}

impl Render for SubnetPrice {
    fn header(&self) -> Vec<&'static str> {
        vec!["netuid", "τ per α", "rao"]
    }

    fn table_rows(&self) -> Vec<Vec<String>> {
        vec![vec![self.netuid.to_string(), tao(self.price.value), self.price.value.to_string()]]
    }

    fn csv_header(&self) -> Vec<&'static str> {
        vec!["netuid", "price_rao"]
    }

    fn csv_rows(&self) -> Vec<Vec<String>> {
        vec![vec![self.netuid.to_string(), self.price.value.to_string()]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_tao_keep_every_digit() {
        assert_eq!(tao(27_459_100), "0.027459100");
        assert_eq!(tao(1_000_000_001), "1.000000001");
        assert_eq!(ss58_of("0x00"), None);
    }
}
