//! The devnet's EVM logs: a deterministic function of each block, so EVM log queries (Pylon's
//! `POST …/evm/contracts/{address}/logs`, web3, ethers) can be tested offline. One transaction
//! per block emits the logs of two contracts, ABI-encoded as Solidity emits them:
//!
//! - [`token`] (`DevnetToken`):
//!   - `Transfer(address indexed from, address indexed to, uint256 value)` in odd blocks (value
//!     `n × 10¹⁸`, or `2²⁵⁵ + n` in blocks ending in 9);
//!   - `Memo(uint16 indexed netuid, string text, bytes data, bool flag, int64 delta,
//!     uint32[] counts, bytes32 tag)` in blocks divisible by 5;
//!   - `Tagged(string indexed label, address who)` in blocks divisible by 7;
//!   - `Unlisted(uint256 n)` in blocks divisible by 4 (not in [`TOKEN_ABI`]: readers drop it).
//! - [`other`]: `Transfer` in blocks divisible by 3.

use sp_crypto_hashing::keccak_256;

/// `DevnetToken`'s address: `keccak256("pylon devnet token")[12..]`.
pub fn token() -> [u8; 20] {
    address_of(b"pylon devnet token")
}

/// The other contract's address: `keccak256("pylon devnet other")[12..]`.
pub fn other() -> [u8; 20] {
    address_of(b"pylon devnet other")
}
/// The EVM chain id (subtensor's localnet's).
pub const CHAIN_ID: u64 = 42;

/// [`token`]'s event ABI, as a client passes it.
pub const TOKEN_ABI: &str = r#"[
  {"type":"event","name":"Transfer","anonymous":false,"inputs":[
    {"name":"from","type":"address","indexed":true},
    {"name":"to","type":"address","indexed":true},
    {"name":"value","type":"uint256","indexed":false}]},
  {"type":"event","name":"Memo","anonymous":false,"inputs":[
    {"name":"netuid","type":"uint16","indexed":true},
    {"name":"text","type":"string","indexed":false},
    {"name":"data","type":"bytes","indexed":false},
    {"name":"flag","type":"bool","indexed":false},
    {"name":"delta","type":"int64","indexed":false},
    {"name":"counts","type":"uint32[]","indexed":false},
    {"name":"tag","type":"bytes32","indexed":false}]},
  {"type":"event","name":"Tagged","anonymous":false,"inputs":[
    {"name":"label","type":"string","indexed":true},
    {"name":"who","type":"address","indexed":false}]}
]"#;

fn address_of(seed: &[u8]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(&keccak_256(seed)[12..]);
    out
}

/// One log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// The contract.
    pub address: [u8; 20],
    /// Topic 0 (the event's signature hash) and the indexed arguments.
    pub topics: Vec<[u8; 32]>,
    /// The ABI-encoded other arguments.
    pub data: Vec<u8>,
    /// Its index in the block.
    pub log_index: u64,
}

fn word_u64(n: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&n.to_be_bytes());
    w
}

fn word_address(a: &[u8; 20]) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a);
    w
}

fn word_i64(n: i64) -> [u8; 32] {
    let fill = if n < 0 { 0xff } else { 0 };
    let mut w = [fill; 32];
    w[24..].copy_from_slice(&n.to_be_bytes());
    w
}

/// Dynamic `bytes`/`string` contents: length word, then the bytes padded to words.
fn dynamic(bytes: &[u8]) -> Vec<u8> {
    let mut out = word_u64(bytes.len() as u64).to_vec();
    out.extend_from_slice(bytes);
    out.resize(32 + bytes.len().div_ceil(32) * 32, 0);
    out
}

fn holder(k: u64) -> [u8; 20] {
    let digest = keccak_256(format!("devnet holder {k}").as_bytes());
    let mut a = [0u8; 20];
    a.copy_from_slice(&digest[12..]);
    a
}

