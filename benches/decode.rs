//! Benchmark: decoding a 1024-neuron `get_neurons_lite` answer into Pylon's neurons, with the
//! type information from runtime metadata, by field name: the path every neurons read takes;
//! then compressing those neurons' JSON as each new answer is (gzip and zstd, once per answer).
//!
//! Run with `cargo bench --bench decode`.

use std::time::{Duration, Instant};

use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::Encode;
use pylon::chain::types::{NeuronLiteRaw, decode_neurons_lite};
use pylon::server::encoding::Answer;
use pylon_devnet::genesis::{GenesisConfig, SubnetSpec};
use pylon_devnet::{genesis, metadata, runtime_api};
use scale_decode::DecodeAsType;

const ROUNDS: usize = 200;

#[allow(clippy::disallowed_macros)]
fn main() {
    let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(md)) = metadata::v15_prefixed() else {
        panic!("V15 expected");
    };
    let api = md.apis.iter().find(|a| a.name == "NeuronInfoRuntimeApi").expect("API");
    let method = api.methods.iter().find(|m| m.name == "get_neurons_lite").expect("method");
    let type_id = method.output.id;
    let spec = SubnetSpec::sized(1, 1024);
    let world = genesis::build(&GenesisConfig { seed: 1, subnets: vec![spec] });
    let runtime = runtime_api::Runtime::new();
    let hex = runtime_api::call(
        &runtime,
        &world,
        1,
        "NeuronInfoRuntimeApi_get_neurons_lite",
        &1u16.encode(),
    )
    .expect("answers");
    let bytes = hex::decode(&hex[2..]).expect("hex");
    let measure = |f: &dyn Fn() -> usize| {
        let mut times: Vec<Duration> = (0..ROUNDS)
            .map(|_| {
                let t = Instant::now();
                assert_eq!(f(), 1024);
                t.elapsed()
            })
            .collect();
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "median {:.3} ms, p90 {:.3} ms, min {:.3} ms",
            ms(times[ROUNDS / 2]),
            ms(times[ROUNDS * 9 / 10]),
            ms(times[0])
        )
    };
    let decode = measure(&|| {
        Vec::<NeuronLiteRaw>::decode_as_type(&mut &bytes[..], type_id, &md.types)
            .expect("decodes")
            .len()
    });
    let full = measure(&|| decode_neurons_lite(&bytes, type_id, &md.types).expect("decodes").len());
    let neurons = decode_neurons_lite(&bytes, type_id, &md.types).expect("decodes");
    let json = bytes::Bytes::from(serde_json::to_vec(&neurons).expect("JSON"));
    let answer = Answer::compressed(json.clone());
    let compress = measure(&|| {
        let answer = Answer::compressed(json.clone());
        answer.gzip.map_or(0, |_| 1024)
    });
    println!("decode get_neurons_lite (1024 neurons, {} bytes), {ROUNDS} rounds", bytes.len());
    println!("  SCALE decode by field name (what reads do): {decode}");
    println!("  decode + Pylon neurons (SS58 addresses, floats): {full}");
    println!(
        "  gzip + zstd of their JSON ({} bytes -> gzip {}, zstd {}): {compress}",
        json.len(),
        answer.gzip.as_ref().map_or(0, |b| b.len()),
        answer.zstd.as_ref().map_or(0, |b| b.len())
    );
}
