//! Mirrors of `pallet_subtensor`: axon and certificate records, the calls Pylon submits, the events
//! they emit, the subtensor transaction extension and the runtime-API result types.

pub mod rpc_info;

pub mod pallet {
    use parity_scale_codec::{Decode, Encode};
    use scale_info::TypeInfo;
    use std::marker::PhantomData;

    pallet_error! {
        /// `SubtensorModule` errors, in finney order (the index is the `ModuleError` byte).
        RootNetworkDoesNotExist, InvalidIpType, InvalidIpAddress, InvalidPort,
        HotKeyNotRegisteredInSubNet, HotKeyAccountNotExists, HotKeyNotRegisteredInNetwork,
        NonAssociatedColdKey, NotEnoughStake, NotEnoughStakeToWithdraw,
        NotEnoughStakeToSetWeights, NotEnoughStakeToSetChildkeys, NotEnoughBalanceToStake,
        BalanceWithdrawalError, ZeroBalanceAfterWithdrawn, NeuronNoValidatorPermit,
        WeightVecNotEqualSize, DuplicateUids, UidVecContainInvalidOne, WeightVecLengthIsLow,
        TooManyRegistrationsThisBlock, HotKeyAlreadyRegisteredInSubNet,
        NewHotKeyIsSameWithOld, InvalidWorkBlock, InvalidDifficulty, InvalidSeal,
        MaxWeightExceeded, HotKeyAlreadyDelegate, SettingWeightsTooFast,
        IncorrectWeightVersionKey, ServingRateLimitExceeded, UidsLengthExceedUidsInSubNet,
        NetworkTxRateLimitExceeded, DelegateTxRateLimitExceeded,
        HotKeySetTxRateLimitExceeded, StakingRateLimitExceeded, SubNetRegistrationDisabled,
        TooManyRegistrationsThisInterval, TransactorAccountShouldBeHotKey, FaucetDisabled,
        NotSubnetOwner, RegistrationNotPermittedOnRootSubnet, StakeTooLowForRoot,
        AllNetworksInImmunity, NotEnoughBalanceToPaySwapHotKey, NotRootSubnet,
        CanNotSetRootNetworkWeights, NoNeuronIdAvailable, DelegateTakeTooLow,
        DelegateTakeTooHigh, NoWeightsCommitFound, InvalidRevealCommitHashNotMatch,
        CommitRevealEnabled, CommitRevealDisabled, LiquidAlphaDisabled, AlphaHighTooLow,
        AlphaLowOutOfRange, ColdKeyAlreadyAssociated, NotEnoughBalanceToPaySwapColdKey,
        InvalidChild, DuplicateChild, ProportionOverflow, TooManyChildren,
        TxRateLimitExceeded, ColdkeySwapAnnouncementNotFound, ColdkeySwapTooEarly,
        ColdkeySwapReannouncedTooEarly, AnnouncedColdkeyHashDoesNotMatch,
        ColdkeySwapAlreadyDisputed, NewColdKeyIsHotkey, InvalidChildkeyTake,
        TxChildkeyTakeRateLimitExceeded, InvalidIdentity, MechanismDoesNotExist,
        CannotUnstakeLock, SubnetNotExists, TooManyUnrevealedCommits, ExpiredWeightCommit,
        RevealTooEarly, InputLengthsUnequal, CommittingWeightsTooFast, AmountTooLow,
        InsufficientLiquidity, SlippageTooHigh, TransferDisallowed, ActivityCutoffTooLow,
        CallDisabled, FirstEmissionBlockNumberAlreadySet, NeedWaitingMoreBlocksToStarCall,
        NotEnoughAlphaOutToRecycle, CannotBurnOrRecycleOnRootSubnet,
        UnableToRecoverPublicKey, InvalidRecoveredPublicKey, SubtokenDisabled,
        HotKeySwapOnSubnetIntervalNotPassed, ZeroMaxStakeAmount, SameNetuid,
        InsufficientBalance, StakingOperationRateLimitExceeded, InvalidLeaseBeneficiary,
        LeaseCannotEndInThePast, LeaseNetuidNotFound, LeaseDoesNotExist, LeaseHasNoEndBlock,
        LeaseHasNotEnded, Overflow, BeneficiaryDoesNotOwnHotkey, ExpectedBeneficiaryOrigin,
        AdminActionProhibitedDuringWeightsWindow, SymbolDoesNotExist, SymbolAlreadyInUse,
        IncorrectCommitRevealVersion, RevealPeriodTooLarge, RevealPeriodTooSmall,
        InvalidValue, SubnetLimitReached, CannotAffordLockCost,
        EvmKeyAssociateRateLimitExceeded, SameAutoStakeHotkeyAlreadySet,
        UidMapCouldNotBeCleared, TrimmingWouldExceedMaxImmunePercentage,
        ChildParentInconsistency, InvalidNumRootClaim, InvalidRootClaimThreshold,
        InvalidSubnetNumber, TooManyUIDsPerMechanism, VotingPowerTrackingNotEnabled,
        InvalidVotingPowerEmaAlpha, PrecisionLoss, Deprecated,
        AddStakeBurnRateLimitExceeded, ColdkeySwapAnnounced, ColdkeySwapDisputed,
        ColdkeySwapClearTooEarly, DisabledTemporarily
    }

