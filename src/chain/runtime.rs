//! What the client knows of the chain's runtimes: the spec version of block ranges (learned from
//! `Core_version` answers and the followed heads, so a read at a known block asks the node for
//! no runtime version), metadata per spec version, and an optional on-disk metadata cache keyed
//! by genesis hash and spec version (the CLI's, so a run downloads no metadata it already has).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use subxt::config::substrate::{DynamicHasher256, SubstrateHeader};
use subxt::config::{Config, HashFor, SubstrateExtrinsicParams};
use subxt::metadata::{ArcMetadata, Metadata};
use subxt::utils::{AccountId32, H256, MultiAddress, MultiSignature};

/// A genesis hash: everything here is kept per chain.
type Genesis = [u8; 32];

/// Blocks `first..=last` run spec `spec` with transaction version `tx`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    first: u64,
    last: u64,
    spec: u32,
    tx: u32,
}

/// Spec versions by block and metadata by spec version, per chain; shared by every connection
/// of a [`super::ChainClient`] (a reconnect learns nothing twice).
#[derive(Debug, Default)]
pub struct SpecBook {
    spans: RwLock<HashMap<Genesis, Vec<Span>>>,
    metadata: RwLock<HashMap<(Genesis, u32), ArcMetadata>>,
    disk: Option<PathBuf>,
}

impl SpecBook {
    /// A book that also keeps metadata as files in `dir` (`<genesis>-<spec>.scale`).
    pub fn with_disk_cache(dir: PathBuf) -> Self {
        Self { disk: Some(dir), ..Self::default() }
    }

    /// The spec and transaction version of block `number`, when known: a block between two
    /// blocks of the same spec has that spec (a runtime upgrade only raises it).
    pub fn spec_at(&self, genesis: Genesis, number: u64) -> Option<(u32, u32)> {
        let spans = self.spans.read().unwrap_or_else(|e| e.into_inner());
        let spans = spans.get(&genesis)?;
        let i = spans.partition_point(|s| s.last < number);
        spans.get(i).filter(|s| s.first <= number).map(|s| (s.spec, s.tx))
    }

    /// Whether any block of the chain with `genesis` has a known spec.
    pub fn knows_chain(&self, genesis: Genesis) -> bool {
        let spans = self.spans.read().unwrap_or_else(|e| e.into_inner());
        spans.get(&genesis).is_some_and(|s| !s.is_empty())
    }

    /// Records that block `number` runs `(spec, tx)`, joining it with known blocks of the same
    /// spec on either side.
    pub fn learn(&self, genesis: Genesis, number: u64, spec: u32, tx: u32) {
        let mut all = self.spans.write().unwrap_or_else(|e| e.into_inner());
        let spans = all.entry(genesis).or_default();
        let i = spans.partition_point(|s| s.last < number);
        if spans.get(i).is_some_and(|s| s.first <= number) {
            return;
        }
        let same = |s: &Span| s.spec == spec && s.tx == tx;
        let joins_before = i > 0 && same(&spans[i - 1]);
        let joins_after = spans.get(i).is_some_and(same);
        match (joins_before, joins_after) {
            (true, true) => {
                spans[i - 1].last = spans[i].last;
                spans.remove(i);
            }
            (true, false) => spans[i - 1].last = number,
            (false, true) => spans[i].first = number,
            (false, false) => spans.insert(i, Span { first: number, last: number, spec, tx }),
        }
    }

    /// Block `number` follows block `number - 1` without a runtime upgrade: it runs the same
    /// spec, when that is known.
    pub fn continues(&self, genesis: Genesis, number: u64) {
        if let Some((spec, tx)) = number.checked_sub(1).and_then(|p| self.spec_at(genesis, p)) {
            self.learn(genesis, number, spec, tx);
        }
    }

    /// The metadata of `spec`, from memory or the disk cache.
    pub fn metadata(&self, genesis: Genesis, spec: u32) -> Option<ArcMetadata> {
        let known = self.metadata.read().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = known.get(&(genesis, spec)) {
            return Some(m.clone());
        }
        drop(known);
        let bytes = std::fs::read(self.file(genesis, spec)?).ok()?;
        match Metadata::decode_from(&bytes) {
            Ok(m) => {
                let m = m.arc();
                self.keep_metadata(genesis, spec, m.clone());
                Some(m)
            }
            Err(e) => {
                tracing::warn!(spec, error = %e, "a cached metadata file does not decode; fetching it again");
                None
            }
        }
    }

    /// Forgets every spec learned for the chain (a guess proved wrong).
    pub fn forget_chain(&self, genesis: Genesis) {
        self.spans.write().unwrap_or_else(|e| e.into_inner()).remove(&genesis);
    }

    /// The runtime version the chain ran when last asked, from the disk cache: a guess for a
    /// new run, to be checked.
    pub fn guess(&self, genesis: Genesis) -> Option<(u32, u32)> {
        let text = std::fs::read_to_string(self.latest_file(genesis)?).ok()?;
        let (spec, tx) = text.trim().split_once(' ')?;
        Some((spec.parse().ok()?, tx.parse().ok()?))
    }

