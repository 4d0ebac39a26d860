//! Storage keys and values: the devnet's state laid out exactly as subtensor stores it.

use std::collections::BTreeMap;
use std::sync::Arc;

use parity_scale_codec::Encode;
use sp_crypto_hashing::{blake2_128, twox_64, twox_128};

use super::metadata::DEFAULT_MAX_SPACE;
use super::mirror::bounded_collections::{Bound, bounded_vec::BoundedVec};
use super::mirror::frame_system::AccountInfo;
use super::mirror::pallet_balances::types::{AccountData, ExtraFlags};
use super::mirror::pallet_commitments::types::{CommitmentInfo, Registration};
use super::mirror::pallet_drand::types::Pulse;
use super::mirror::pallet_subtensor::pallet::EpochConsensus;
use super::mirror::primitive_types::H160;
use super::mirror::sp_core::crypto::AccountId32;
use super::state::{EpochRule, MAX_EPOCHS_PER_BLOCK, Subnet, World};

/// A sorted map of raw storage keys to SCALE values.
pub type StorageMap = BTreeMap<Vec<u8>, Vec<u8>>;

/// `twox128(pallet) ++ twox128(item)`: the prefix of every key of a storage item.
pub fn prefix(pallet: &str, item: &str) -> Vec<u8> {
    let mut key = twox_128(pallet.as_bytes()).to_vec();
    key.extend_from_slice(&twox_128(item.as_bytes()));
    key
}

/// A key part hashed as the storage item's hasher says.
pub enum Part<'a> {
    /// `Identity`: the raw SCALE bytes.
    Id(&'a dyn EncodeDyn),
    /// `Blake2_128Concat`: `blake2_128(k) ++ k`.
    Blake2(&'a dyn EncodeDyn),
    /// `Twox64Concat`: `twox64(k) ++ k`.
    Twox(&'a dyn EncodeDyn),
}

/// Object-safe encoding, so key parts of different types fit in one slice.
pub trait EncodeDyn {
    /// The SCALE bytes.
    fn bytes(&self) -> Vec<u8>;
}

impl<T: Encode> EncodeDyn for T {
    fn bytes(&self) -> Vec<u8> {
        self.encode()
    }
}

/// The full key of a storage item entry.
pub fn key(pallet: &str, item: &str, parts: &[Part<'_>]) -> Vec<u8> {
    let mut key = prefix(pallet, item);
    for part in parts {
        match part {
            Part::Id(k) => key.extend(k.bytes()),
            Part::Blake2(k) => {
                let b = k.bytes();
                key.extend_from_slice(&blake2_128(&b));
                key.extend(b);
            }
            Part::Twox(k) => {
                let b = k.bytes();
                key.extend_from_slice(&twox_64(&b));
                key.extend(b);
            }
        }
    }
    key
}

struct Writer<'a>(&'a mut StorageMap);

impl Writer<'_> {
    fn put(&mut self, pallet: &str, item: &str, parts: &[Part<'_>], value: impl Encode) {
        self.0.insert(key(pallet, item, parts), value.encode());
    }
}

const ST: &str = "SubtensorModule";

/// The storage entries outside subnets (accounts, globals).
pub fn world_storage(world: &World) -> Arc<StorageMap> {
    world
        .storage
        .get_or_init(|| {
            let mut map = StorageMap::new();
            let mut w = Writer(&mut map);
            let accounts = world.balances.keys().chain(world.nonces.keys());
            for account in accounts {
                let info = AccountInfo {
                    nonce: world.nonce(account),
                    consumers: 0,
                    providers: 1,
                    sufficients: 0,
                    data: AccountData {
                        free: world.balances.get(account).copied().unwrap_or(0),
                        reserved: 0,
                        frozen: 0,
                        flags: ExtraFlags::default(),
                    },
                };
                w.put("System", "Account", &[Part::Blake2(account)], info);
            }
            let mut owned: BTreeMap<AccountId32, Vec<AccountId32>> = BTreeMap::new();
            for neuron in world.subnets.values().flat_map(|s| &s.neurons) {
                let hotkeys = owned.entry(neuron.coldkey).or_default();
                if !hotkeys.contains(&neuron.hotkey) {
                    hotkeys.push(neuron.hotkey);
                }
            }
            for (coldkey, hotkeys) in &owned {
                w.put(ST, "OwnedHotkeys", &[Part::Blake2(coldkey)], hotkeys);
            }
            w.put(ST, "TaoWeight", &[], world.tao_weight);
            w.put(ST, "TotalNetworks", &[], world.subnets.len() as u16);
            w.put(ST, "StakeThreshold", &[], world.stake_threshold);
            w.put(ST, "CommitRevealWeightsVersion", &[], world.commit_reveal_version);
            if world.epoch_rule == EpochRule::Stateful {
                w.put(ST, "MaxEpochsPerBlock", &[], MAX_EPOCHS_PER_BLOCK as u8);
            }
            w.put("Commitments", "MaxSpace", &[], DEFAULT_MAX_SPACE);
            w.put("Drand", "LastStoredRound", &[], world.last_stored_round);
            for (round, signature) in &world.pulses {
                let pulse = Pulse {
                    round: *round,
                    randomness: BoundedVec::<u8, Bound>::new(
                        pylon_timelock::randomness(signature).to_vec(),
                    ),
                    signature: BoundedVec::new(signature.clone()),
                };
                w.put("Drand", "Pulses", &[Part::Blake2(round)], pulse);
            }
            for ((netuid, epoch), commits) in &world.timelocked {
                let queue: std::collections::VecDeque<_> = commits
                    .iter()
                    .map(|c| {
                        let ciphertext = BoundedVec::<u8, Bound>::new(c.ciphertext.clone());
                        (c.who, c.block, ciphertext, c.reveal_round)
                    })
                    .collect();
                let parts = [Part::Twox(netuid), Part::Twox(epoch)];
                w.put(ST, "TimelockedWeightCommits", &parts, queue);
            }
            Arc::new(map)
        })
        .clone()
}

/// Appends to `out` every key whose value differs between `before` and `after` (`None` for a
/// removed key).
pub fn diff(before: &StorageMap, after: &StorageMap, out: &mut Vec<(Vec<u8>, Option<Vec<u8>>)>) {
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.push((k.clone(), Some(v.clone())));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.push((k.clone(), None));
        }
    }
}

