//! The deterministic genesis state: subnets, neurons, stakes, axons, commitments, certificates.
//!
//! Everything is a function of the seed, so two devnets started with the same seed and genesis
//! timestamp produce identical blocks (which is how an archive/lite pair is simulated).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::keys;
use super::metadata::DEFAULT_TAO_WEIGHT;
use super::mirror::bounded_collections::bounded_vec::BoundedVec;
use super::mirror::pallet_commitments::types::Data;
use super::mirror::pallet_subtensor::pallet::{AxonInfo, NeuronCertificate, PrometheusInfo};
use super::mirror::sp_core::crypto::AccountId32;
use super::state::{Hyperparams, Neuron, Subnet, World};

/// One rao in TAO/alpha units.
pub const RAO: u64 = 1_000_000_000;

/// What one genesis subnet looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubnetSpec {
    /// The subnet id.
    pub netuid: u16,
    /// How many neurons are registered.
    pub neurons: u16,
    /// Blocks per epoch.
    pub tempo: u16,
    /// Whether weights must go through commit-reveal.
    pub commit_reveal: bool,
    /// How many top stakers get a validator permit.
    pub max_validators: u16,
    /// `WeightsSetRateLimit` in blocks.
    pub weights_rate_limit: u64,
    /// `WeightsVersionKey`.
    pub weights_version: u64,
    /// `MinAllowedWeights`.
    pub min_allowed_weights: u16,
    /// `ServingRateLimit` in blocks (50, as finney's).
    pub serving_rate_limit: u64,
}

impl SubnetSpec {
    /// A subnet of `neurons` neurons with direct weights and finney-like settings (tempo 360,
    /// 64 validator permits), e.g. for benchmarks.
    pub fn sized(netuid: u16, neurons: u16) -> Self {
        Self {
            netuid,
            neurons,
            tempo: 360,
            commit_reveal: false,
            max_validators: 64,
            weights_rate_limit: 100,
            weights_version: 0,
            min_allowed_weights: 8,
            serving_rate_limit: 50,
        }
    }
}

/// The genesis of a devnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenesisConfig {
    /// Seed of every generated value.
    pub seed: u64,
    /// The subnets to create.
    pub subnets: Vec<SubnetSpec>,
}

impl Default for GenesisConfig {
    /// Three subnets: netuid 1 (256 neurons, direct weights), netuid 2 (64 neurons,
    /// commit-reveal) and netuid 3 (16 neurons, a short tempo for quick epochs).
    fn default() -> Self {
        let spec = |netuid, neurons, tempo, commit_reveal, max_validators, rate, version, min| {
            SubnetSpec {
                netuid,
                neurons,
                tempo,
                commit_reveal,
                max_validators,
                weights_rate_limit: rate,
                weights_version: version,
                min_allowed_weights: min,
                serving_rate_limit: 50,
            }
        };
        Self {
            seed: 0,
            subnets: vec![
                spec(1, 256, 360, false, 64, 100, 0, 8),
                spec(2, 64, 100, true, 16, 50, 2_001_000, 4),
                spec(3, 16, 10, false, 8, 5, 0, 1),
            ],
        }
    }
}

/// splitmix64: a tiny generator whose output never changes with a dependency upgrade, so a
/// seed means the same chain in every Pylon version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `lo..hi` (`hi > lo`).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }
}

const NAMES: [(&str, &str); 6] = [
    ("Prism", "α"),
    ("Lattice", "β"),
    ("Quarry", "γ"),
    ("Harbor", "δ"),
    ("Beacon", "ε"),
    ("Meridian", "ζ"),
];

/// Builds the genesis world.
pub fn build(config: &GenesisConfig) -> World {
    let devnet_cold = keys::account(&keys::derive(keys::DEVNET_COLDKEY));
    let miner_colds: Vec<AccountId32> =
        (0..24).map(|k| keys::account(&keys::derive(&format!("cold{k}")))).collect();
    let mut balances = BTreeMap::new();
    balances.insert(devnet_cold, 10_000 * RAO);
    for cold in &miner_colds {
        balances.insert(*cold, 100 * RAO);
    }
    let subnets = config
        .subnets
        .iter()
        .map(|spec| {
            let mut rng = Rng(config.seed ^ (u64::from(spec.netuid) << 32) ^ 0x5eed);
            let mut subnet = subnet(spec, &mut rng, devnet_cold, &miner_colds);
            timelock_commitments(&mut subnet, config.seed);
            (spec.netuid, Arc::new(subnet))
        })
        .collect();
    World::new(subnets, balances, DEFAULT_TAO_WEIGHT)
}

/// The drand round genesis timelocked commitments open at: a day after genesis with the
/// devnet beacon's 3 s rounds.
pub const GENESIS_REVEAL_ROUND: u64 = 28_800;

