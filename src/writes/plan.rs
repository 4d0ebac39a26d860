//! A weights submission planned at one pinned block: targets resolved to uids (unknown ones
//! listed), the u16 vector, the subnet's version key and commit-reveal mode, and the pre-flight
//! checks (registered, permit, minimum weights, rate limit) that say whether it can go out now.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::chain::{BlockAt, ChainClient, ChainError, reads};
use crate::weights::{self, Target, WeightsError};

/// Why a plan could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Reading the subnet failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The signing hotkey has no uid on the subnet.
    #[error("hotkey {hotkey} is not registered on subnet {netuid}")]
    NotRegistered {
        /// The hotkey.
        hotkey: String,
        /// The subnet.
        netuid: u16,
    },
    /// The same uid named twice (by uid and by hotkey).
    #[error("uid {0} is given twice (by uid and by hotkey)")]
    DuplicateUid(u16),
    /// The weights cannot be normalised.
    #[error(transparent)]
    Weights(#[from] WeightsError),
}

/// What stops a plan from being submitted now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// The hotkey lacks a validator permit (and does not only weigh itself).
    NoPermit,
    /// Fewer weights than the subnet's minimum.
    TooFewWeights {
        /// Given.
        given: usize,
        /// Required.
        required: usize,
    },
    /// The rate limit has not passed yet.
    RateLimited {
        /// The first block a submission is accepted.
        next_allowed_block: u64,
    },
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocker::NoPermit => f.write_str("no validator permit"),
            Blocker::TooFewWeights { given, required } => {
                write!(f, "{given} weights given; the subnet requires at least {required}")
            }
            Blocker::RateLimited { next_allowed_block } => {
                write!(f, "rate-limited: the next allowed block is {next_allowed_block}")
            }
        }
    }
}

/// A weights submission, resolved at one block.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The subnet.
    pub netuid: u16,
    /// The signer's uid.
    pub uid: u16,
    /// The signer's hotkey.
    pub hotkey: String,
    /// The block it was resolved at.
    pub block: u64,
    /// The subnet's tempo.
    pub tempo: u64,
    /// The subnet's epoch schedule at the block.
    pub schedule: crate::writes::epoch::Schedule,
    /// `WeightsVersionKey` of the subnet.
    pub version_key: u64,
    /// Whether commit-reveal is on.
    pub commit_reveal: bool,
    /// Epochs between a commit and its reveal (`commit_reveal_period`).
    pub reveal_period: u64,
    /// (uid, u16 weight), uid order, zeros dropped; empty when nothing known remains.
    pub vector: Vec<(u16, u16)>,
    /// Targets not registered on the subnet (dropped).
    pub unknown: Vec<String>,
    /// Whether the signer holds a validator permit.
    pub validator_permit: bool,
    /// Minimum number of weights the subnet accepts.
    pub min_allowed: usize,
    /// The first block at which the rate limit allows a submission.
    pub next_allowed_block: u64,
    /// The block the signer last set weights at (0: never).
    pub last_update: u64,
}

fn param(hyper: &BTreeMap<String, Value>, name: &str) -> u64 {
    hyper.get(name).and_then(Value::as_u64).unwrap_or(0)
}

impl Plan {
    /// Resolves `wanted` for hotkey `me` on `netuid` at the finalized head.
    pub async fn at_head(
        chain: &ChainClient,
        netuid: u16,
        me: &str,
        wanted: &BTreeMap<Target, f64>,
    ) -> Result<Self, PlanError> {
        let (neurons, hyper, schedule) = chain
            .read(BlockAt::Latest, move |at| {
                Box::pin(async move {
                    let neurons = reads::neurons(at.clone(), netuid).await?;
                    let schedule = crate::chain::commit_reveal::schedule(&at, netuid).await?;
                    Ok((neurons, reads::hyperparams(at, netuid).await?, schedule))
                })
            })
            .await?;
        let own = neurons
            .neurons
            .iter()
            .find(|n| n.hotkey == me)
            .ok_or_else(|| PlanError::NotRegistered { hotkey: me.to_string(), netuid })?;
        let by_hotkey: BTreeMap<&str, u16> =
            neurons.neurons.iter().map(|n| (n.hotkey.as_str(), n.uid)).collect();
        let (mut resolved, mut unknown) = (Vec::new(), Vec::new());
        for (target, w) in wanted {
            match target {
                Target::Uid(uid) if usize::from(*uid) < neurons.neurons.len() => {
                    resolved.push((*uid, *w))
                }
                Target::Hotkey(h) if by_hotkey.contains_key(h.as_str()) => {
                    resolved.push((by_hotkey[h.as_str()], *w))
                }
                other => unknown.push(other.to_string()),
            }
        }
        let mut seen = BTreeSet::new();
        if let Some((uid, _)) = resolved.iter().find(|(uid, _)| !seen.insert(*uid)) {
            return Err(PlanError::DuplicateUid(*uid));
        }
        let vector = if resolved.is_empty() { Vec::new() } else { weights::normalize(&resolved)? };
        let h = &hyper.hyperparams;
        let rate_limit = param(h, "weights_rate_limit");
        Ok(Self {
            netuid,
            uid: own.uid,
            hotkey: me.to_string(),
            block: neurons.block.number,
            tempo: param(h, "tempo"),
            schedule,
            version_key: param(h, "weights_version"),
            commit_reveal: h
                .get("commit_reveal_weights_enabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            reveal_period: param(h, "commit_reveal_period"),
            vector,
            unknown,
            validator_permit: own.validator_permit,
            min_allowed: (param(h, "min_allowed_weights") as usize).min(neurons.neurons.len()),
            next_allowed_block: if own.last_update == 0 { 0 } else { own.last_update + rate_limit },
            last_update: own.last_update,
        })
    }

    fn self_only(&self) -> bool {
        self.vector.len() == 1 && self.vector[0].0 == self.uid
    }

    /// The first check that fails, in the order the chain applies them.
    pub fn blocker(&self) -> Option<Blocker> {
        if !(self.validator_permit || self.self_only()) {
            return Some(Blocker::NoPermit);
        }
        if !self.self_only() && self.vector.len() < self.min_allowed {
            return Some(Blocker::TooFewWeights {
                given: self.vector.len(),
                required: self.min_allowed,
            });
        }
        // The extrinsic lands in the block after the head at the earliest.
        if self.block + 1 < self.next_allowed_block {
            return Some(Blocker::RateLimited { next_allowed_block: self.next_allowed_block });
        }
        None
    }

    /// The plan and every check, as `--dry-run` prints it.
    pub fn to_json(&self) -> Value {
        json!({
            "netuid": self.netuid, "uid": self.uid, "hotkey": self.hotkey, "block": self.block,
            "version_key": self.version_key, "weights": self.vector, "dropped": self.unknown,
            "checks": {
                "registered": true,
                "validator_permit": self.validator_permit || self.self_only(),
                "commit_reveal": self.commit_reveal,
                "min_allowed_weights": {
                    "required": self.min_allowed, "given": self.vector.len(),
                    "ok": self.self_only() || self.vector.len() >= self.min_allowed,
                },
                "rate_limit": {
                    "next_allowed_block": self.next_allowed_block, "head": self.block,
                    "ok": self.block + 1 >= self.next_allowed_block,
                },
            },
        })
    }
}
