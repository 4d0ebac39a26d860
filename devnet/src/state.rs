//! The devnet's chain state as typed values: subnets, neurons, hyperparameters and accounts.
//!
//! A [`World`] is immutable once built; a change (an epoch, an extrinsic) makes a new one that
//! shares every untouched subnet through `Arc`. Storage values and runtime-API answers are both
//! derived from it, so they cannot disagree.

// Fields are named after the runtime storage items and runtime-API fields they feed.
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::mirror::pallet_commitments::types::Data;
use super::mirror::pallet_subtensor::pallet::{AxonInfo, NeuronCertificate, PrometheusInfo};
use super::mirror::sp_core::crypto::AccountId32;

/// One registered neuron of a subnet.
#[derive(Clone, Debug, PartialEq)]
pub struct Neuron {
    pub uid: u16,
    pub hotkey: AccountId32,
    pub coldkey: AccountId32,
    pub active: bool,
    pub axon: Option<AxonInfo>,
    pub prometheus: Option<PrometheusInfo>,
    /// The hotkey's alpha on this subnet, in rao.
    pub alpha_stake: u64,
    /// The hotkey's root (TAO) stake, in rao.
    pub tao_stake: u64,
    /// Alpha emitted to this neuron per epoch, in rao.
    pub emission: u64,
    pub incentive: u16,
    pub consensus: u16,
    pub dividends: u16,
    pub validator_trust: u16,
    pub last_update: u64,
    pub validator_permit: bool,
    pub block_at_registration: u64,
    /// Sparse `(uid, weight)` pairs, max-upscaled to u16.
    pub weights: Vec<(u16, u16)>,
    pub bonds: Vec<(u16, u16)>,
    pub certificate: Option<NeuronCertificate>,
    /// `(block, fields)` of the hotkey's last commitment.
    pub commitment: Option<(u32, Vec<Data>)>,
    /// Revealed timelocked commitments: `(bytes, reveal block)`.
    pub revealed: Vec<(Vec<u8>, u64)>,
    /// The EVM address associated with the hotkey and the block ownership was proven at.
    pub evm_address: Option<([u8; 20], u64)>,
}

/// A subnet's hyperparameters (what `get_subnet_hyperparams*` report).
#[derive(Clone, Debug, PartialEq)]
pub struct Hyperparams {
    pub rho: u16,
    pub kappa: u16,
    pub immunity_period: u16,
    pub min_allowed_weights: u16,
    pub max_weights_limit: u16,
    pub tempo: u16,
    pub min_difficulty: u64,
    pub max_difficulty: u64,
    pub weights_version: u64,
    pub weights_rate_limit: u64,
    pub adjustment_interval: u16,
    pub activity_cutoff: u16,
    pub registration_allowed: bool,
    pub target_regs_per_interval: u16,
    pub min_burn: u64,
    pub max_burn: u64,
    pub burn: u64,
    pub bonds_moving_avg: u64,
    pub max_regs_per_block: u16,
    pub serving_rate_limit: u64,
    pub max_validators: u16,
    pub max_uids: u16,
    pub adjustment_alpha: u64,
    pub difficulty: u64,
    pub commit_reveal_period: u64,
    pub commit_reveal_weights_enabled: bool,
    pub alpha_high: u16,
    pub alpha_low: u16,
    pub liquid_alpha_enabled: bool,
    /// `I32F32` bits.
    pub alpha_sigmoid_steepness: i64,
    pub yuma_version: u16,
    pub subnet_is_active: bool,
    pub transfers_enabled: bool,
    pub bonds_reset_enabled: bool,
    pub user_liquidity_enabled: bool,
}

/// How a runtime schedules subnet epochs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EpochRule {
    /// Spec 393 and earlier: an epoch runs at block `b` when `(b + netuid + 1) % (tempo + 1)`
    /// equals `tempo` (subtensor's `blocks_until_next_epoch` is 0).
    Modulo,
    /// Subtensor's stateful scheduler (dynamic tempo, mid-2026): an epoch runs `tempo` blocks
    /// after `LastEpochBlock`, or at `PendingEpochAt` when one is pending, at most
    /// `MaxEpochsPerBlock` subnets per block (the rest wait a block).
    #[default]
    Stateful,
}

/// `MaxEpochsPerBlock` on finney.
pub const MAX_EPOCHS_PER_BLOCK: usize = 2;
/// `MaxTempo`: an epoch runs at the latest this many blocks after the last one.
pub const MAX_TEMPO: u64 = 50_400;

