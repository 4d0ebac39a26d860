//! Benchmark: the devnet answering `NeuronInfoRuntimeApi_get_neurons_lite` for a 1024-neuron
//! subnet over loopback WebSocket JSON-RPC.
//!
//! Run with `cargo bench --bench devnet`. Prints the cold computation time, per-call latency of
//! one sequential client, and throughput of several concurrent clients (clients and devnet share
//! the machine's cores, so the throughput is a lower bound for the devnet alone).

use std::time::{Duration, Instant};

use jsonrpsee::core::client::ClientT;
use jsonrpsee::rpc_params;
use jsonrpsee::ws_client::{WsClient, WsClientBuilder};
use parity_scale_codec::Encode;
use pylon_devnet::genesis::{GenesisConfig, SubnetSpec};
use pylon_devnet::{self, DevnetConfig, runtime_api};

const NEURONS: u16 = 1024;
const LATENCY_CALLS: usize = 2000;
const CLIENTS: usize = 4;
const THROUGHPUT_SECS: u64 = 5;

fn genesis() -> GenesisConfig {
    GenesisConfig { seed: 1, subnets: vec![SubnetSpec::sized(1, NEURONS)] }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

#[allow(clippy::disallowed_macros)]
fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        // Cold: the first answer on a fresh state computes and encodes every neuron.
        let runtime = runtime_api::Runtime::new();
        let args = 1u16.encode();
        let mut cold = Vec::new();
        for _ in 0..3 {
            let world = pylon_devnet::genesis::build(&genesis());
            let t = Instant::now();
            let answer = runtime_api::call(
                &runtime,
                &world,
                1,
                "NeuronInfoRuntimeApi_get_neurons_lite",
                &args,
            )
            .expect("answers");
            cold.push(t.elapsed());
            assert!(answer.len() > 100_000);
        }
        cold.sort();

        let net = pylon_devnet::start(DevnetConfig {
            listen: "127.0.0.1:0".parse().expect("addr"),
            genesis: genesis(),
            ..DevnetConfig::default()
        })
        .await
        .expect("devnet starts");
        let url = net.url();
        let client = WsClientBuilder::default().build(&url).await.expect("client");
        let first = call(&client).await;
        let response_bytes = first.len() / 2 - 1;

        let mut latencies = Vec::with_capacity(LATENCY_CALLS);
        for _ in 0..LATENCY_CALLS {
            let t = Instant::now();
            let answer = call(&client).await;
            latencies.push(t.elapsed());
            assert_eq!(answer.len(), first.len());
        }
        latencies.sort();
        let mean = latencies.iter().sum::<Duration>() / latencies.len() as u32;

        let deadline = Instant::now() + Duration::from_secs(THROUGHPUT_SECS);
        let mut tasks = Vec::new();
        for _ in 0..CLIENTS {
            let client = WsClientBuilder::default().build(&url).await.expect("client");
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    call(&client).await;
                    n += 1;
                }
                n
            }));
        }
        let started = Instant::now();
        let mut total = 0;
        for t in tasks {
            total += t.await.expect("client task");
        }
        let rate = total as f64 / started.elapsed().as_secs_f64().max(THROUGHPUT_SECS as f64);

        println!("devnet get_neurons_lite benchmark ({NEURONS} neurons, {cores} cores)");
        println!("  response: {response_bytes} bytes SCALE ({} bytes hex)", first.len());
        println!("  cold compute+encode (fresh state): median {}", ms(cold[1]));
        println!(
            "  1 client, {LATENCY_CALLS} sequential calls: mean {}, p50 {}, p99 {}",
            ms(mean),
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.99))
        );
        println!(
            "  {CLIENTS} concurrent clients, {THROUGHPUT_SECS} s: {total} calls, {rate:.0} calls/s"
        );
        net.stop().await;
    });
}

/// One `state_call` of `get_neurons_lite(1)`; returns the hex answer.
async fn call(client: &WsClient) -> String {
    client
        .request("state_call", rpc_params!["NeuronInfoRuntimeApi_get_neurons_lite", "0x0100"])
        .await
        .expect("state_call answers")
}
