# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pylon_global_optspecs
    string join \n network= archive-network= o/output= wide columns= archive-cutoff= timeout= env-file= h/help V/version
end

function __fish_pylon_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pylon_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pylon_using_subcommand
    set -l cmd (__fish_pylon_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pylon -n "__fish_pylon_needs_command" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_needs_command" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_needs_command" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_needs_command" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_needs_command" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_needs_command" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_needs_command" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_needs_command" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_needs_command" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "devnet" -d 'Run a simulated subtensor node (JSON-RPC over WebSocket) for local development and tests'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "serve" -d 'Run the HTTP gateway, configured by PYLON_* variables (see the README and .env.example)'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "neurons" -d 'Neurons of a subnet (the metagraph), with stakes, ranks and axons'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "validators" -d 'Validators of a subnet (neurons with a permit), by total stake'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "hyperparams" -d 'Hyperparameters of a subnet: every one the runtime reports'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "block" -d 'Number, hash and timestamp of a block, or one of its extrinsics decoded (--extrinsic)'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "prices" -d 'Alpha prices of every subnet (or one), in TAO per alpha and rao'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "commitments" -d 'Commitments of a subnet\'s hotkeys (hex), or revealed timelocked commitments'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "certificates" -d 'TLS certificates of a subnet\'s hotkeys'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "weights" -d 'Weights set on chain in a subnet, by validator uid'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "set-weights" -d 'Set this validator\'s weights on a subnet (direct weights; exit 3 when rate-limited)'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "commit" -d 'Set this hotkey\'s commitment on a subnet (Raw up to 128 bytes, BigRaw up to 512)'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, elvish or powershell'
complete -c pylon -n "__fish_pylon_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l host -d 'Address to listen on' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l port -d 'Port to listen on; 0 picks a free port (the ready line shows it)' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l block-time -d 'Time between blocks, e.g. 1s, 250ms, 12s' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l seed -d 'Seed of the generated genesis (stakes, axons, weights, …); keys do not depend on it' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l wallet-path -l wallet-dir -l wallet.path -d 'Write a wallet named `devnet` into this wallet directory (what the other commands\' --wallet-path reads), with one hotkey `sn<NETUID>-uid<UID>` per validator' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l state-pruning -d 'Keep state only for the last N blocks, like a lite node; older state fails with "State already discarded for …". Default: keep all, like an archive node' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l genesis-timestamp -d 'Unix time in milliseconds that block timestamps count from (default: now). Two devnets with the same seed and genesis timestamp produce identical blocks' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l finality-lag -d 'How many blocks the finalized head trails the best head' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l runtime -d 'Which runtime to impersonate: `current` (with get_subnet_hyperparams_v3 and get_next_epoch_start_block) or `spec393` (exactly finney spec 393\'s runtime APIs)' -r -f -a "current\t'Spec 393\'s APIs plus what newer runtimes added (`get_subnet_hyperparams_v3`, `get_next_epoch_start_block`, …), reported as a spec version above 393'
spec393\t'Exactly the runtime APIs of finney spec 393 (April 2026), for testing clients\' fallbacks'"
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l neurons -d 'Neurons registered on subnet 1 (1 to 4096; finney\'s largest subnets have 1024)' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand devnet" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand serve" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l devnet -d 'Start a local devnet in the same process and serve it, ignoring PYLON_BITTENSOR_NETWORK: the quickest way to try the gateway'
complete -c pylon -n "__fish_pylon_using_subcommand serve" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand serve" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand neurons" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand validators" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand validators" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand validators" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand hyperparams" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand block" -l extrinsic -d 'Show this extrinsic of the block instead, decoded: call, arguments, signer, era, nonce, tip (JSON as the gateway\'s /block/N/extrinsic/I)' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand block" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand block" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand block" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand block" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand block" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l netuid -d 'Only this subnet\'s price' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head)' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand prices" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand prices" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand prices" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l hotkey -d 'Only this hotkey\'s commitment (SS58)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l revealed -d 'Show revealed (timelocked) commitments instead, as text'
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand commitments" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l hotkey -d 'Only this hotkey\'s certificate (SS58)' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand certificates" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l netuid -d 'The subnet id' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l block -d 'Read at this block: a number, a block hash or `latest` (default: the finalized head). Blocks older than the archive cutoff are read from the archive network' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l uid -d 'Only the weights set by this uid' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand weights" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand weights" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand weights" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l netuid -d 'The subnet (default: the identity\'s)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l identity -d 'Sign as this identity (its PYLON_ID_{NAME}_WALLET_NAME, _HOTKEY_NAME and _NETUID)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l wallet-path -l wallet.path -l wallet-dir -d 'Wallet directory [env: PYLON_BITTENSOR_WALLET_PATH, else BT_WALLET_PATH; default: ~/.bittensor/wallets]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l wallet-name -l wallet.name -d 'Wallet (coldkey) name [env: BT_WALLET_NAME, as btcli]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l hotkey-name -l wallet.hotkey -l wallet-hotkey -l hotkey -d 'Hotkey name [env: BT_WALLET_HOTKEY, as btcli]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l weights -d 'Weights as `HOTKEY=W,UID=W,…`; `-` reads them from stdin' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l weights-file -d 'Weights from a JSON object (`{"HOTKEY": w}`) or a CSV file (`KEY,WEIGHT` rows)' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l mechanism -d 'The subnet mechanism the weights are for (0 is the subnet\'s main one)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l drand-public-key -d 'Drand public key (hex, 96 bytes) [default: the devnet\'s beacon, else quicknet\'s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l drand-genesis -d 'Unix time of drand round 1 (with --drand-public-key)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l drand-period -d 'Seconds between drand rounds (with --drand-public-key)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l strict -d 'Fail when a hotkey is not registered on the subnet (default: drop it with a warning)'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l dry-run -d 'Print the resolved uid/u16 vector and every check, and submit nothing'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -s y -l yes -d 'Do not ask for confirmation on a terminal'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand set-weights" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l netuid -d 'The subnet (default: the identity\'s)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l identity -d 'Sign as this identity (its PYLON_ID_{NAME}_WALLET_NAME, _HOTKEY_NAME and _NETUID)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l wallet-path -l wallet.path -l wallet-dir -d 'Wallet directory [env: PYLON_BITTENSOR_WALLET_PATH, else BT_WALLET_PATH; default: ~/.bittensor/wallets]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l wallet-name -l wallet.name -d 'Wallet (coldkey) name [env: BT_WALLET_NAME, as btcli]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l hotkey-name -l wallet.hotkey -l wallet-hotkey -l hotkey -d 'Hotkey name [env: BT_WALLET_HOTKEY, as btcli]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l data-hex -d 'The commitment as hex (`0x` optional)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l data -d 'The commitment as text (stored as its UTF-8 bytes)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l file -d 'The commitment is this file\'s bytes' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l reveal-after-blocks -d 'Timelock the commitment: the chain reveals it by itself after about this many blocks (encrypted to the drand round of that time)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l drand-public-key -d 'Drand public key (hex, 96 bytes) [default: the devnet\'s beacon, else quicknet\'s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l drand-genesis -d 'Unix time of drand round 1 (with --drand-public-key)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l drand-period -d 'Seconds between drand rounds (with --drand-public-key)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l dry-run -d 'Check the data and print what would be sent, and submit nothing'
complete -c pylon -n "__fish_pylon_using_subcommand commit" -s y -l yes -d 'Do not ask for confirmation on a terminal'
complete -c pylon -n "__fish_pylon_using_subcommand commit" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand commit" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l network -d 'Subtensor network: finney, test, local, archive, or a ws:// / wss:// URL [default: finney]' -r
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l archive-network -d 'Archive node for blocks older than the archive cutoff: a name or URL [default: finney\'s archive for finney, else the --network node itself]' -r
complete -c pylon -n "__fish_pylon_using_subcommand completions" -s o -l output -d 'Output format of results (default: table on a terminal, json otherwise)' -r -f -a "table\t'A human-readable table (the default on a terminal)'
json\t'One JSON document'
csv\t'Comma-separated values with a header row'"
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l columns -d 'Tables: show these columns, in this order (comma-separated names from the header)' -r
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l archive-cutoff -d 'Blocks behind the head beyond which reads go to the archive network [default: 300]' -r
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l timeout -d 'Time limit of connecting and of each chain request, e.g. 10s, 1m [default: 30s]' -r
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l env-file -d 'Read PYLON_* settings from this file (default: ./.env when present); variables already set in the environment win' -r -F
complete -c pylon -n "__fish_pylon_using_subcommand completions" -l wide -d 'Tables: show every column (neurons and validators show a set that fits 80 columns)'
complete -c pylon -n "__fish_pylon_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pylon -n "__fish_pylon_using_subcommand completions" -s V -l version -d 'Print version'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "devnet" -d 'Run a simulated subtensor node (JSON-RPC over WebSocket) for local development and tests'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "serve" -d 'Run the HTTP gateway, configured by PYLON_* variables (see the README and .env.example)'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "neurons" -d 'Neurons of a subnet (the metagraph), with stakes, ranks and axons'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "validators" -d 'Validators of a subnet (neurons with a permit), by total stake'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "hyperparams" -d 'Hyperparameters of a subnet: every one the runtime reports'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "block" -d 'Number, hash and timestamp of a block, or one of its extrinsics decoded (--extrinsic)'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "prices" -d 'Alpha prices of every subnet (or one), in TAO per alpha and rao'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "commitments" -d 'Commitments of a subnet\'s hotkeys (hex), or revealed timelocked commitments'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "certificates" -d 'TLS certificates of a subnet\'s hotkeys'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "weights" -d 'Weights set on chain in a subnet, by validator uid'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "set-weights" -d 'Set this validator\'s weights on a subnet (direct weights; exit 3 when rate-limited)'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "commit" -d 'Set this hotkey\'s commitment on a subnet (Raw up to 128 bytes, BigRaw up to 512)'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "completions" -d 'Print shell completions for bash, zsh, fish, elvish or powershell'
complete -c pylon -n "__fish_pylon_using_subcommand help; and not __fish_seen_subcommand_from devnet serve neurons validators hyperparams block prices commitments certificates weights set-weights commit completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