/// One subnet and its neurons, indexed by uid.
#[derive(Debug)]
pub struct Subnet {
    pub netuid: u16,
    pub name: String,
    pub symbol: String,
    pub owner_hotkey: AccountId32,
    pub owner_coldkey: AccountId32,
    pub registered_at: u64,
    pub hyper: Hyperparams,
    pub neurons: Vec<Neuron>,
    pub alpha_in: u64,
    pub alpha_out: u64,
    pub tao_in: u64,
    /// `I96F32` bits of the moving alpha price.
    pub moving_price: i128,
    /// `LastEpochBlock`: the block the last epoch ran (or was skipped) in.
    pub last_epoch_block: u64,
    /// `PendingEpochAt`: a block an epoch is due at out of turn; 0 when none is.
    pub pending_epoch_at: u64,
    /// `SubnetEpochIndex`: epochs run so far.
    pub epoch_index: u64,
    /// Storage entries of this subnet, built on first use.
    pub(crate) storage: OnceLock<Arc<BTreeMap<Vec<u8>, Vec<u8>>>>,
    /// blake2-256 over this subnet's storage entries, computed on first use.
    pub(crate) digest: OnceLock<[u8; 32]>,
}

impl Clone for Subnet {
    fn clone(&self) -> Self {
        Self {
            netuid: self.netuid,
            name: self.name.clone(),
            symbol: self.symbol.clone(),
            owner_hotkey: self.owner_hotkey,
            owner_coldkey: self.owner_coldkey,
            registered_at: self.registered_at,
            hyper: self.hyper.clone(),
            neurons: self.neurons.clone(),
            alpha_in: self.alpha_in,
            alpha_out: self.alpha_out,
            tao_in: self.tao_in,
            moving_price: self.moving_price,
            last_epoch_block: self.last_epoch_block,
            pending_epoch_at: self.pending_epoch_at,
            epoch_index: self.epoch_index,
            // A clone is about to change: its storage is derived anew.
            storage: OnceLock::new(),
            digest: OnceLock::new(),
        }
    }
}

impl Subnet {
    /// Whether an epoch is due at `block` (before this block's epochs run).
    pub fn epoch_due(&self, rule: EpochRule, block: u64) -> bool {
        let tempo = u64::from(self.hyper.tempo);
        if tempo == 0 {
            return false;
        }
        match rule {
            EpochRule::Modulo => (block + u64::from(self.netuid) + 1) % (tempo + 1) == tempo,
            EpochRule::Stateful => {
                let since = block.saturating_sub(self.last_epoch_block);
                (self.pending_epoch_at > 0 && block >= self.pending_epoch_at)
                    || since > MAX_TEMPO
                    || since >= tempo
            }
        }
    }

    /// `BlocksSinceLastStep` at `block` (after its epochs ran).
    pub fn blocks_since_last_step(&self, rule: EpochRule, block: u64) -> u64 {
        match rule {
            // Before the subnet's first epoch, the steps are counted from genesis.
            EpochRule::Modulo => {
                let period = u64::from(self.hyper.tempo) + 1;
                (((block + u64::from(self.netuid) + 1) % period + 1) % period).min(block)
            }
            EpochRule::Stateful => block.saturating_sub(self.last_epoch_block),
        }
    }

    /// The epoch index a commit made in block `block` belongs to: spec 393's `get_epoch_index`
    /// (`(block + netuid + 1) / (tempo + 1)`), or the stateful scheduler's
    /// `current_epoch_with_lookahead` (after this block's epochs ran).
    pub fn commit_epoch(&self, rule: EpochRule, block: u64) -> u64 {
        match rule {
            EpochRule::Modulo => {
                (block + u64::from(self.netuid) + 1) / (u64::from(self.hyper.tempo) + 1)
            }
            EpochRule::Stateful => self.epoch_index + u64::from(self.epoch_due(rule, block)),
        }
    }

    /// The first block of the next epoch as `get_next_epoch_start_block` reports it at `block`.
    pub fn next_epoch_start(&self, rule: EpochRule, block: u64) -> Option<u64> {
        let tempo = u64::from(self.hyper.tempo);
        if tempo == 0 {
            return None;
        }
        Some(match rule {
            EpochRule::Modulo => {
                let until = tempo - (block + u64::from(self.netuid) + 1) % (tempo + 1);
                block + if until == 0 { tempo + 1 } else { until }
            }
            EpochRule::Stateful => {
                let next = self.last_epoch_block + tempo;
                if self.pending_epoch_at > 0 { next.min(self.pending_epoch_at) } else { next }
            }
        })
    }

