//! Event ABI handling for EVM log queries (alloy's ABI crates): the `event` entries of a
//! client's ABI, keyed by topic 0, and logs decoded into the Python service's `EvmLog` shape.
//! Arguments render as web3 renders them: addresses EIP-55, integers exact, bytes `0x` hex,
//! indexed dynamic values their 32-byte topic, arrays lists; tuples (which the Python service
//! cannot serialise) become objects by component name.

use std::collections::HashMap;

use alloy_dyn_abi::{DynSolValue, EventExt};
use alloy_json_abi::{Event, Param};
use alloy_primitives::{Address, B256, LogData};
use serde_json::{Map, Value};

use crate::chain::scale_json::Py;

/// The events of an ABI, by topic 0 (anonymous events have none and never match a log).
pub struct Events {
    by_topic: HashMap<B256, Event>,
}

impl Events {
    /// The `event` entries of `abi` (other entries are ignored); a malformed one fails with
    /// what is wrong with it. `anonymous` may be left out (false).
    pub fn parse(abi: &[Map<String, Value>]) -> Result<Self, String> {
        let mut by_topic = HashMap::new();
        for entry in abi.iter().filter(|e| e.get("type").and_then(Value::as_str) == Some("event")) {
            let mut entry = entry.clone();
            entry.entry("anonymous").or_insert(Value::Bool(false));
            entry.entry("inputs").or_insert(Value::Array(Vec::new()));
            let event: Event =
                serde_json::from_value(Value::Object(entry)).map_err(|e| e.to_string())?;
            alloy_dyn_abi::Specifier::resolve(&event).map_err(|e| e.to_string())?;
            if !event.anonymous {
                by_topic.insert(event.selector(), event);
            }
        }
        Ok(Self { by_topic })
    }

    /// The topics a log must start with to be decodable (empty: none can be).
    pub fn topics(&self) -> Vec<B256> {
        let mut topics: Vec<B256> = self.by_topic.keys().copied().collect();
        topics.sort();
        topics
    }

    /// The event's name and arguments, when `topics[0]` is a known event and the log decodes.
    pub fn decode(&self, topics: &[B256], data: &[u8]) -> Option<(String, Py)> {
        let event = self.by_topic.get(topics.first()?)?;
        let log = LogData::new(topics.to_vec(), data.to_vec().into())?;
        let decoded = event.decode_log(&log).ok()?;
        let (mut indexed, mut body) = (decoded.indexed.into_iter(), decoded.body.into_iter());
        let mut args = Vec::with_capacity(event.inputs.len());
        for (i, input) in event.inputs.iter().enumerate() {
            let value = if input.indexed { indexed.next()? } else { body.next()? };
            let name = if input.name.is_empty() { format!("_{i}") } else { input.name.clone() };
            args.push((name, render(&value, &input.components)));
        }
        Some((event.name.clone(), Py::Dict(args)))
    }
}

/// An address as web3 shows it: EIP-55 mixed case.
pub fn checksummed(address: &Address) -> String {
    address.to_checksum(None)
}

fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// A decoded value; `components` names a tuple's fields (or an array of tuples' elements').
fn render(value: &DynSolValue, components: &[Param]) -> Py {
    match value {
        DynSolValue::Bool(b) => Py::Bool(*b),
        DynSolValue::Int(i, _) => match i128::try_from(*i) {
            Ok(small) => Py::Int(small),
            Err(_) => Py::Big(i.to_string()),
        },
        DynSolValue::Uint(u, _) => match u128::try_from(*u) {
            Ok(small) => Py::UInt(small),
            Err(_) => Py::Big(u.to_string()),
        },
        DynSolValue::FixedBytes(word, size) => Py::Str(hex0x(&word[..*size])),
        DynSolValue::Address(a) => Py::Str(checksummed(a)),
        DynSolValue::Function(f) => Py::Str(hex0x(f.as_slice())),
        DynSolValue::Bytes(b) => Py::Str(hex0x(b)),
        DynSolValue::String(s) => Py::Str(s.clone()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
            Py::List(items.iter().map(|v| render(v, components)).collect())
        }
        DynSolValue::Tuple(items) => {
            let named =
                components.len() == items.len() && components.iter().all(|c| !c.name.is_empty());
            if named {
                Py::Dict(
                    components
                        .iter()
                        .zip(items)
                        .map(|(c, v)| (c.name.clone(), render(v, &c.components)))
                        .collect(),
                )
            } else {
                let inner = |i: usize| components.get(i).map_or(&[][..], |c| &c.components[..]);
                Py::List(items.iter().enumerate().map(|(i, v)| render(v, inner(i))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{U256, keccak256};
    use serde_json::json;

    fn abi(v: Value) -> Vec<Map<String, Value>> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn transfer_decodes_as_web3_shows_it() {
        let events = Events::parse(&abi(json!([
            {"type": "function", "name": "transfer", "inputs": []},
            {"type": "event", "name": "Transfer", "inputs": [
                {"name": "from", "type": "address", "indexed": true},
                {"name": "to", "type": "address", "indexed": true},
                {"name": "value", "type": "uint256", "indexed": false}]}
        ])))
        .unwrap();
        let topic0 = keccak256("Transfer(address,address,uint256)");
        assert_eq!(events.topics(), vec![topic0]);
        let from = Address::repeat_byte(0xab);
        let to = Address::repeat_byte(0x01);
        let value: U256 = U256::from(1u8) << 200usize;
        let topics = vec![topic0, from.into_word(), to.into_word()];
        let (name, args) = events.decode(&topics, &value.to_be_bytes::<32>()).unwrap();
        assert_eq!(name, "Transfer");
        let text = serde_json::to_string(&args).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"from":"{}","to":"{}","value":{}}}"#,
                from.to_checksum(None),
                to.to_checksum(None),
                value
            )
        );
        // Not the ABI's event, or data that does not decode: dropped.
        assert!(events.decode(&[keccak256("Other()")], &[]).is_none());
        assert!(events.decode(&topics, &[1, 2]).is_none());
    }

    #[test]
    fn malformed_entries_say_what_is_wrong() {
        let err = Events::parse(&abi(json!([
            {"type": "event", "name": "X", "inputs": [{"name": "a", "indexed": false}]}
        ])))
        .err()
        .unwrap();
        assert!(err.contains("type"), "{err}");
        assert!(Events::parse(&abi(json!([{"type": "event", "inputs": []}]))).is_err());
        assert!(Events::parse(&abi(json!([{"type": "event", "name": "Y"}]))).is_ok());
    }
}