fn transfer(address: [u8; 20], n: u64) -> (Vec<[u8; 32]>, Vec<u8>, [u8; 20]) {
    let topic = keccak_256(b"Transfer(address,address,uint256)");
    let value = if n % 10 == 9 {
        let mut w = word_u64(n);
        w[0] = 0x80;
        w
    } else {
        let v = u128::from(n) * 1_000_000_000_000_000_000;
        let mut w = [0u8; 32];
        w[16..].copy_from_slice(&v.to_be_bytes());
        w
    };
    let topics = vec![topic, word_address(&holder(n % 7)), word_address(&holder((n + 3) % 7))];
    (topics, value.to_vec(), address)
}

fn memo(n: u64) -> (Vec<[u8; 32]>, Vec<u8>, [u8; 20]) {
    let topic = keccak_256(b"Memo(uint16,string,bytes,bool,int64,uint32[],bytes32)");
    let text = dynamic(format!("memo at block {n}").as_bytes());
    let data = dynamic(&(n as u16).to_le_bytes());
    let counts: Vec<u64> = vec![n % 3, n % 5, n % 7];
    let mut counts_enc = word_u64(counts.len() as u64).to_vec();
    for c in &counts {
        counts_enc.extend_from_slice(&word_u64(*c));
    }
    // Head: text offset, data offset, flag, delta, counts offset, tag (6 words).
    let head_len = 6 * 32;
    let text_at = head_len;
    let data_at = text_at + text.len();
    let counts_at = data_at + data.len();
    let mut out = Vec::new();
    out.extend_from_slice(&word_u64(text_at as u64));
    out.extend_from_slice(&word_u64(data_at as u64));
    out.extend_from_slice(&word_u64(u64::from(n.is_multiple_of(2))));
    out.extend_from_slice(&word_i64(-(n as i64)));
    out.extend_from_slice(&word_u64(counts_at as u64));
    out.extend_from_slice(&keccak_256(format!("tag {n}").as_bytes()));
    out.extend(text);
    out.extend(data);
    out.extend(counts_enc);
    (vec![topic, word_u64(n % 4)], out, token())
}

fn tagged(n: u64) -> (Vec<[u8; 32]>, Vec<u8>, [u8; 20]) {
    let topic = keccak_256(b"Tagged(string,address)");
    let label = keccak_256(format!("label-{}", n % 3).as_bytes());
    (vec![topic, label], word_address(&holder(n % 5)).to_vec(), token())
}

fn unlisted(n: u64) -> (Vec<[u8; 32]>, Vec<u8>, [u8; 20]) {
    (vec![keccak_256(b"Unlisted(uint256)")], word_u64(n).to_vec(), token())
}

/// The logs of block `n` (none at genesis), in emission order.
pub fn logs(n: u64) -> Vec<Log> {
    if n == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    if !n.is_multiple_of(2) {
        out.push(transfer(token(), n));
    }
    if n.is_multiple_of(5) {
        out.push(memo(n));
    }
    if n.is_multiple_of(7) {
        out.push(tagged(n));
    }
    if n.is_multiple_of(4) {
        out.push(unlisted(n));
    }
    if n.is_multiple_of(3) {
        out.push(transfer(other(), n));
    }
    out.into_iter()
        .enumerate()
        .map(|(i, (topics, data, address))| Log { address, topics, data, log_index: i as u64 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_emit_their_documented_events() {
        assert!(logs(0).is_empty());
        // 35: odd (Transfer), ÷5 (Memo), ÷7 (Tagged); not ÷4 or ÷3.
        let names: Vec<[u8; 32]> = logs(35).iter().map(|l| l.topics[0]).collect();
        assert_eq!(
            names,
            [
                keccak_256(b"Transfer(address,address,uint256)"),
                keccak_256(b"Memo(uint16,string,bytes,bool,int64,uint32[],bytes32)"),
                keccak_256(b"Tagged(string,address)"),
            ]
        );
        assert_eq!(logs(12).iter().map(|l| l.address).collect::<Vec<_>>(), [token(), other()]);
        assert_eq!(logs(35)[1].data.len() % 32, 0, "ABI data is whole words");
        assert_ne!(token(), other());
    }
}