    /// The subnet's self-declared identity (`SubnetIdentitiesV3`).
    pub fn identity(&self) -> super::mirror::pallet_subtensor::pallet::SubnetIdentityV3 {
        super::mirror::pallet_subtensor::pallet::SubnetIdentityV3 {
            subnet_name: self.name.as_bytes().to_vec(),
            github_repo: format!("https://github.com/devnet/{}", self.name.to_lowercase())
                .into_bytes(),
            subnet_contact: format!("{}@devnet.invalid", self.name.to_lowercase()).into_bytes(),
            description: format!("Devnet subnet {}", self.netuid).into_bytes(),
            ..Default::default()
        }
    }

    /// The alpha price in rao of TAO per alpha, from the pool reserves (`SubnetTAO /
    /// SubnetAlphaIn`, the balancer's price with equal weights), as `SwapRuntimeApi` reports it.
    pub fn alpha_price(&self) -> u64 {
        if self.alpha_in == 0 {
            return 0;
        }
        (u128::from(self.tao_in) * 1_000_000_000 / u128::from(self.alpha_in)) as u64
    }

    /// The hotkey's total stake weighted as the chain does: alpha + tao × tao weight.
    pub fn total_stake(neuron: &Neuron, tao_weight: u64) -> u64 {
        let tao = (u128::from(neuron.tao_stake) * u128::from(tao_weight)) >> 64;
        neuron.alpha_stake.saturating_add(tao as u64)
    }
}

/// Hex answers of runtime-API calls by `(method, SCALE arguments)`.
pub type ApiCache = BTreeMap<(String, Vec<u8>), Arc<str>>;

/// The whole chain state at some block.
#[derive(Debug)]
pub struct World {
    pub subnets: BTreeMap<u16, Arc<Subnet>>,
    /// Account nonces (only accounts that have signed something).
    pub nonces: BTreeMap<AccountId32, u32>,
    /// Free balances of accounts, in rao.
    pub balances: BTreeMap<AccountId32, u64>,
    /// Fraction of `u64::MAX` that TAO stake counts for in total stake.
    pub tao_weight: u64,
    pub stake_threshold: u64,
    pub commit_reveal_version: u16,
    /// How epochs are scheduled (the runtime's).
    pub epoch_rule: EpochRule,
    /// Drand pulses kept on chain: round → signature.
    pub pulses: BTreeMap<u64, Vec<u8>>,
    /// `Drand.LastStoredRound`.
    pub last_stored_round: u64,
    /// Timelocked weight commits by (netuid, epoch index).
    pub timelocked: BTreeMap<(u16, u64), Vec<super::timelocked::TimelockedCommit>>,
    /// Encoded runtime-API answers that do not depend on the block number.
    pub(crate) api_cache: Mutex<ApiCache>,
    /// Storage entries outside subnets, built on first use.
    pub(crate) storage: OnceLock<Arc<BTreeMap<Vec<u8>, Vec<u8>>>>,
}

impl World {
    /// A world with the given subnets and accounts.
    pub fn new(
        subnets: BTreeMap<u16, Arc<Subnet>>,
        balances: BTreeMap<AccountId32, u64>,
        tao_weight: u64,
    ) -> Self {
        Self {
            subnets,
            nonces: BTreeMap::new(),
            balances,
            tao_weight,
            stake_threshold: 0,
            commit_reveal_version: 4,
            epoch_rule: EpochRule::default(),
            pulses: BTreeMap::new(),
            last_stored_round: 0,
            timelocked: BTreeMap::new(),
            api_cache: Mutex::new(BTreeMap::new()),
            storage: OnceLock::new(),
        }
    }

    /// A copy to change: subnets stay shared until modified with `Arc::make_mut`.
    pub fn successor(&self) -> Self {
        Self {
            subnets: self.subnets.clone(),
            nonces: self.nonces.clone(),
            balances: self.balances.clone(),
            tao_weight: self.tao_weight,
            stake_threshold: self.stake_threshold,
            commit_reveal_version: self.commit_reveal_version,
            epoch_rule: self.epoch_rule,
            pulses: self.pulses.clone(),
            last_stored_round: self.last_stored_round,
            timelocked: self.timelocked.clone(),
            api_cache: Mutex::new(BTreeMap::new()),
            storage: OnceLock::new(),
        }
    }

    /// The account's next nonce.
    pub fn nonce(&self, account: &AccountId32) -> u32 {
        self.nonces.get(account).copied().unwrap_or(0)
    }
}
