//! What happens at a subnet's epoch on the devnet: emission accrues to stake and the epoch
//! counters move (`LastEpochBlock`, `PendingEpochAt`, `SubnetEpochIndex`), so state read at
//! different blocks differs the way it does on finney. Validators' `LastUpdate` is left alone:
//! on chain it moves only when a validator sets or commits weights.

use std::sync::Arc;

use super::state::{EpochRule, MAX_EPOCHS_PER_BLOCK, Subnet, World};

/// The state after block `block`'s epochs: `world` itself when no subnet has one due.
pub fn advance(world: &Arc<World>, block: u64) -> Arc<World> {
    let rule = world.epoch_rule;
    // Subnets in `NetworksAdded` order: its keys are the netuid's little-endian bytes.
    let mut due: Vec<u16> =
        world.subnets.values().filter(|s| s.epoch_due(rule, block)).map(|s| s.netuid).collect();
    if due.is_empty() {
        return world.clone();
    }
    due.sort_by_key(|n| n.to_le_bytes());
    let mut next = world.successor();
    for (i, netuid) in due.into_iter().enumerate() {
        let Some(subnet) = next.subnets.get_mut(&netuid) else { continue };
        let subnet = Arc::make_mut(subnet);
        if rule == EpochRule::Stateful && i >= MAX_EPOCHS_PER_BLOCK {
            // Over the per-block cap: deferred to the next block.
            subnet.pending_epoch_at = block + 1;
            continue;
        }
        run_epoch(subnet, block);
    }
    Arc::new(next)
}

fn run_epoch(subnet: &mut Subnet, block: u64) {
    for neuron in &mut subnet.neurons {
        neuron.alpha_stake = neuron.alpha_stake.saturating_add(neuron.emission);
    }
    subnet.last_epoch_block = block;
    subnet.pending_epoch_at = 0;
    subnet.epoch_index += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::genesis::{GenesisConfig, SubnetSpec, build};

    fn world(rule: EpochRule, tempos: &[u16]) -> Arc<World> {
        let subnets = tempos
            .iter()
            .enumerate()
            .map(|(i, &tempo)| SubnetSpec { tempo, ..SubnetSpec::sized(i as u16 + 1, 4) })
            .collect();
        let mut w = build(&GenesisConfig { seed: 1, subnets });
        w.epoch_rule = rule;
        Arc::new(w)
    }

    fn epochs(mut w: Arc<World>, netuid: u16, blocks: u64) -> Vec<u64> {
        let mut at = Vec::new();
        for b in 1..=blocks {
            let before = w.subnets[&netuid].epoch_index;
            w = advance(&w, b);
            if w.subnets[&netuid].epoch_index > before {
                at.push(b);
            }
        }
        at
    }

    #[test]
    fn stateful_epochs_run_every_tempo_blocks_and_the_cap_defers_the_third() {
        let w = world(EpochRule::Stateful, &[10, 10, 10]);
        assert_eq!(epochs(w.clone(), 1, 30), vec![10, 20, 30]);
        assert_eq!(epochs(w.clone(), 2, 30), vec![10, 20, 30]);
        // The third subnet due in a block waits one block, then runs on its own schedule.
        assert_eq!(epochs(w, 3, 30), vec![11, 21]);
    }

    #[test]
    fn modulo_epochs_follow_the_netuid_offset() {
        let w = world(EpochRule::Modulo, &[10]);
        // (b + 2) % 11 == 10, subtensor's `blocks_until_next_epoch` == 0
        assert_eq!(epochs(w, 1, 30), vec![8, 19, 30]);
    }
}