/// Gives every 64th neuron (uid 13, 77, …) a commitment timelocked to the devnet beacon's round
/// [`GENESIS_REVEAL_ROUND`], as bittensor-drand makes them (a SCALE string), reproducibly.
fn timelock_commitments(subnet: &mut Subnet, seed: u64) {
    use rand_chacha::rand_core::SeedableRng;
    let beacon = pylon_timelock::Beacon::from_seed(seed);
    let drand = pylon_timelock::Drand { public_key: beacon.public_key(), genesis: 0, period: 3 };
    for neuron in subnet.neurons.iter_mut().filter(|n| n.uid % 64 == 13) {
        let text = format!("sealed by sn{}-uid{}", subnet.netuid, neuron.uid);
        let plaintext = parity_scale_codec::Encode::encode(&text);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed ^ u64::from(neuron.uid));
        if let Ok(encrypted) = drand.encrypt_with(GENESIS_REVEAL_ROUND, &plaintext, &mut rng) {
            let field = Data::TimelockEncrypted { encrypted, reveal_round: GENESIS_REVEAL_ROUND };
            neuron.commitment = Some((0, vec![field]));
        }
    }
}

fn hyperparams(spec: &SubnetSpec) -> Hyperparams {
    Hyperparams {
        rho: 10,
        kappa: 32_767,
        immunity_period: 5000,
        min_allowed_weights: spec.min_allowed_weights,
        max_weights_limit: u16::MAX,
        tempo: spec.tempo,
        min_difficulty: 10_000_000,
        max_difficulty: u64::MAX / 4,
        weights_version: spec.weights_version,
        weights_rate_limit: spec.weights_rate_limit,
        adjustment_interval: 112,
        activity_cutoff: 5000,
        registration_allowed: true,
        target_regs_per_interval: 2,
        min_burn: RAO / 2000,
        max_burn: 100 * RAO,
        burn: RAO,
        bonds_moving_avg: 900_000,
        max_regs_per_block: 1,
        serving_rate_limit: spec.serving_rate_limit,
        max_validators: spec.max_validators,
        max_uids: spec.neurons.max(256),
        adjustment_alpha: 17_893_341_751_498_265_066,
        difficulty: 10_000_000,
        commit_reveal_period: 1,
        commit_reveal_weights_enabled: spec.commit_reveal,
        alpha_high: 58_982,
        alpha_low: 45_875,
        liquid_alpha_enabled: false,
        alpha_sigmoid_steepness: 1000 << 32,
        yuma_version: 3,
        subnet_is_active: true,
        transfers_enabled: true,
        bonds_reset_enabled: false,
        user_liquidity_enabled: false,
    }
}

fn subnet(
    spec: &SubnetSpec,
    rng: &mut Rng,
    devnet_cold: AccountId32,
    miner_colds: &[AccountId32],
) -> Subnet {
    let n = spec.neurons;
    // Which uids run validators: a fixed share, placed at random uids.
    let candidates = (spec.max_validators + spec.max_validators / 4).min(n);
    let mut is_validator = vec![false; usize::from(n)];
    let mut placed = 0;
    while placed < candidates {
        let uid = rng.range(0, u64::from(n)) as usize;
        if !is_validator[uid] {
            is_validator[uid] = true;
            placed += 1;
        }
    }
    let mut neurons: Vec<Neuron> = (0..n)
        .map(|uid| {
            neuron(spec.netuid, uid, is_validator[usize::from(uid)], rng, devnet_cold, miner_colds)
        })
        .collect();
    // Permits go to the top stakers, as the chain's epoch assigns them.
    let mut by_stake: Vec<u16> = (0..n).collect();
    by_stake.sort_by_key(|&uid| {
        std::cmp::Reverse(Subnet::total_stake(&neurons[usize::from(uid)], DEFAULT_TAO_WEIGHT))
    });
    for &uid in by_stake.iter().take(usize::from(spec.max_validators)) {
        neurons[usize::from(uid)].validator_permit = true;
    }
    let miners: Vec<u16> = (0..n).filter(|&u| !neurons[usize::from(u)].validator_permit).collect();
    for neuron in neurons.iter_mut().filter(|x| x.validator_permit) {
        neuron.dividends = rng.range(100, 4000) as u16;
        neuron.validator_trust = rng.range(50_000, 65_535) as u16;
        neuron.weights = random_weights(&miners, rng);
        neuron.bonds =
            neuron.weights.iter().map(|&(uid, _)| (uid, rng.range(1, 65_535) as u16)).collect();
    }
    for &uid in &miners {
        let m = &mut neurons[usize::from(uid)];
        m.incentive = rng.range(0, 2000) as u16;
        m.consensus = rng.range(0, 2000) as u16;
    }
    let (name, symbol) = NAMES[usize::from(spec.netuid) % NAMES.len()];
    let owner_hotkey = neurons.first().map(|x| x.hotkey).unwrap_or(AccountId32([0; 32]));
    Subnet {
        netuid: spec.netuid,
        name: name.to_string(),
        symbol: symbol.to_string(),
        owner_hotkey,
        owner_coldkey: devnet_cold,
        registered_at: 0,
        hyper: hyperparams(spec),
        neurons,
        alpha_in: rng.range(100_000, 2_000_000) * RAO,
        alpha_out: rng.range(1_000_000, 5_000_000) * RAO,
        tao_in: rng.range(5_000, 100_000) * RAO,
        moving_price: i128::from(rng.range(1, 1 << 31)) << 2,
        last_epoch_block: 0,
        pending_epoch_at: 0,
        epoch_index: 0,
        storage: Default::default(),
        digest: Default::default(),
    }
}

