//! Reads that are not about one subnet's neurons: a decoded extrinsic, alpha prices, the last
//! stored drand round and the subnet's hotkey → EVM address associations, with the shapes the
//! Python Pylon serves (prices are integer rao, price map keys are netuid strings).

use std::collections::BTreeMap;

use scale_decode::DecodeAsType;
use subxt::dynamic;

use super::client::At;
use super::error::ChainError;
use super::extrinsic;
use super::reads::{block_of, call, client_err, decode_err, ensure_subnet, has_method};
use super::scale_json::Py;
use super::types::Block;

/// A price: integer rao of TAO per alpha.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Price {
    /// Rao of TAO per alpha.
    pub value: u64,
}

/// Every subnet's alpha price at a block.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SubnetPrices {
    /// The block.
    pub block: Block,
    /// netuid (as a string) → price.
    pub prices: BTreeMap<String, Price>,
}

/// One subnet's alpha price at a block.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SubnetPrice {
    /// The block.
    pub block: Block,
    /// The subnet.
    pub netuid: u16,
    /// Its price.
    pub price: Price,
}

/// The last drand round the chain stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DrandRound {
    /// `Drand.LastStoredRound`.
    pub last_stored_round: u64,
}

/// A hotkey's associated EVM address.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EvmAssociation {
    /// The hotkey (SS58).
    pub hotkey: String,
    /// `0x` + 40 lowercase hex.
    pub evm_address: String,
    /// The block at which the association was last proven.
    pub last_block_where_ownership_was_proven: u64,
}

/// A subnet's EVM associations by hotkey.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SubnetEvmAssociations {
    /// The block.
    pub block: Block,
    /// hotkey → association.
    pub evm_associations: BTreeMap<String, EvmAssociation>,
}

/// Extrinsic `index` of the block `at` is anchored at, as the Python service renders it.
pub async fn extrinsic(at: At, index: u32) -> Result<Py, ChainError> {
    // subxt finds each extrinsic's bytes (length-prefixed); our renderer decodes them.
    let number = at.block_number();
    let body = at.extrinsics().fetch().await.map_err(client_err)?;
    let what = format!("extrinsic {number}-{index}");
    let found = body.iter().nth(index as usize);
    let found = found.ok_or_else(|| ChainError::NotFound(what.clone()))?;
    let found = found.map_err(|e| decode_err(&what, e))?;
    let bytes = found.bytes();
    extrinsic::decode(at.metadata_ref(), bytes, number, index).map_err(|e| decode_err(&what, e))
}

/// Fails with `ApiMissing` when the runtime at `at` has no `api.method`.
fn require(at: &At, api: &str, method: &str) -> Result<(), ChainError> {
    if has_method(at, api, method) {
        Ok(())
    } else {
        Err(ChainError::ApiMissing { api: format!("{api}.{method}"), block: at.block_number() })
    }
}

#[derive(DecodeAsType)]
#[decode_as_type(crate_path = "scale_decode")]
struct PriceRaw {
    netuid: u16,
    price: u64,
}

/// Every subnet's alpha price (`SwapRuntimeApi.current_alpha_price_all`).
pub async fn prices(at: At) -> Result<SubnetPrices, ChainError> {
    require(&at, "SwapRuntimeApi", "current_alpha_price_all")?;
    let all: Vec<PriceRaw> = call(&at, "SwapRuntimeApi", "current_alpha_price_all", ()).await?;
    let prices =
        all.into_iter().map(|p| (p.netuid.to_string(), Price { value: p.price })).collect();
    Ok(SubnetPrices { block: block_of(&at), prices })
}

/// One subnet's alpha price (`SwapRuntimeApi.current_alpha_price`).
pub async fn price(at: At, netuid: u16) -> Result<SubnetPrice, ChainError> {
    require(&at, "SwapRuntimeApi", "current_alpha_price")?;
    ensure_subnet(&at, netuid).await?;
    let value: u64 = call(&at, "SwapRuntimeApi", "current_alpha_price", (netuid,)).await?;
    Ok(SubnetPrice { block: block_of(&at), netuid, price: Price { value } })
}

/// `Drand.LastStoredRound`.
pub async fn drand_round(at: At) -> Result<DrandRound, ChainError> {
    let addr = dynamic::storage::<(), u64>("Drand", "LastStoredRound");
    let round = match at.storage().try_fetch(addr, ()).await.map_err(client_err)? {
        Some(v) => v.decode().map_err(|e| decode_err("Drand.LastStoredRound", e))?,
        None => 0,
    };
    Ok(DrandRound { last_stored_round: round })
}

/// The subnet's `SubtensorModule.AssociatedEvmAddress` entries, keyed by the uid's hotkey.
pub async fn evm_associations(at: At, netuid: u16) -> Result<SubnetEvmAssociations, ChainError> {
    ensure_subnet(&at, netuid).await?;
    let addr =
        dynamic::storage::<(u16, u16), ([u8; 20], u64)>("SubtensorModule", "AssociatedEvmAddress");
    let mut entries = at.storage().iter(addr, (netuid,)).await.map_err(client_err)?;
    let mut found = Vec::new();
    while let Some(kv) = entries.next().await {
        let kv = kv.map_err(client_err)?;
        let (_, uid) = kv
            .key()
            .map_err(|e| decode_err("association key", e))?
            .decode()
            .map_err(|e| decode_err("association key", e))?;
        let (address, block) = kv.value().decode().map_err(|e| decode_err("association", e))?;
        found.push((uid, address, block));
    }
    let keys = dynamic::storage::<(u16, u16), [u8; 32]>("SubtensorModule", "Keys");
    let mut evm_associations = BTreeMap::new();
    for (uid, address, block) in found {
        let Some(hotkey) =
            at.storage().try_fetch(keys.clone(), (netuid, uid)).await.map_err(client_err)?
        else {
            continue;
        };
        let hotkey = crate::ss58::encode(&hotkey.decode().map_err(|e| decode_err("Keys", e))?);
        evm_associations.insert(
            hotkey.clone(),
            EvmAssociation {
                hotkey,
                evm_address: format!("0x{}", hex::encode(address)),
                last_block_where_ownership_was_proven: block,
            },
        );
    }
    Ok(SubnetEvmAssociations { block: block_of(&at), evm_associations })
}
