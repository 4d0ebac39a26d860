//! Three `pylon serve` replicas on one PostgreSQL job store and one devnet, with one identity:
//! weights PUT to any replica are set by the lease holder; the holder is SIGKILLed at random
//! moments, twenty times, and another replica takes the job over. Every epoch gets at most one
//! submission from the hotkey (counted on the devnet's blocks), every job succeeds, and each
//! takeover comes within the lease TTL and one renewal interval.

use std::time::{Duration, Instant};

use crate::common::{devnet, free_port, postgres_database, serve_command, wait_for_block, wait_up};
use pylon_devnet::keys;

const NETUID: u16 = 3;
const TTL: f64 = 1.0;
const RENEW: f64 = 0.2;

struct Replica {
    base: String,
    child: tokio::process::Child,
}

fn start(
    ttl: f64,
    dir: &std::path::Path,
    db: &str,
    wallets: &std::path::Path,
    url: &str,
    uid: u16,
) -> Replica {
    let port = free_port();
    let child = serve_command(dir, port)
        .env("PYLON_BITTENSOR_NETWORK", url)
        .env("PYLON_DATABASE_URL", db)
        .env("PYLON_LEASE_TTL_SECONDS", ttl.to_string())
        .env("PYLON_LEASE_RENEW_SECONDS", RENEW.to_string())
        .env("PYLON_METRICS_TOKEN", "m")
        .env("PYLON_BITTENSOR_WALLET_PATH", wallets)
        .env("PYLON_IDENTITIES", r#"["sn"]"#)
        .env("PYLON_ID_SN_WALLET_NAME", "devnet")
        .env("PYLON_ID_SN_HOTKEY_NAME", keys::hotkey_path(NETUID, uid))
        .env("PYLON_ID_SN_NETUID", NETUID.to_string())
        .env("PYLON_ID_SN_TOKEN", "t")
        .env("PYLON_WEIGHTS_RETRY_DELAY_SECONDS", RENEW.to_string())
        .spawn()
        .expect("pylon serve starts");
    Replica { base: format!("http://127.0.0.1:{port}"), child }
}

/// Whether the replica says it leads the identity's weights.
async fn leads(replica: &Replica) -> bool {
    let Ok(resp) = reqwest::Client::new()
        .get(format!("{}/metrics", replica.base))
        .bearer_auth("m")
        .send()
        .await
    else {
        return false;
    };
    let text = resp.text().await.unwrap_or_default();
    text.lines().any(|l| {
        l.starts_with("pylon_weights_leader{identity=\"sn\",mechanism=\"0\"}") && l.ends_with(" 1")
    })
}

/// A devnet (300 ms blocks) with its validators' wallet, a fresh PostgreSQL database, and the
/// identity's validator on subnet 3.
struct Cluster {
    db: String,
    wallets: tempfile::TempDir,
    dir: tempfile::TempDir,
    net: pylon_devnet::Devnet,
    subnet: std::sync::Arc<pylon_devnet::state::Subnet>,
    uid: u16,
    account: pylon_devnet::mirror::sp_core::crypto::AccountId32,
}

impl Cluster {
    async fn new() -> Option<Self> {
        let db = postgres_database().await?;
        let wallets = tempfile::tempdir().expect("wallets");
        let dir = tempfile::tempdir().expect("dir");
        let net = devnet(300, |c| c.wallet_dir = Some(wallets.path().to_path_buf())).await;
        wait_for_block(&net, 3).await;
        let subnet = net.chain.best().world.subnets[&NETUID].clone();
        let uid = subnet.neurons.iter().find(|n| n.validator_permit).expect("a validator").uid;
        let account = keys::account(&keys::derive(&keys::hotkey_path(NETUID, uid)));
        Some(Self { db, wallets, dir, net, subnet, uid, account })
    }

    /// A new replica with a lease TTL of `ttl` seconds, started.
    fn replica_starting_with(&self, ttl: f64) -> Replica {
        start(ttl, self.dir.path(), &self.db, self.wallets.path(), &self.net.url(), self.uid)
    }

    /// A new replica (lease TTL [`TTL`]), started.
    fn replica_starting(&self) -> Replica {
        self.replica_starting_with(TTL)
    }

    /// A new replica, up.
    async fn replica(&self) -> Replica {
        let r = self.replica_starting();
        wait_up(&r.base).await;
        r
    }

    /// Submissions from the identity's hotkey so far.
    fn submissions(&self) -> u32 {
        self.net.chain.best().world.nonce(&self.account)
    }

    /// PUTs weights `offset + 1 ..= offset + 8` on the subnet's first eight hotkeys to `to`.
    async fn put_weights(&self, to: &Replica, offset: u64) {
        let weights: serde_json::Map<String, serde_json::Value> = (0..8)
            .map(|u| {
                (
                    keys::ss58(&self.subnet.neurons[u].hotkey),
                    serde_json::json!(u as u64 + 1 + offset),
                )
            })
            .collect();
        crate::common::put_weights(&to.base, "sn", "t", NETUID, &weights).await;
    }
}

/// A small deterministic generator (the seed is printed, so a failure can be replayed).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn killing_the_leader_twenty_times_loses_no_job_and_never_submits_twice_an_epoch() {
    let Some(cluster) = Cluster::new().await else { return };
    let (net, db) = (&cluster.net, &cluster.db);
    let seed =
        std::env::var("PYLON_HA_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let mut rng = Lcg(seed);
    let mut replicas = Vec::new();
    for _ in 0..3 {
        replicas.push(cluster.replica().await);
    }
    let first_block = u64::from(net.chain.best().number);
    let epoch_of =
        |block: u64| net.chain.by_number(block).map(|b| b.world.subnets[&NETUID].last_epoch_block);
    let (pg, connection) = tokio_postgres::connect(db, tokio_postgres::NoTls).await.expect("pg");
    tokio::spawn(connection);
    let running_jobs = || async {
        let sql = "SELECT count(*) FROM weight_tasks WHERE status = 'running'";
        pg.query_one(sql, &[]).await.expect("count").get::<_, i64>(0)
    };
    let mut takeovers = Vec::new();
    for round in 0..20u64 {
        // A validator's rhythm: one PUT early in each epoch, to any replica.
        let epoch = epoch_of(u64::from(net.chain.best().number));
        let deadline = Instant::now() + Duration::from_secs(10);
        while epoch_of(u64::from(net.chain.best().number)) == epoch {
            assert!(Instant::now() < deadline, "round {round}: no new epoch (seed {seed})");
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        let before = cluster.submissions();
        cluster.put_weights(&replicas[rng.below(3) as usize], round).await;
        // Kill the leader at a random moment of the job (0 to 1.2 s after the PUT).
        tokio::time::sleep(Duration::from_millis(rng.below(1200))).await;
        let mut leader = None;
        for (i, r) in replicas.iter().enumerate() {
            if leads(r).await {
                leader = Some(i);
            }
        }
        let i = leader.unwrap_or_else(|| rng.below(3) as usize);
        let running = cluster.submissions() == before;
        let killed = Instant::now();
        let mut dead = replicas.remove(i);
        dead.child.start_kill().expect("SIGKILL");
        dead.child.wait().await.expect("killed");
        replicas.push(cluster.replica_starting());
        if running && leader.is_some() {
            // Another replica takes the lease (and the job) over.
            let deadline = killed + Duration::from_secs(10);
            'taken: loop {
                for r in &replicas {
                    if leads(r).await {
                        takeovers.push(killed.elapsed());
                        break 'taken;
                    }
                }
                assert!(Instant::now() < deadline, "round {round}: no takeover (seed {seed})");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        // The job completes: the hotkey's weights are this round's.
        let deadline = Instant::now() + Duration::from_secs(15);
        while cluster.submissions() == before || running_jobs().await > 0 {
            assert!(
                Instant::now() < deadline,
                "round {round}: the job did not complete (seed {seed})"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        for r in &replicas {
            wait_up(&r.base).await;
        }
    }
    // Every job succeeded (none failed or expired).
    let rows = pg
        .query("SELECT status, count(*) FROM weight_tasks GROUP BY status", &[])
        .await
        .expect("q");
    let statuses: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(statuses, [("succeeded".to_string(), 20)], "seed {seed}");
    // At most one submission per epoch, from the devnet's own blocks.
    let last_block = u64::from(net.chain.best().number);
    let mut epochs = Vec::new();
    for n in first_block + 1..=last_block {
        let (Some(b), Some(p)) = (net.chain.by_number(n), net.chain.by_number(n - 1)) else {
            continue;
        };
        let submissions = b.world.nonce(&cluster.account) - p.world.nonce(&cluster.account);
        for _ in 0..submissions {
            epochs.push(b.world.subnets[&NETUID].last_epoch_block);
        }
    }
    assert_eq!(epochs.len(), 20, "one submission per job: {epochs:?} (seed {seed})");
    let mut distinct = epochs.clone();
    distinct.dedup();
    assert_eq!(distinct, epochs, "two submissions in one epoch (seed {seed})");
    let bound = Duration::from_secs_f64(TTL + RENEW);
    let slowest = takeovers.iter().max().copied().unwrap_or_default();
    assert!(!takeovers.is_empty(), "no kill hit a running job (seed {seed})");
    // The bound plus the polling of this test (metrics every ~20 ms per replica).
    assert!(
        slowest < bound + Duration::from_millis(300),
        "takeover took {slowest:?} (seed {seed})"
    );
}

fn signal(child: &tokio::process::Child, sig: &str) {
    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill").args([sig, &pid]).status().expect("kill");
    assert!(status.success(), "kill {sig} {pid}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_paused_leader_that_lost_its_lease_does_not_submit_when_it_wakes() {
    let Some(cluster) = Cluster::new().await else { return };
    let (a, b) = (cluster.replica().await, cluster.replica().await);
    cluster.put_weights(&a, 0).await;
    // The replica that took the PUT leads; it stops (as a paused VM or a partition would)
    // before its first attempt (which waits 250 ms for more PUTs).
    signal(&a.child, "-STOP");
    let (pg, connection) =
        tokio_postgres::connect(&cluster.db, tokio_postgres::NoTls).await.expect("pg");
    tokio::spawn(connection);
    let holder = || async {
        let row = pg.query_one("SELECT holder FROM weight_leases", &[]).await.expect("lease");
        row.get::<_, String>(0)
    };
    let a_pid = format!(":{}:", a.child.id().expect("pid"));
    assert!(holder().await.contains(&a_pid), "the receiving replica took the lease");
    let deadline = Instant::now() + Duration::from_secs(10);
    while cluster.submissions() == 0 || !leads(&b).await {
        assert!(Instant::now() < deadline, "the other replica did not take the job over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!holder().await.contains(&a_pid), "the lease moved");
    let status = || async {
        let row = pg.query_one("SELECT status FROM weight_tasks", &[]).await.expect("job");
        row.get::<_, String>(0)
    };
    while status().await != "succeeded" {
        assert!(Instant::now() < deadline, "the job did not succeed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The paused replica wakes with its attempt in hand: it must not submit again.
    signal(&a.child, "-CONT");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(cluster.submissions(), 1, "one submission");
    assert!(!leads(&a).await, "the woken replica knows it lost the lease");
    assert_eq!(status().await, "succeeded");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replica_stopped_gracefully_hands_its_lease_over_at_once() {
    let Some(cluster) = Cluster::new().await else { return };
    // A long TTL: without the hand-over the other replica would wait 30 s.
    let (mut a, b) = (cluster.replica_starting_with(30.0), cluster.replica_starting_with(30.0));
    wait_up(&a.base).await;
    wait_up(&b.base).await;
    cluster.put_weights(&a, 0).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while cluster.submissions() == 0 {
        assert!(Instant::now() < deadline, "the first job did not complete");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    signal(&a.child, "-TERM");
    tokio::time::timeout(Duration::from_secs(40), a.child.wait())
        .await
        .expect("a graceful stop")
        .expect("exit status");
    let stopped = Instant::now();
    // The rate limit (5 blocks) passes while the next PUT goes to the other replica.
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.put_weights(&b, 1).await;
    while cluster.submissions() < 2 {
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "the other replica waited for the stopped one's lease to expire"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(leads(&b).await);
}
