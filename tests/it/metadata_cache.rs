//! The CLI's on-disk runtime metadata cache: a second run against the same chain downloads no
//! metadata and asks one runtime version (alongside the read, which counts only once the
//! version is confirmed); a damaged, unwritable or outdated cache costs a download or a second
//! read, never a wrong answer.

use std::sync::{Arc, Mutex};

use crate::common::{devnet, pylon_cached, wait_for_block};

type Calls = Arc<Mutex<Vec<String>>>;

/// Runs `pylon neurons --netuid 1 -o json` with `XDG_CACHE_HOME=cache`; its JSON output and
/// the node methods (`state_call`s by runtime method) it called.
async fn neurons(
    net: &pylon_devnet::Devnet,
    calls: &Calls,
    cache: &std::path::Path,
) -> (serde_json::Value, Vec<String>) {
    calls.lock().expect("calls").clear();
    let args = ["neurons", "--netuid", "1", "-o", "json"].map(String::from).to_vec();
    let out = pylon_cached(&net.url(), args, Some(cache)).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pylon neurons failed: {stderr}");
    let json = serde_json::from_slice(&out.stdout).expect("JSON output");
    (json, calls.lock().expect("calls").clone())
}

fn record(net: &pylon_devnet::Devnet) -> Calls {
    let calls = Calls::default();
    let seen = calls.clone();
    net.faults.set(Some(Box::new(move |method, params| {
        let name = match method {
            "state_call" => serde_json::from_str::<Vec<serde_json::Value>>(params)
                .ok()
                .and_then(|p| p.first()?.as_str().map(str::to_string))
                .unwrap_or_default(),
            other => other.to_string(),
        };
        seen.lock().expect("calls").push(name);
        None
    })));
    calls
}

fn count(calls: &[String], name: &str) -> usize {
    calls.iter().filter(|c| *c == name).count()
}

/// The cached metadata files.
fn cached_files(cache: &std::path::Path) -> Vec<std::path::PathBuf> {
    let dir = cache.join("pylon").join("metadata");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "scale"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_downloads_no_metadata_and_asks_one_runtime_version() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 3).await;
    let calls = record(&net);
    let cache = tempfile::tempdir().expect("cache dir");

    let (first, cold) = neurons(&net, &calls, cache.path()).await;
    assert_eq!(count(&cold, "Metadata_metadata_at_version"), 1, "{cold:?}");
    let files = cached_files(cache.path());
    assert_eq!(files.len(), 1, "one metadata file: {files:?}");
    let genesis = net.chain.genesis().hash;
    let name = files[0].file_name().expect("name").to_string_lossy().into_owned();
    assert_eq!(name, format!("{}-400.scale", hex::encode(genesis.0)), "keyed by genesis and spec");

    let (second, warm) = neurons(&net, &calls, cache.path()).await;
    assert_eq!(count(&warm, "Core_version"), 1, "{warm:?}");
    assert!(!warm.iter().any(|c| c.starts_with("Metadata_")), "no metadata download: {warm:?}");
    assert_eq!(
        first["neurons"].as_array().map(Vec::len),
        second["neurons"].as_array().map(Vec::len)
    );

    // A damaged file is downloaded again and replaced.
    let size = std::fs::metadata(&files[0]).expect("file").len();
    std::fs::write(&files[0], b"not metadata").expect("damage the file");
    let (third, again) = neurons(&net, &calls, cache.path()).await;
    assert_eq!(count(&again, "Metadata_metadata_at_version"), 1, "{again:?}");
    assert_eq!(third["neurons"], second["neurons"]);
    assert_eq!(std::fs::metadata(&files[0]).expect("file").len(), size, "the file is whole again");
    net.faults.set(None);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unwritable_cache_costs_a_download_not_the_answer() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 3).await;
    let calls = record(&net);
    // XDG_CACHE_HOME is a file: nothing can be created under it.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").expect("file");
    for _ in 0..2 {
        let (answer, run) = neurons(&net, &calls, &file).await;
        let neurons = answer["neurons"].as_object().map_or(0, |n| n.len());
        assert!(neurons > 0, "neurons answered: {}", answer["block"]);
        assert_eq!(count(&run, "Metadata_metadata_at_version"), 1, "{run:?}");
    }
    net.faults.set(None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remembered_version_the_chain_no_longer_runs_is_not_used() {
    let net = devnet(200, |_| {}).await;
    wait_for_block(&net, 3).await;
    let calls = record(&net);
    let cache = tempfile::tempdir().expect("cache dir");
    let (truth, _) = neurons(&net, &calls, cache.path()).await;
    // As if the chain ran spec 393 at the last run (its metadata cached) and upgraded since:
    // the cached 393 metadata here is not even 393's, so an answer built on it would be wrong.
    let dir = cache.path().join("pylon").join("metadata");
    let genesis = hex::encode(net.chain.genesis().hash.0);
    let latest = dir.join(format!("{genesis}.latest"));
    let remembered = std::fs::read_to_string(&latest).expect("the newest version is kept");
    assert!(remembered.starts_with("400 "), "{remembered}");
    std::fs::copy(
        dir.join(format!("{genesis}-400.scale")),
        dir.join(format!("{genesis}-393.scale")),
    )
    .expect("plant");
    std::fs::write(&latest, "393 1\n").expect("outdated guess");
    let (answer, run) = neurons(&net, &calls, cache.path()).await;
    net.faults.set(None);
    assert_eq!(answer["neurons"], truth["neurons"]);
    assert_eq!(count(&run, "Core_version"), 1, "{run:?}");
    assert_eq!(count(&run, "NeuronInfoRuntimeApi_get_neurons_lite"), 2, "read again: {run:?}");
    let now = std::fs::read_to_string(&latest).expect("rewritten");
    assert_eq!(now, remembered, "the chain's version is remembered again");
}