    use super::super::bounded_collections::{Bound, bounded_vec::BoundedVec};
    use super::super::primitive_types::H256;
    use super::super::sp_core::crypto::AccountId32;

    /// A neuron's served axon endpoint (`ip == 0` means not served).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct AxonInfo {
        pub block: u64,
        pub version: u32,
        pub ip: u128,
        pub port: u16,
        pub ip_type: u8,
        pub protocol: u8,
        pub placeholder1: u8,
        pub placeholder2: u8,
    }

    /// A neuron's served Prometheus endpoint.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct PrometheusInfo {
        pub block: u64,
        pub version: u32,
        pub ip: u128,
        pub port: u16,
        pub ip_type: u8,
    }

    /// A neuron's TLS certificate public key (`algorithm` 1 = Ed25519).
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct NeuronCertificate {
        pub public_key: BoundedVec<u8, Bound>,
        pub algorithm: u8,
    }

    /// A subnet's self-declared identity.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct SubnetIdentityV3 {
        pub subnet_name: Vec<u8>,
        pub github_repo: Vec<u8>,
        pub subnet_contact: Vec<u8>,
        pub subnet_url: Vec<u8>,
        pub discord: Vec<u8>,
        pub description: Vec<u8>,
        pub logo_url: Vec<u8>,
        pub additional: Vec<u8>,
    }

    /// Which consensus a subnet's epoch runs (`SubnetEpochConsensus`, newer than spec 393).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub enum EpochConsensus {
        #[default]
        #[codec(index = 0)]
        Yuma,
        #[codec(index = 1)]
        Null,
    }

    /// A coldkey's self-declared identity.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
    pub struct ChainIdentityV2 {
        pub name: Vec<u8>,
        pub url: Vec<u8>,
        pub github_repo: Vec<u8>,
        pub image: Vec<u8>,
        pub discord: Vec<u8>,
        pub description: Vec<u8>,
        pub additional: Vec<u8>,
    }

    /// The `SubtensorModule` calls the devnet describes and executes, at their finney indices.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Call<T> {
        #[codec(index = 0)]
        set_weights { netuid: u16, dests: Vec<u16>, weights: Vec<u16>, version_key: u64 },
        #[codec(index = 4)]
        serve_axon {
            netuid: u16,
            version: u32,
            ip: u128,
            port: u16,
            ip_type: u8,
            protocol: u8,
            placeholder1: u8,
            placeholder2: u8,
        },
        #[codec(index = 5)]
        serve_prometheus { netuid: u16, version: u32, ip: u128, port: u16, ip_type: u8 },
        #[codec(index = 40)]
        serve_axon_tls {
            netuid: u16,
            version: u32,
            ip: u128,
            port: u16,
            ip_type: u8,
            protocol: u8,
            placeholder1: u8,
            placeholder2: u8,
            certificate: Vec<u8>,
        },
        #[codec(index = 96)]
        commit_weights { netuid: u16, commit_hash: H256 },
        #[codec(index = 97)]
        reveal_weights {
            netuid: u16,
            uids: Vec<u16>,
            values: Vec<u16>,
            salt: Vec<u16>,
            version_key: u64,
        },
        #[codec(index = 113)]
        commit_timelocked_weights {
            netuid: u16,
            commit: BoundedVec<u8, Bound>,
            reveal_round: u64,
            commit_reveal_version: u16,
        },
        #[codec(index = 115)]
        commit_mechanism_weights { netuid: u16, mecid: u8, commit_hash: H256 },
        #[codec(index = 116)]
        reveal_mechanism_weights {
            netuid: u16,
            mecid: u8,
            uids: Vec<u16>,
            values: Vec<u16>,
            salt: Vec<u16>,
            version_key: u64,
        },
        #[codec(index = 118)]
        commit_timelocked_mechanism_weights {
            netuid: u16,
            mecid: u8,
            commit: BoundedVec<u8, Bound>,
            reveal_round: u64,
            commit_reveal_version: u16,
        },
        #[codec(index = 119)]
        set_mechanism_weights {
            netuid: u16,
            mecid: u8,
            dests: Vec<u16>,
            weights: Vec<u16>,
            version_key: u64,
        },
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }

    /// The `SubtensorModule` events the devnet emits, at their finney indices.
    #[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
    #[scale_info(skip_type_params(T))]
    pub enum Event<T> {
        #[codec(index = 5)]
        WeightsSet(u16, u16),
        #[codec(index = 28)]
        AxonServed(u16, AccountId32),
        #[codec(index = 29)]
        PrometheusServed(u16, AccountId32),
        #[codec(index = 83)]
        WeightsCommitted(AccountId32, u16, H256),
        #[codec(index = 84)]
        WeightsRevealed(AccountId32, u16, H256),
        #[codec(index = 105)]
        TimelockedWeightsCommitted(AccountId32, u16, H256, u64),
        #[codec(index = 106)]
        TimelockedWeightsRevealed(u16, AccountId32),
        #[codec(skip)]
        __Ignore(PhantomData<T>),
    }
}

pub mod extensions {
    pub mod subtensor {
        use scale_info::TypeInfo;
        use std::marker::PhantomData;

        /// Subtensor's pre-dispatch guard extension; no data.
        #[derive(Clone, Debug, Default, PartialEq, Eq, TypeInfo)]
        pub struct SubtensorTransactionExtension<T: 'static>(#[codec(skip)] PhantomData<T>);
    }
}
