//! The node requests the client makes itself rather than through subxt's block client: the
//! finalized head, a block's hash, the runtime version and metadata at a block, so that a
//! client anchored at a block costs only the requests its [`SpecBook`](super::runtime::SpecBook)
//! cannot answer, issued concurrently where they do not depend on each other.

use parity_scale_codec::Decode;
use subxt::rpcs::rpc_params;
use subxt::utils::H256;

use super::client::At;
use super::error::ChainError;
use super::node::Node;

/// A 32-byte hash from `0x`-prefixed hex.
pub fn parse_hash(text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text.trim_start_matches("0x")).map_err(|e| e.to_string())?;
    bytes.try_into().map_err(|b: Vec<u8>| format!("{} bytes, not 32", b.len()))
}

/// The block number of a `chain_getHeader` answer (hex text).
pub fn header_number(header: &serde_json::Value) -> Result<u64, ChainError> {
    header["number"]
        .as_str()
        .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
        .ok_or_else(|| ChainError::Decode {
            what: "chain_getHeader".into(),
            reason: format!("no block number in {header}"),
        })
}

fn hex_of(hash: [u8; 32]) -> String {
    format!("0x{}", hex::encode(hash))
}

/// The leading fields of `Core_version`'s `RuntimeVersion` (later fields are ignored).
/// How long the finalized head reported at connect time stands for "latest".
const FRESH_HEAD: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Decode)]
struct RuntimeVersion {
    _spec_name: String,
    _impl_name: String,
    _authoring_version: u32,
    spec_version: u32,
    _impl_version: u32,
    _apis: Vec<([u8; 8], u32)>,
    transaction_version: u32,
}

impl Node {
    /// `state_call` of `method` with SCALE `args` at block `hash`: the answer's bytes.
    async fn state_call(
        &self,
        method: &str,
        args: &[u8],
        hash: [u8; 32],
    ) -> Result<Vec<u8>, ChainError> {
        let params = rpc_params![method, format!("0x{}", hex::encode(args)), hex_of(hash)];
        let text: String = self.request("state_call", params).await?;
        hex::decode(text.trim_start_matches("0x"))
            .map_err(|e| ChainError::Decode { what: method.to_string(), reason: e.to_string() })
    }

    /// The hash of the finalized head.
    async fn finalized_hash(&self) -> Result<[u8; 32], ChainError> {
        let hash: String = self.request("chain_getFinalizedHead", rpc_params![]).await?;
        parse_hash(&hash)
            .map_err(|reason| ChainError::Decode { what: "chain_getFinalizedHead".into(), reason })
    }

    /// The finalized head: its hash and number.
    pub async fn finalized_head(&self) -> Result<([u8; 32], u64), ChainError> {
        let hash = self.finalized_hash().await?;
        Ok((hash, self.number_of_known(hash).await?))
    }

    /// The number of block `hash`, which the node must know.
    pub async fn number_of_known(&self, hash: [u8; 32]) -> Result<u64, ChainError> {
        let header: Option<serde_json::Value> =
            self.request("chain_getHeader", rpc_params![hex_of(hash)]).await?;
        let header = header.ok_or_else(|| ChainError::StateUnavailable {
            block: hex_of(hash),
            url: self.url().to_string(),
            reason: "Header was not found".into(),
        })?;
        header_number(&header)
    }

    /// The hash of block `number` on the node's canonical chain, if it knows the block.
    pub async fn hash_of(&self, number: u64) -> Result<Option<[u8; 32]>, ChainError> {
        let hash: Option<String> = self.request("chain_getBlockHash", rpc_params![number]).await?;
        hash.map(|h| parse_hash(&h))
            .transpose()
            .map_err(|reason| ChainError::Decode { what: "chain_getBlockHash".into(), reason })
    }

    /// The spec and transaction version at block `hash` (`Core_version`).
    pub async fn runtime_version(&self, hash: [u8; 32]) -> Result<(u32, u32), ChainError> {
        let bytes = self.state_call("Core_version", &[], hash).await?;
        let v = RuntimeVersion::decode(&mut &bytes[..]).map_err(|e| ChainError::Decode {
            what: "Core_version".into(),
            reason: e.to_string(),
        })?;
        Ok((v.spec_version, v.transaction_version))
    }

    /// The runtime metadata at block `hash` (SCALE `RuntimeMetadataPrefixed`), in the newest
    /// stable version the runtime offers, as subxt would fetch it.
    async fn metadata_bytes(&self, hash: [u8; 32]) -> Result<Vec<u8>, ChainError> {
        let decode = |what: &str, e: parity_scale_codec::Error| ChainError::Decode {
            what: what.to_string(),
            reason: e.to_string(),
        };
        let versions = self.state_call("Metadata_metadata_versions", &[], hash).await.ok();
        let newest = versions
            .and_then(|b| Vec::<u32>::decode(&mut &b[..]).ok())
            .and_then(|v| v.into_iter().filter(|v| *v != u32::MAX).max());
        match newest {
            Some(version) => {
                let args = parity_scale_codec::Encode::encode(&version);
                let bytes = self.state_call("Metadata_metadata_at_version", &args, hash).await?;
                Option::<Vec<u8>>::decode(&mut &bytes[..])
                    .map_err(|e| decode("Metadata_metadata_at_version", e))?
                    .ok_or_else(|| ChainError::Decode {
                        what: "Metadata_metadata_at_version".into(),
                        reason: format!("the runtime lists version {version} but has none"),
                    })
            }
            None => {
                let bytes = self.state_call("Metadata_metadata", &[], hash).await?;
                Vec::<u8>::decode(&mut &bytes[..]).map_err(|e| decode("Metadata_metadata", e))
            }
        }
    }

