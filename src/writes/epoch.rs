//! Subtensor's epoch boundaries (`blocks_until_next_epoch`: a subnet's epoch runs every
//! `tempo + 1` blocks, offset by its netuid), which bound a gateway weights job.

/// The blocks `[start, end]` of the epoch that contains a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Epoch {
    /// First block.
    pub start: u64,
    /// Last block: a job started in this epoch expires after it.
    pub end: u64,
}

impl Epoch {
    /// The epoch containing `block` on subnet `netuid` with `tempo`.
    pub fn containing(block: u64, netuid: u16, tempo: u64) -> Self {
        let interval = tempo + 1;
        let next = block + tempo - (block + u64::from(netuid) + 1) % interval;
        if next == block {
            Self { start: block, end: block + interval }
        } else {
            Self { start: next.saturating_sub(interval), end: next }
        }
    }

    /// Whether `block` lies in `[start, end]`.
    pub fn contains(&self, block: u64) -> bool {
        (self.start..=self.end).contains(&block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_follow_the_netuid_offset() {
        // tempo 10, netuid 1: epochs run when (b + 2) % 11 == 10, i.e. at 8, 19, 30 …
        assert_eq!(Epoch::containing(12, 1, 10), Epoch { start: 8, end: 19 });
        assert_eq!(Epoch::containing(19, 1, 10), Epoch { start: 19, end: 30 });
        assert_eq!(Epoch::containing(20, 1, 10), Epoch { start: 19, end: 30 });
        assert_eq!(Epoch::containing(0, 1, 10), Epoch { start: 0, end: 8 });
        let e = Epoch::containing(1000, 3, 360);
        assert!(e.contains(1000) && e.end - e.start == 361);
    }
}
