//! What happens at a subnet's epoch on the devnet: emission accrues to stake and the
//! validators (simulated as diligent) set weights, so state read at different blocks differs
//! the way it does on finney.

use std::sync::Arc;

use super::state::{Subnet, World};

/// The state after block `block`: `world` itself when no subnet has an epoch there.
pub fn advance(world: &Arc<World>, block: u64) -> Arc<World> {
    let due: Vec<u16> =
        world.subnets.values().filter(|s| s.is_epoch_block(block)).map(|s| s.netuid).collect();
    if due.is_empty() {
        return world.clone();
    }
    let mut next = world.successor();
    for netuid in due {
        if let Some(subnet) = next.subnets.get_mut(&netuid) {
            run_epoch(Arc::make_mut(subnet), block);
        }
    }
    Arc::new(next)
}

fn run_epoch(subnet: &mut Subnet, block: u64) {
    for neuron in &mut subnet.neurons {
        neuron.alpha_stake = neuron.alpha_stake.saturating_add(neuron.emission);
        if neuron.validator_permit {
            neuron.last_update = block;
        }
    }
}