    /// Makes sure the spec of block `number` (`hash`) and its metadata are known, asking the
    /// node only for what the book lacks; `version` is a runtime version already asked.
    async fn know_runtime(
        &self,
        genesis: [u8; 32],
        hash: [u8; 32],
        number: u64,
        version: Option<(u32, u32)>,
    ) -> Result<(), ChainError> {
        let book = self.book();
        let spec = match (book.spec_at(genesis, number), version) {
            (Some((spec, _)), _) => spec,
            (None, known) => {
                let (spec, tx) = match known {
                    Some(version) => version,
                    None => self.runtime_version(hash).await?,
                };
                book.learn(genesis, number, spec, tx);
                book.note_newest(genesis, spec, tx);
                spec
            }
        };
        if book.metadata(genesis, spec).is_none() {
            let bytes = self.metadata_bytes(hash).await?;
            if book.store_metadata(genesis, spec, &bytes).is_none() {
                return Err(ChainError::Decode {
                    what: "runtime metadata".into(),
                    reason: format!("the metadata of spec {spec} does not decode"),
                });
            }
        }
        Ok(())
    }

    /// A client at block `number` whose hash is `hash`.
    pub async fn at(&self, hash: [u8; 32], number: u64) -> Result<At, ChainError> {
        self.at_with(hash, number, None).await
    }

    /// A client at block `number` (`hash`) whose runtime version, if given, was just asked.
    pub async fn at_with(
        &self,
        hash: [u8; 32],
        number: u64,
        version: Option<(u32, u32)>,
    ) -> Result<At, ChainError> {
        self.run(async {
            let api = self.api().await?;
            self.know_runtime(api.genesis_hash().0, hash, number, version).await?;
            api.at_block_hash_and_number(H256(hash), number)
                .await
                .map_err(|e| ChainError::from_client(self.url(), &e))
        })
        .await
    }

    /// A client at the node's finalized head: its hash, then its header and (unless the book
    /// knows the chain already) the runtime version at it, together.
    pub async fn at_latest(&self) -> Result<At, ChainError> {
        let (hash, number) = self.latest_head().await?;
        let genesis = self.api().await?.genesis_hash().0;
        let version = match self.book().spec_at(genesis, number) {
            Some(_) => None,
            None => Some(self.runtime_version(hash).await?),
        };
        self.at_with(hash, number, version).await
    }

    /// A client to sign a transaction at: the finalized head, unless the best block already runs
    /// another runtime version (an upgrade not final yet). The pool checks signatures against
    /// the best block's runtime, and a signed payload names the spec and transaction versions,
    /// so then the transaction is signed at the best block.
    pub async fn at_for_signing(&self) -> Result<At, ChainError> {
        let best_version =
            self.request::<serde_json::Value>("state_getRuntimeVersion", rpc_params![]);
        let (at, best_version) = tokio::join!(self.at_latest(), best_version);
        let at = at?;
        let best_version = best_version?;
        let version = |key: &str| best_version[key].as_u64();
        let signing = (u64::from(at.spec_version()), u64::from(at.transaction_version()));
        if (version("specVersion"), version("transactionVersion"))
            == (Some(signing.0), Some(signing.1))
        {
            return Ok(at);
        }
        let hash: String = self.request("chain_getBlockHash", rpc_params![]).await?;
        let header: serde_json::Value =
            self.request("chain_getHeader", rpc_params![hash.clone()]).await?;
        let hash = parse_hash(&hash)
            .map_err(|reason| ChainError::Decode { what: "chain_getBlockHash".into(), reason })?;
        tracing::info!(
            spec = ?version("specVersion"),
            finalized_spec = signing.0,
            "the best block runs a newer runtime than the finalized head: signing at the best block"
        );
        self.at_with(hash, header_number(&header)?, None).await
    }

    /// The finalized head: for the first read after connecting, the one the node reported
    /// then (within [`FRESH_HEAD`]); else asked now.
    pub async fn latest_head(&self) -> Result<([u8; 32], u64), ChainError> {
        self.connection().await?;
        match self.take_fresh_head() {
            Some(head) if head.at.elapsed() < FRESH_HEAD => Ok((head.hash, head.number)),
            _ => self.finalized_head().await,
        }
    }

    /// A client at block `number`, asking the node for its hash; a block the node does not
    /// know is [`ChainError::StateUnavailable`] (the archive may know it).
    pub async fn at_number(&self, number: u64) -> Result<At, ChainError> {
        let hash = self.hash_of(number).await?.ok_or_else(|| ChainError::StateUnavailable {
            block: number.to_string(),
            url: self.url().to_string(),
            reason: format!("the node does not know block {number}"),
        })?;
        self.at(hash, number).await
    }
}