    /// Keeps `(spec, tx)` on disk as the chain's newest known runtime version.
    pub fn note_newest(&self, genesis: Genesis, spec: u32, tx: u32) {
        if self.guess(genesis) == Some((spec, tx)) {
            return;
        }
        if let Some(path) = self.latest_file(genesis) {
            write_aside(&path, format!("{spec} {tx}\n").as_bytes());
        }
    }

    /// Keeps `bytes` (SCALE `RuntimeMetadataPrefixed`) as the metadata of `spec`, on disk too.
    pub fn store_metadata(&self, genesis: Genesis, spec: u32, bytes: &[u8]) -> Option<ArcMetadata> {
        let metadata = Metadata::decode_from(bytes).ok()?.arc();
        self.keep_metadata(genesis, spec, metadata.clone());
        if let Some(path) = self.file(genesis, spec) {
            write_aside(&path, bytes);
        }
        Some(metadata)
    }

    fn keep_metadata(&self, genesis: Genesis, spec: u32, metadata: ArcMetadata) {
        let mut known = self.metadata.write().unwrap_or_else(|e| e.into_inner());
        known.insert((genesis, spec), metadata);
    }

    fn file(&self, genesis: Genesis, spec: u32) -> Option<PathBuf> {
        let dir = self.disk.as_ref()?;
        Some(dir.join(format!("{}-{spec}.scale", hex::encode(genesis))))
    }

    fn latest_file(&self, genesis: Genesis) -> Option<PathBuf> {
        Some(self.disk.as_ref()?.join(format!("{}.latest", hex::encode(genesis))))
    }
}

/// Writes `bytes` to `path` through a file aside and a rename, so a concurrent run never reads
/// half a file; a failure (a read-only or missing cache) is only logged.
fn write_aside(path: &std::path::Path, bytes: &[u8]) {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        tracing::debug!(path = %path.display(), error = %e, "not cached on disk");
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The default on-disk metadata cache: `$XDG_CACHE_HOME/pylon/metadata`, else
/// `~/.cache/pylon/metadata`; `None` when neither variable is set.
pub fn default_metadata_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("pylon").join("metadata"))
}

/// subxt's configuration for subtensor: Substrate's types, with spec versions and metadata
/// answered from a [`SpecBook`] of one chain.
#[derive(Clone, Debug)]
pub struct PylonConfig {
    genesis: Genesis,
    book: Arc<SpecBook>,
}

impl PylonConfig {
    /// The configuration of the chain with `genesis`, answering from `book`.
    pub fn new(genesis: Genesis, book: Arc<SpecBook>) -> Self {
        Self { genesis, book }
    }
}

impl Config for PylonConfig {
    type AccountId = AccountId32;
    type Address = MultiAddress<AccountId32, u32>;
    type Signature = MultiSignature;
    type Hasher = DynamicHasher256;
    type Header = SubstrateHeader<H256>;
    type TransactionExtensions = SubstrateExtrinsicParams<Self>;
    type AssetId = u32;

    fn genesis_hash(&self) -> Option<HashFor<Self>> {
        Some(H256(self.genesis))
    }

    fn spec_and_transaction_version_for_block_number(&self, number: u64) -> Option<(u32, u32)> {
        self.book.spec_at(self.genesis, number)
    }

    fn metadata_for_spec_version(&self, spec: u32) -> Option<ArcMetadata> {
        self.book.metadata(self.genesis, spec)
    }

    fn set_metadata_for_spec_version(&self, spec: u32, metadata: ArcMetadata) {
        self.book.keep_metadata(self.genesis, spec, metadata);
    }
}

#[cfg(test)]
mod tests {
    use super::SpecBook;

    const G: [u8; 32] = [7; 32];

    #[test]
    fn a_block_between_two_of_one_spec_has_that_spec() {
        let book = SpecBook::default();
        book.learn(G, 10, 393, 1);
        book.learn(G, 20, 393, 1);
        assert_eq!(book.spec_at(G, 15), Some((393, 1)));
        assert_eq!(book.spec_at(G, 9), None);
        assert_eq!(book.spec_at(G, 21), None);
        assert_eq!(book.spec_at([8; 32], 15), None, "another chain knows nothing");
    }

    #[test]
    fn an_upgrade_between_two_blocks_leaves_the_blocks_between_unknown() {
        let book = SpecBook::default();
        book.learn(G, 10, 393, 1);
        book.learn(G, 20, 400, 1);
        assert_eq!(book.spec_at(G, 10), Some((393, 1)));
        assert_eq!(book.spec_at(G, 15), None);
        assert_eq!(book.spec_at(G, 20), Some((400, 1)));
        book.learn(G, 14, 393, 1);
        book.learn(G, 16, 400, 1);
        assert_eq!(book.spec_at(G, 12), Some((393, 1)));
        assert_eq!(book.spec_at(G, 15), None);
        assert_eq!(book.spec_at(G, 18), Some((400, 1)));
    }

    #[test]
    fn followed_blocks_continue_a_known_spec_only() {
        let book = SpecBook::default();
        book.continues(G, 5);
        assert_eq!(book.spec_at(G, 5), None, "nothing known before it");
        book.learn(G, 5, 400, 2);
        book.continues(G, 6);
        book.continues(G, 7);
        assert_eq!(book.spec_at(G, 7), Some((400, 2)));
        book.continues(G, 9);
        assert_eq!(book.spec_at(G, 9), None, "block 8 was not seen");
    }
}
