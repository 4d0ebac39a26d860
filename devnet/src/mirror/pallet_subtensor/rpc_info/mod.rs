//! Mirrors of `pallet_subtensor::rpc_info`: what the `NeuronInfoRuntimeApi`,
//! `SubnetInfoRuntimeApi` and `DelegateInfoRuntimeApi` runtime APIs return. Field order is SCALE
//! order.

pub mod delegate_info;
pub mod dynamic_info;
pub mod metagraph;
pub mod neuron_info;
pub mod show_subnet;
pub mod subnet_info;
