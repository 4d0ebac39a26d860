//! `get_subnet_hyperparams`, `_v2` and `_v3`: a subnet's hyperparameters in each runtime
//! version's shape.

use crate::mirror::pallet_subtensor::rpc_info::subnet_info::{
    HyperparamEntry, HyperparamValue, SubnetHyperparams, SubnetHyperparamsV2,
};
use crate::mirror::substrate_fixed::{FixedI64, FixedU128};
use crate::state::Subnet;

macro_rules! hyperparams {
    ($ty:ident, $s:expr, { $($extra:ident: $value:expr),* }) => {{
        let h = &$s.hyper;
        $ty {
            rho: h.rho,
            kappa: h.kappa,
            immunity_period: h.immunity_period,
            min_allowed_weights: h.min_allowed_weights,
            max_weights_limit: h.max_weights_limit,
            tempo: h.tempo,
            min_difficulty: h.min_difficulty,
            max_difficulty: h.max_difficulty,
            weights_version: h.weights_version,
            weights_rate_limit: h.weights_rate_limit,
            adjustment_interval: h.adjustment_interval,
            activity_cutoff: h.activity_cutoff,
            registration_allowed: h.registration_allowed,
            target_regs_per_interval: h.target_regs_per_interval,
            min_burn: h.min_burn,
            max_burn: h.max_burn,
            bonds_moving_avg: h.bonds_moving_avg,
            max_regs_per_block: h.max_regs_per_block,
            serving_rate_limit: h.serving_rate_limit,
            max_validators: h.max_validators,
            adjustment_alpha: h.adjustment_alpha,
            difficulty: h.difficulty,
            commit_reveal_period: h.commit_reveal_period,
            commit_reveal_weights_enabled: h.commit_reveal_weights_enabled,
            alpha_high: h.alpha_high,
            alpha_low: h.alpha_low,
            liquid_alpha_enabled: h.liquid_alpha_enabled,
            $($extra: $value,)*
        }
    }};
}

pub fn v1(s: &Subnet) -> SubnetHyperparams {
    hyperparams!(SubnetHyperparams, s, {})
}

pub fn v2(s: &Subnet) -> SubnetHyperparamsV2 {
    let h = &s.hyper;
    hyperparams!(SubnetHyperparamsV2, s, {
        alpha_sigmoid_steepness: FixedI64::from_bits(h.alpha_sigmoid_steepness),
        yuma_version: h.yuma_version,
        subnet_is_active: h.subnet_is_active,
        transfers_enabled: h.transfers_enabled,
        bonds_reset_enabled: h.bonds_reset_enabled,
        user_liquidity_enabled: h.user_liquidity_enabled
    })
}

pub fn v3(s: &Subnet) -> Vec<HyperparamEntry> {
    use HyperparamValue::{Bool, I32F32, TaoBalance, U16, U32, U64, U64F64};
    let h = &s.hyper;
    let activity_cutoff_factor = u32::from(h.activity_cutoff) * 1000 / u32::from(h.tempo.max(1));
    let entries = [
        ("kappa", U16(h.kappa)),
        ("immunity_period", U16(h.immunity_period)),
        ("min_allowed_weights", U16(h.min_allowed_weights)),
        ("max_weights_limit", U16(h.max_weights_limit)),
        ("tempo", U16(h.tempo)),
        ("weights_version", U64(h.weights_version)),
        ("weights_rate_limit", U64(h.weights_rate_limit)),
        ("activity_cutoff", U64(u64::from(h.activity_cutoff))),
        ("activity_cutoff_factor", U32(activity_cutoff_factor)),
        ("registration_allowed", Bool(h.registration_allowed)),
        ("target_regs_per_interval", U16(h.target_regs_per_interval)),
        ("min_burn", TaoBalance(h.min_burn)),
        ("max_burn", TaoBalance(h.max_burn)),
        ("burn_half_life", U16(360)),
        ("burn_increase_mult", U64F64(FixedU128::from_bits(2 << 64))),
        ("bonds_moving_avg", U64(h.bonds_moving_avg)),
        ("max_regs_per_block", U16(h.max_regs_per_block)),
        ("serving_rate_limit", U64(h.serving_rate_limit)),
        ("max_validators", U16(h.max_validators)),
        ("commit_reveal_period", U64(h.commit_reveal_period)),
        ("commit_reveal_weights_enabled", Bool(h.commit_reveal_weights_enabled)),
        ("alpha_high", U16(h.alpha_high)),
        ("alpha_low", U16(h.alpha_low)),
        ("liquid_alpha_enabled", Bool(h.liquid_alpha_enabled)),
        ("alpha_sigmoid_steepness", I32F32(FixedI64::from_bits(h.alpha_sigmoid_steepness))),
        ("yuma_version", U16(h.yuma_version)),
        ("subnet_is_active", Bool(h.subnet_is_active)),
        ("transfers_enabled", Bool(h.transfers_enabled)),
        ("bonds_reset_enabled", Bool(h.bonds_reset_enabled)),
        ("user_liquidity_enabled", Bool(h.user_liquidity_enabled)),
    ];
    entries
        .into_iter()
        .map(|(name, value)| HyperparamEntry { name: name.as_bytes().to_vec(), value })
        .collect()
}
