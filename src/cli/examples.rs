//! The examples block at the end of each subcommand's `--help` (and man page).

pub const DEVNET: &str = "\
Examples:
  pylon devnet                                   # ws://127.0.0.1:9944, 1 s blocks
  pylon devnet --port 0 --block-time 250ms       # a free port (printed), fast blocks
  pylon devnet --wallet-path /tmp/wallets        # also write the validators' hotkeys";

pub const SERVE: &str = "\
Examples:
  pylon serve --devnet                           # try it: an in-process devnet, port 8000
  PYLON_BITTENSOR_NETWORK=finney pylon serve     # settings from PYLON_* or ./.env
  pylon serve --network ws://127.0.0.1:9944      # the chain flags override the variables";

pub const NEURONS: &str = "\
Examples:
  pylon neurons --netuid 1                       # at the finalized head
  pylon neurons --netuid 1 --block 4000000 -o csv > neurons.csv
  pylon neurons --netuid 1 --wide                # every column
  pylon neurons --netuid 1 --columns uid,hotkey,stake,axon";

pub const VALIDATORS: &str = "\
Examples:
  pylon validators --netuid 1
  pylon validators --netuid 1 -o json | jq '.validators[0].hotkey'";

pub const HYPERPARAMS: &str = "\
Examples:
  pylon hyperparams --netuid 1
  pylon hyperparams --netuid 1 -o json | jq .hyperparams.tempo";

pub const BLOCK: &str = "\
Examples:
  pylon block                                    # the finalized head
  pylon block 4000000
  pylon block 0x<64 hex digits>                  # by hash
  pylon block 4000000 --extrinsic 1              # one extrinsic, decoded";

pub const PRICES: &str = "\
Examples:
  pylon prices
  pylon prices --netuid 1 --block latest";

pub const COMMITMENTS: &str = "\
Examples:
  pylon commitments --netuid 1
  pylon commitments --netuid 1 --hotkey 5F...    # one hotkey's
  pylon commitments --netuid 1 --revealed        # revealed timelocked ones, as text";

pub const CERTIFICATES: &str = "\
Examples:
  pylon certificates --netuid 1
  pylon certificates --netuid 1 --hotkey 5F...";

pub const WEIGHTS: &str = "\
Examples:
  pylon weights --netuid 1
  pylon weights --netuid 1 --uid 0 -o csv";

pub const SET_WEIGHTS: &str = "\
Exit codes: 0 set and verified (with --dry-run: would submit), 1 failed (would fail),
2 usage or configuration error, 3 skipped: rate-limited (would skip).

Examples:
  pylon set-weights --wallet.name my-wallet --wallet.hotkey my-hotkey --netuid 1 \\
      --weights 5F...=0.7,12=0.3
  pylon set-weights --identity sn1 --weights-file weights.json --yes
  pylon set-weights --identity sn1 --weights - --dry-run < weights.json";

pub const COMMIT: &str = "\
Examples:
  pylon commit --wallet.name my-wallet --wallet.hotkey my-hotkey --netuid 1 --data hello
  pylon commit --identity sn1 --data-hex 0x0102 --yes
  pylon commit --identity sn1 --data secret --reveal-after-blocks 360";

pub const COMPLETIONS: &str = "\
Examples:
  pylon completions bash > ~/.local/share/bash-completion/completions/pylon
  pylon completions zsh > \"${fpath[1]}/_pylon\"";
