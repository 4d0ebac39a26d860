//! A subnet's epochs as the chain schedules them, which bound a gateway weights job and aim a
//! commit-reveal commit.
//!
//! Runtimes since subtensor's dynamic tempo (mid-2026) keep a stateful schedule: an epoch runs
//! `tempo` blocks after `LastEpochBlock`, or at `PendingEpochAt` when an epoch is pending. Older
//! runtimes (spec 393) run one when `(block + netuid + 1) % (tempo + 1) == 0`. [`Schedule`] holds
//! whichever the node reported at one block.

/// The blocks `[start, end]` of one epoch: `end` is the first block of the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Epoch {
    /// First block.
    pub start: u64,
    /// First block of the next epoch: a job started in this epoch expires after it.
    pub end: u64,
}

impl Epoch {
    /// Whether `block` lies in `[start, end]`.
    pub fn contains(&self, block: u64) -> bool {
        (self.start..=self.end).contains(&block)
    }
}

/// How the chain schedules a subnet's epochs, as read at one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The stateful scheduler: `LastEpochBlock`, `PendingEpochAt` (0 for none) and `Tempo`.
    Stateful {
        /// `LastEpochBlock`.
        last_epoch_block: u64,
        /// `PendingEpochAt`.
        pending_epoch_at: u64,
        /// `Tempo`.
        tempo: u64,
    },
    /// The modulo rule of older runtimes.
    Modulo {
        /// The subnet.
        netuid: u16,
        /// `Tempo`.
        tempo: u64,
    },
}

impl Schedule {
    /// Blocks between two epochs.
    pub fn period(&self) -> u64 {
        match *self {
            Schedule::Stateful { tempo, .. } => tempo.max(1),
            Schedule::Modulo { tempo, .. } => tempo.max(1) + 1,
        }
    }

    /// The epoch that contains `block` (the block the schedule was read at, or a later one
    /// before the next epoch starts).
    pub fn epoch_at(&self, block: u64) -> Epoch {
        match *self {
            Schedule::Stateful { last_epoch_block, pending_epoch_at, tempo } => {
                let mut next = last_epoch_block + tempo.max(1);
                if pending_epoch_at > 0 {
                    next = next.min(pending_epoch_at);
                }
                let mut epoch =
                    Epoch { start: last_epoch_block, end: next.max(last_epoch_block + 1) };
                // A block past the known schedule: the epochs that follow are `tempo` apart.
                while block >= epoch.end {
                    epoch = Epoch { start: epoch.end, end: epoch.end + self.period() };
                }
                epoch
            }
            Schedule::Modulo { netuid, tempo } => {
                let tempo = tempo.max(1);
                let interval = tempo + 1;
                let next = block + tempo - (block + u64::from(netuid) + 1) % interval;
                if next == block {
                    Epoch { start: block, end: block + interval }
                } else {
                    Epoch { start: next.saturating_sub(interval), end: next }
                }
            }
        }
    }

    /// The first block of the next epoch after `block`.
    pub fn next_start(&self, block: u64) -> u64 {
        let epoch = self.epoch_at(block);
        if epoch.end > block { epoch.end } else { epoch.end + self.period() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulo_epochs_follow_the_netuid_offset() {
        // tempo 10, netuid 1: epochs run when (b + 2) % 11 == 10, i.e. at 8, 19, 30 …
        let s = Schedule::Modulo { netuid: 1, tempo: 10 };
        assert_eq!(s.epoch_at(12), Epoch { start: 8, end: 19 });
        assert_eq!(s.epoch_at(19), Epoch { start: 19, end: 30 });
        assert_eq!(s.epoch_at(20), Epoch { start: 19, end: 30 });
        assert_eq!(s.epoch_at(0), Epoch { start: 0, end: 8 });
        let e = Schedule::Modulo { netuid: 3, tempo: 360 }.epoch_at(1000);
        assert!(e.contains(1000) && e.end - e.start == 361);
    }

    #[test]
    fn stateful_epochs_run_tempo_blocks_after_the_last_or_when_pending() {
        let s = Schedule::Stateful { last_epoch_block: 100, pending_epoch_at: 0, tempo: 10 };
        assert_eq!(s.epoch_at(100), Epoch { start: 100, end: 110 });
        assert_eq!(s.epoch_at(109), Epoch { start: 100, end: 110 });
        assert_eq!(s.epoch_at(110), Epoch { start: 110, end: 120 }, "past the read: tempo apart");
        assert_eq!(s.next_start(105), 110);
        let pending =
            Schedule::Stateful { last_epoch_block: 100, pending_epoch_at: 104, tempo: 10 };
        assert_eq!(pending.epoch_at(101), Epoch { start: 100, end: 104 });
    }
}
