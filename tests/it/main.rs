//! Integration tests: one binary, one module per topic.

mod block_reads;
mod cli;
mod clients;
mod commit;
mod commit_reveal;
mod common;
mod conformance;
mod docs;
mod evm_logs;
mod extrinsic_oracle;
mod gateway_writes;
mod job_restart;
mod python_client;
mod python_pylon_client;
mod reads;
mod rpc;
mod rpc_surface;
mod schemathesis;
mod serve_process;
mod server;
mod server_operations;
mod snapshots;
mod subxt_client;
mod v15;
mod writes;
