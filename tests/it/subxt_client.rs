//! A real substrate client (subxt, dynamic API) reads from the devnet as from a node.

use scale_decode::DecodeAsType;
use subxt::{OnlineClient, SubstrateConfig, dynamic};

use crate::common::{devnet, wait_for_block};
use pylon_devnet::keys;

#[derive(Debug, DecodeAsType)]
struct NeuronLite {
    hotkey: [u8; 32],
    uid: u16,
    netuid: u16,
    stake: Vec<([u8; 32], u64)>,
    validator_permit: bool,
    axon_info: Axon,
}

#[derive(Debug, DecodeAsType)]
struct Axon {
    ip: u128,
    ip_type: u8,
}

#[tokio::test]
async fn subxt_reads_neurons_lite_of_subnet_one() {
    let net = devnet(100, |_| {}).await;
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");
    let at = api.at_current_block().await.expect("finalized block");
    let call = dynamic::runtime_api_call::<_, Vec<NeuronLite>>(
        "NeuronInfoRuntimeApi",
        "get_neurons_lite",
        (1u16,),
    );
    let neurons = at.runtime_apis().call(call).await.expect("get_neurons_lite answers");
    assert_eq!(neurons.len(), 256);
    for (i, n) in neurons.iter().enumerate() {
        assert_eq!(usize::from(n.uid), i);
        assert_eq!(n.netuid, 1);
        assert_eq!(n.stake.len(), 1, "one alpha stake entry per neuron");
    }
    let uid5 = keys::account(&keys::derive("sn1-uid5"));
    assert_eq!(neurons[5].hotkey, uid5.0, "hotkeys are the //sn1-uid<UID> dev keys");
    let permits = neurons.iter().filter(|n| n.validator_permit).count();
    assert_eq!(permits, 64, "the top 64 stakers of subnet 1 hold permits");
    assert!(
        neurons.iter().any(|n| n.axon_info.ip_type == 6 && n.axon_info.ip >> 96 == 0x2001_0db8)
    );
    assert!(neurons.iter().any(|n| n.axon_info.ip_type == 4 && n.axon_info.ip > 0));

    let missing = dynamic::runtime_api_call::<_, Vec<NeuronLite>>(
        "NeuronInfoRuntimeApi",
        "get_neurons_lite",
        (99u16,),
    );
    assert!(at.runtime_apis().call(missing).await.expect("answers").is_empty());
    net.stop().await;
}

#[tokio::test]
async fn subxt_reads_storage_at_an_older_block() {
    let net = devnet(50, |_| {}).await;
    wait_for_block(&net, 6).await;
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");
    let number = dynamic::storage::<(), u32>("System", "Number");
    let now = dynamic::storage::<(), u64>("Timestamp", "Now");
    let at2 = api.at_block(2u32).await.expect("block 2");
    let at3 = api.at_block(3u32).await.expect("block 3");
    assert_eq!(at2.storage().fetch(number.clone(), ()).await.unwrap().decode().unwrap(), 2);
    assert_eq!(at3.storage().fetch(number, ()).await.unwrap().decode().unwrap(), 3);
    let t2 = at2.storage().fetch(now.clone(), ()).await.unwrap().decode().unwrap();
    let t3 = at3.storage().fetch(now, ()).await.unwrap().decode().unwrap();
    assert_eq!(t3 - t2, 50, "Timestamp.Now advances by the block time");

    // A map entry with a Blake2_128Concat key: the uid of a hotkey.
    let uids = dynamic::storage::<(u16, [u8; 32]), u16>("SubtensorModule", "Uids");
    let hotkey = keys::account(&keys::derive("sn3-uid7")).0;
    let uid = at2.storage().fetch(uids, (3u16, hotkey)).await.unwrap().decode().unwrap();
    assert_eq!(uid, 7);
    net.stop().await;
}

#[tokio::test]
async fn subxt_follows_finalized_heads() {
    let net = devnet(50, |_| {}).await;
    let api = OnlineClient::<SubstrateConfig>::from_url(net.url()).await.expect("subxt connects");
    let mut blocks = api.stream_blocks().await.expect("finalized stream");
    let mut seen = Vec::new();
    while seen.len() < 4 {
        let block = blocks.next().await.expect("stream continues").expect("block");
        seen.push((block.number(), block.hash()));
    }
    for pair in seen.windows(2) {
        assert_eq!(pair[1].0, pair[0].0 + 1, "finalized blocks arrive in order without gaps");
    }
    for (number, hash) in &seen {
        let block = net.chain.by_number(*number).expect("block exists");
        assert_eq!(block.hash.0, hash.0, "hash of block {number}");
        assert!(*number <= net.chain.best().number.saturating_sub(2) as u64 + 1);
    }
    net.stop().await;
}