fn digest(map: &StorageMap) -> [u8; 32] {
    let mut bytes = Vec::with_capacity(map.len() * 64);
    for (k, v) in map {
        (k, v).encode_to(&mut bytes);
    }
    sp_crypto_hashing::blake2_256(&bytes)
}

/// A commitment to the whole state after a block: a hash over every storage entry of `world`
/// (subnet digests are cached, so only changed subnets are rehashed) and the block's number and
/// time. Not a trie root, but it changes exactly when the state does.
pub fn state_root(world: &World, number: u32, timestamp_ms: u64) -> [u8; 32] {
    let mut parts = digest(&world_storage(world)).to_vec();
    for subnet in world.subnets.values() {
        parts.extend(
            subnet.digest.get_or_init(|| digest(&subnet_storage(subnet, world.epoch_rule))),
        );
    }
    (number, timestamp_ms).encode_to(&mut parts);
    sp_crypto_hashing::blake2_256(&parts)
}

/// The storage entries of one subnet.
pub fn subnet_storage(subnet: &Subnet, rule: EpochRule) -> Arc<StorageMap> {
    subnet.storage.get_or_init(|| Arc::new(build_subnet(subnet, rule))).clone()
}

fn build_subnet(s: &Subnet, rule: EpochRule) -> StorageMap {
    let mut map = StorageMap::new();
    let mut w = Writer(&mut map);
    let n = &s.netuid;
    let h = &s.hyper;
    w.put(ST, "NetworksAdded", &[Part::Id(n)], true);
    w.put(ST, "NetworkRegisteredAt", &[Part::Id(n)], s.registered_at);
    w.put(ST, "SubnetworkN", &[Part::Id(n)], s.neurons.len() as u16);
    w.put(ST, "SubnetOwner", &[Part::Id(n)], s.owner_coldkey);
    w.put(ST, "SubnetOwnerHotkey", &[Part::Id(n)], s.owner_hotkey);
    w.put(ST, "SubnetTAO", &[Part::Id(n)], s.tao_in);
    w.put(ST, "SubnetAlphaIn", &[Part::Id(n)], s.alpha_in);
    w.put(ST, "SubnetAlphaOut", &[Part::Id(n)], s.alpha_out);
    w.put(ST, "Tempo", &[Part::Id(n)], h.tempo);
    w.put(ST, "ServingRateLimit", &[Part::Id(n)], h.serving_rate_limit);
    w.put(ST, "Rho", &[Part::Id(n)], h.rho);
    w.put(ST, "Kappa", &[Part::Id(n)], h.kappa);
    w.put(ST, "MaxAllowedUids", &[Part::Id(n)], h.max_uids);
    w.put(ST, "ImmunityPeriod", &[Part::Id(n)], h.immunity_period);
    w.put(ST, "MaxWeightsLimit", &[Part::Id(n)], h.max_weights_limit);
    w.put(ST, "WeightsVersionKey", &[Part::Id(n)], h.weights_version);
    w.put(ST, "MinAllowedWeights", &[Part::Id(n)], h.min_allowed_weights);
    w.put(ST, "MaxAllowedValidators", &[Part::Id(n)], h.max_validators);
    w.put(ST, "WeightsSetRateLimit", &[Part::Id(n)], h.weights_rate_limit);
    w.put(ST, "CommitRevealWeightsEnabled", &[Part::Id(n)], h.commit_reveal_weights_enabled);
    w.put(ST, "RevealPeriodEpochs", &[Part::Twox(n)], h.commit_reveal_period);
    w.put(ST, "MechanismCountCurrent", &[Part::Twox(n)], 1u8);
    w.put(ST, "SubnetMechanism", &[Part::Id(n)], 1u16);
    w.put(ST, "TokenSymbol", &[Part::Id(n)], s.symbol.as_bytes().to_vec());
    w.put(ST, "Burn", &[Part::Id(n)], h.burn);
    w.put(ST, "Difficulty", &[Part::Id(n)], h.difficulty);
    w.put(ST, "SubnetIdentitiesV3", &[Part::Blake2(n)], s.identity());
    if rule == EpochRule::Stateful {
        w.put(ST, "LastEpochBlock", &[Part::Id(n)], s.last_epoch_block);
        w.put(ST, "PendingEpochAt", &[Part::Id(n)], s.pending_epoch_at);
        w.put(ST, "SubnetEpochIndex", &[Part::Id(n)], s.epoch_index);
        w.put(ST, "SubnetEpochConsensus", &[Part::Id(n)], EpochConsensus::Yuma);
    }
    let column = |f: &dyn Fn(&super::state::Neuron) -> u64| -> Vec<u64> {
        s.neurons.iter().map(f).collect()
    };
    let narrow = |v: Vec<u64>| -> Vec<u16> { v.into_iter().map(|x| x as u16).collect() };
    w.put(ST, "Active", &[Part::Id(n)], s.neurons.iter().map(|x| x.active).collect::<Vec<_>>());
    w.put(
        ST,
        "ValidatorPermit",
        &[Part::Id(n)],
        s.neurons.iter().map(|x| x.validator_permit).collect::<Vec<_>>(),
    );
    w.put(ST, "Consensus", &[Part::Id(n)], narrow(column(&|x| x.consensus.into())));
    w.put(ST, "Incentive", &[Part::Id(n)], narrow(column(&|x| x.incentive.into())));
    w.put(ST, "Dividends", &[Part::Id(n)], narrow(column(&|x| x.dividends.into())));
    w.put(ST, "ValidatorTrust", &[Part::Id(n)], narrow(column(&|x| x.validator_trust.into())));
    w.put(ST, "Emission", &[Part::Id(n)], column(&|x| x.emission));
    w.put(ST, "LastUpdate", &[Part::Id(n)], column(&|x| x.last_update));
    for x in &s.neurons {
        let uid = &x.uid;
        let hk = &x.hotkey;
        w.put(ST, "Keys", &[Part::Id(n), Part::Id(uid)], x.hotkey);
        w.put(ST, "Uids", &[Part::Id(n), Part::Blake2(hk)], x.uid);
        w.put(ST, "Owner", &[Part::Blake2(hk)], x.coldkey);
        w.put(ST, "TotalHotkeyAlpha", &[Part::Blake2(hk), Part::Id(n)], x.alpha_stake);
        w.put(ST, "BlockAtRegistration", &[Part::Id(n), Part::Id(uid)], x.block_at_registration);
        w.put(ST, "IsNetworkMember", &[Part::Blake2(hk), Part::Id(n)], true);
        if let Some((address, block)) = &x.evm_address {
            let value = (H160(*address), *block);
            w.put(ST, "AssociatedEvmAddress", &[Part::Twox(n), Part::Twox(uid)], value);
        }
        if !x.weights.is_empty() {
            w.put(ST, "Weights", &[Part::Id(n), Part::Id(uid)], &x.weights);
        }
        if !x.bonds.is_empty() {
            w.put(ST, "Bonds", &[Part::Id(n), Part::Id(uid)], &x.bonds);
        }
        if let Some(axon) = &x.axon {
            w.put(ST, "Axons", &[Part::Id(n), Part::Blake2(hk)], axon);
        }
        if let Some(p) = &x.prometheus {
            w.put(ST, "Prometheus", &[Part::Id(n), Part::Blake2(hk)], p);
        }
        if let Some(cert) = &x.certificate {
            w.put(ST, "NeuronCertificates", &[Part::Id(n), Part::Blake2(hk)], cert);
        }
        if let Some((block, fields)) = &x.commitment {
            let registration = Registration::<u64, Bound, u32> {
                deposit: 0,
                block: *block,
                info: CommitmentInfo { fields: BoundedVec::new(fields.clone()) },
            };
            w.put("Commitments", "CommitmentOf", &[Part::Id(n), Part::Twox(hk)], registration);
            w.put("Commitments", "LastCommitment", &[Part::Id(n), Part::Twox(hk)], *block);
        }
        if !x.revealed.is_empty() {
            w.put(
                "Commitments",
                "RevealedCommitments",
                &[Part::Id(n), Part::Twox(hk)],
                &x.revealed,
            );
        }
    }
    map
}
