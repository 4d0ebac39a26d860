//! Mirrors of `sp_consensus_slots`: `SlotDuration` (`AuraApi_slot_duration`) and `Slot`
//! (`Aura.CurrentSlot`).

use parity_scale_codec::{Decode, Encode};
use scale_info::TypeInfo;

/// A slot's length in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SlotDuration(pub u64);

/// A slot number: the block's timestamp divided by the slot duration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Slot(pub u64);