fn neuron(
    netuid: u16,
    uid: u16,
    validator: bool,
    rng: &mut Rng,
    devnet_cold: AccountId32,
    miner_colds: &[AccountId32],
) -> Neuron {
    let hotkey = keys::account(&keys::derive(&keys::hotkey_path(netuid, uid)));
    let coldkey = if validator {
        devnet_cold
    } else {
        miner_colds[rng.range(0, miner_colds.len() as u64) as usize]
    };
    let (alpha_stake, tao_stake) = if validator {
        (rng.range(20_000, 2_000_000) * RAO + rng.range(0, RAO), rng.range(0, 300_000) * RAO)
    } else {
        (rng.range(0, 5_000) * RAO + rng.range(0, RAO), 0)
    };
    Neuron {
        uid,
        hotkey,
        coldkey,
        active: rng.chance(95),
        axon: rng.chance(90).then(|| axon(uid, rng)),
        prometheus: rng.chance(30).then(|| PrometheusInfo {
            block: 0,
            version: 1,
            ip: u128::from(u32::from_be_bytes([198, 51, 100, (uid % 250) as u8 + 1])),
            port: 9100,
            ip_type: 4,
        }),
        alpha_stake,
        tao_stake,
        emission: rng.range(0, 50) * RAO / 10,
        incentive: 0,
        consensus: 0,
        dividends: 0,
        validator_trust: 0,
        last_update: 0,
        validator_permit: false,
        block_at_registration: 0,
        weights: vec![],
        bonds: vec![],
        certificate: (uid % 16 == 3).then(|| NeuronCertificate {
            public_key: BoundedVec::new(rng.bytes::<32>().to_vec()),
            algorithm: 1,
        }),
        commitment: (uid % 8 == 1).then(|| {
            let text = format!("{{\"endpoint\":\"https://sn{netuid}-uid{uid}.devnet.invalid\"}}");
            (0, vec![Data::Raw(text.into_bytes())])
        }),
        evm_address: (uid % 16 == 7).then(|| {
            let digest = sp_crypto_hashing::blake2_256(&hotkey.0);
            let mut address = [0u8; 20];
            address.copy_from_slice(&digest[..20]);
            (address, 0)
        }),
        revealed: if uid % 32 == 5 {
            // What bittensor-drand encrypts: the text as a SCALE string.
            let text = format!("revealed by sn{netuid}-uid{uid}");
            vec![(parity_scale_codec::Encode::encode(&text), 0)]
        } else {
            vec![]
        },
    }
}

fn axon(uid: u16, rng: &mut Rng) -> AxonInfo {
    let (ip, ip_type) = if uid % 10 == 7 {
        // 2001:db8::/32, the documentation range.
        (0x2001_0db8_u128 << 96 | u128::from(rng.next()), 6)
    } else {
        let b: [u8; 4] = rng.bytes();
        (u128::from(u32::from_be_bytes([203, 0, 113 + b[0] % 2, b[1].max(1)])), 4)
    };
    AxonInfo {
        block: 0,
        version: 10_002_000,
        ip,
        port: 8091 + (rng.next() % 100) as u16,
        ip_type,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
    }
}

/// Sparse, max-upscaled weights on up to 32 miners.
fn random_weights(miners: &[u16], rng: &mut Rng) -> Vec<(u16, u16)> {
    if miners.is_empty() {
        return vec![];
    }
    let mut chosen: Vec<u16> = miners.iter().copied().filter(|_| rng.chance(40)).take(32).collect();
    if chosen.is_empty() {
        chosen.push(miners[0]);
    }
    let raw: Vec<u64> = chosen.iter().map(|_| rng.range(1, 1000)).collect();
    let max = raw.iter().copied().max().unwrap_or(1);
    chosen.iter().zip(raw).map(|(&uid, w)| (uid, (w * 65_535 / max) as u16)).collect()
}
