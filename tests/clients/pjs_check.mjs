#!/usr/bin/env node
// pjs_check.mjs: runs an unmodified polkadot.js client (@polkadot/api 16.5.6) against `pylon devnet`.
//
//   node pjs_check.mjs ws://127.0.0.1:PORT
//
// Start a fresh devnet for each run, with any block time (CI uses 250ms):
//   pylon devnet --port 0 --wallet-dir DIR --block-time 250ms
//
// Environment:
//   PJS_NODE_MODULES   directory that holds @polkadot/api, @polkadot/keyring and @polkadot/util-crypto.
//                      Default: ./node_modules next to this file, then the current directory's node_modules.
//   PJS_CHECK_TIMEOUT  hard limit for the whole run, in seconds (default 120).
//
// Exit codes: 0 if every check passed, 1 if any check failed (one "FAIL name: reason" line each, then a
// summary), 2 for a usage or setup error, 3 if the hard timeout fired (the message names the running check).
//
// Oracles come from outside the devnet wherever possible: the README's genesis table (tempos, neuron counts,
// permits, rate limits, version keys), the key derivations //snN-uidU and //devnet-coldkey done by
// @polkadot/keyring, hashes computed on the client (header hash, storage hash, extrinsic hash), two different
// client calls that must agree, and values that were written and then read back.
//
// Not devnet gaps (finney behaves the same):
//   * With finney's metadata too, polkadot.js warns "REGISTRY: Unknown signed extensions SudoTransactionExtension,
//     CheckShieldedTxValidity, SubtensorTransactionExtension, DrandPriority". That exact warning is allowed here.
//   * api.rpc.payment.queryInfo always fails: polkadot.js decodes it as RuntimeDispatchInfoV1 ("Stuck on V1
//     forever"). The supported path, api.call.transactionPaymentApi, is checked instead.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[2];
if (!url || !/^wss?:\/\//.test(url)) {
  console.error('usage: node pjs_check.mjs ws://HOST:PORT');
  process.exit(2);
}
const HARD_TIMEOUT_S = Number(process.env.PJS_CHECK_TIMEOUT || 120);
const STAY_UP_MS = 10_000;

// The README's genesis table (seed-independent facts).
const GENESIS = {
  1: { neurons: 256, tempo: 360, commitReveal: false, permits: 64, rateLimit: 100, minWeights: 8 },
  2: { neurons: 64, tempo: 100, commitReveal: true, permits: 16, versionKey: 2001000 },
  3: { neurons: 16, tempo: 10, commitReveal: false, permits: 8 },
};
const WEIGHTS_NETUID = 3; // direct weights with a short rate limit, so the wait stays within a few blocks
// polkadot.js prints this warning for finney's own metadata too, so it is allowed here.
const ALLOWED_WARNING = /REGISTRY: Unknown signed extensions SudoTransactionExtension, CheckShieldedTxValidity, SubtensorTransactionExtension, DrandPriority found, treating them as no-effect/;

// ---- module resolution ------------------------------------------------------------------------
function loadPjs() {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.PJS_NODE_MODULES, join(here, 'node_modules'), join(process.cwd(), 'node_modules')].filter(Boolean);
  for (const dir of candidates) {
    if (existsSync(join(dir, '@polkadot/api/package.json'))) {
      const require = createRequire(join(dir, 'noop.js'));
      const api = require('@polkadot/api');
      const crypto = require('@polkadot/util-crypto');
      return { ...api, dir, version: api.packageInfo.version, Keyring: require('@polkadot/keyring').Keyring, crypto };
    }
  }
  console.error(`setup: @polkadot/api not found in ${candidates.join(', ')} (set PJS_NODE_MODULES)`);
  process.exit(2);
}
const { ApiPromise, WsProvider, Keyring, crypto, version: PJS_VERSION, dir: PJS_DIR } = loadPjs();
const { cryptoWaitReady, blake2AsHex } = crypto;

// ---- bookkeeping ------------------------------------------------------------------------------
const t0 = Date.now();
const results = [];
let current = 'startup';
const background = []; // uncaught exceptions, unhandled rejections, api 'error'/'disconnected', logged warnings
process.on('uncaughtException', (e) => background.push(`uncaught exception during "${current}": ${e?.message || e}`));
process.on('unhandledRejection', (e) => background.push(`unhandled rejection during "${current}": ${e?.message || e}`));
for (const level of ['warn', 'error']) {
  const orig = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map(String).join(' ');
    if (!ALLOWED_WARNING.test(text)) background.push(`console.${level} during "${current}": ${text.slice(0, 300)}`);
    orig(...args);
  };
}
const hardTimer = setTimeout(() => {
  console.log(`FAIL timeout: no result after ${HARD_TIMEOUT_S}s, stuck in check "${current}"`);
  summary();
  process.exit(3);
}, HARD_TIMEOUT_S * 1000);
hardTimer.unref();

class CheckError extends Error {}
function assert(cond, msg) { if (!cond) throw new CheckError(msg); }
function eq(what, got, want) {
  const g = JSON.stringify(got); const w = JSON.stringify(want);
  if (g !== w) throw new CheckError(`${what}: got ${g}, expected ${w}`);
}
function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((_, rej) => {
    timer = setTimeout(() => rej(new CheckError(`no result within ${ms / 1000} s (per-check timeout)`)), ms);
  })]).finally(() => clearTimeout(timer));
}
async function check(name, ms, fn) {
  current = name;
  const start = Date.now();
  try {
    const detail = await withTimeout(Promise.resolve().then(fn), ms);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - start} ms)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (e) {
    results.push({ name, ok: false, reason: e.message });
    console.log(`FAIL ${name}: ${e.message}`);
    return false;
  }
}
function summary() {
  const failed = results.filter((r) => !r.ok);
  console.log(`\n@polkadot/api ${PJS_VERSION} (${PJS_DIR}) against ${url}: ${results.length - failed.length}/${results.length} checks passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const r of failed) console.log(`  FAIL ${r.name}: ${r.reason}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Collects values from a polkadot.js subscription until `n` have arrived, then unsubscribes. */
function collect(subscribe, n) {
  return new Promise((resolve, reject) => {
    const got = [];
    let unsub = null;
    let done = false;
    const finish = () => { done = true; if (unsub) unsub(); resolve(got); };
    Promise.resolve(subscribe((v) => {
      if (done) return;
      got.push(v);
      if (got.length >= n) finish();
    })).then((u) => { unsub = u; if (done) u(); }, reject);
  });
}
/** signAndSend to finalization; resolves { blockHash, events, dispatchError, dispatchInfo, statuses, txHash }. */
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    const statuses = [];
    tx.signAndSend(signer, (r) => {
      statuses.push(r.status.type);
      if (r.internalError) return reject(new CheckError(`polkadot.js could not fetch the block's events: ${r.internalError.message}`));
      if (r.status.isInvalid || r.status.isDropped || r.status.isUsurped || r.status.isFinalityTimeout) return reject(new CheckError(`status ${r.status.type}`));
      if (r.status.isFinalized) {
        resolve({ blockHash: r.status.asFinalized.toHex(), events: r.events, dispatchError: r.dispatchError, dispatchInfo: r.dispatchInfo, statuses, txHash: tx.hash.toHex() });
      }
    }).catch((e) => reject(new CheckError(`signAndSend rejected: ${e.message}`)));
  });
}
const eventNames = (events) => events.map(({ event }) => `${event.section}.${event.method}`);

// ---- connect ----------------------------------------------------------------------------------
await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
let api;
let provider;
const connected = await check('connect: ApiPromise.create picks the newest metadata, chain properties', 30_000, async () => {
  provider = new WsProvider(url, 1_000);
  api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: false });
  api.on('error', (e) => background.push(`api 'error' event during "${current}": ${e?.message || e}`));
  api.on('disconnected', () => background.push(`api 'disconnected' event during "${current}"`));
  eq('ss58Format', api.registry.chainSS58, 42);
  eq('tokenDecimals', api.registry.chainDecimals[0], 9);
  eq('tokenSymbol', api.registry.chainTokens[0], 'TAO');
  const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  const newest = Math.max(...versions.filter((v) => [14, 15, 16].includes(v)));
  eq(`metadata version in use (Metadata_metadata_versions = ${versions})`, api.runtimeMetadata.version, newest);
  // Three sources of the runtime version: the state RPC used at connect, the Core_version runtime call, and chain_getRuntimeVersion.
  const core = await api.call.core.version();
  const rpc = await api.rpc.state.getRuntimeVersion();
  eq('Core_version specVersion = state_getRuntimeVersion', core.specVersion.toNumber(), rpc.specVersion.toNumber());
  eq('api.runtimeVersion specVersion', api.runtimeVersion.specVersion.toNumber(), rpc.specVersion.toNumber());
  eq('specName', rpc.specName.toString(), 'node-subtensor');
  eq('transactionVersion', rpc.transactionVersion.toNumber(), 1);
  return `${api.runtimeChain} ${rpc.specName}/${rpc.specVersion}, metadata V${api.runtimeMetadata.version} (offered ${versions})`;
});
if (!connected) { summary(); process.exit(1); }
const readyAt = Date.now();

// ---- reads --------------------------------------------------------------------------------------
await check('genesis facts from the README (tempo, SubnetworkN, commit-reveal, permits, rate limit, version key)', 15_000, async () => {
  for (const [netuid, g] of Object.entries(GENESIS)) {
    const n = Number(netuid);
    const [tempo, size, cr, permits] = await Promise.all([api.query.subtensorModule.tempo(n), api.query.subtensorModule.subnetworkN(n),
      api.query.subtensorModule.commitRevealWeightsEnabled(n), api.query.subtensorModule.validatorPermit(n)]);
    eq(`Tempo(${n})`, tempo.toNumber(), g.tempo);
    eq(`SubnetworkN(${n})`, size.toNumber(), g.neurons);
    eq(`CommitRevealWeightsEnabled(${n})`, cr.isTrue, g.commitReveal);
    eq(`validators with a permit on ${n}`, permits.filter((p) => p.isTrue).length, g.permits);
    if (g.rateLimit) eq(`WeightsSetRateLimit(${n})`, (await api.query.subtensorModule.weightsSetRateLimit(n)).toNumber(), g.rateLimit);
    if (g.minWeights) eq(`MinAllowedWeights(${n})`, (await api.query.subtensorModule.minAllowedWeights(n)).toNumber(), g.minWeights);
    if (g.versionKey) eq(`WeightsVersionKey(${n})`, (await api.query.subtensorModule.weightsVersionKey(n)).toNumber(), g.versionKey);
  }
  return 'subnets 1, 2, 3 as documented';
});

const hotkeys = {}; // netuid -> [ss58 by uid]
const validators = {}; // netuid -> [uid with a permit]
await check('keys: Keys(n, uid) of every validator is //snN-uidU, its Owner is //devnet-coldkey', 30_000, async () => {
  const coldkey = keyring.addFromUri('//devnet-coldkey').address;
  for (const n of [1, 2, 3]) {
    const entries = await api.query.subtensorModule.keys.entries(n);
    const list = [];
    for (const [key, value] of entries) {
      const [netuid, uid] = key.args.map((a) => a.toNumber());
      eq('netuid in a Keys key', netuid, n);
      assert(list[uid] === undefined, `Keys(${n}, ${uid}) listed twice`);
      list[uid] = value.toString();
    }
    eq(`Keys(${n}) entries`, list.filter(Boolean).length, GENESIS[n].neurons);
    hotkeys[n] = list;
    const permits = await api.query.subtensorModule.validatorPermit(n);
    validators[n] = permits.map((p, uid) => (p.isTrue ? uid : -1)).filter((u) => u >= 0);
    for (const uid of validators[n]) {
      eq(`Keys(${n}, ${uid}) vs //sn${n}-uid${uid}`, list[uid], keyring.addFromUri(`//sn${n}-uid${uid}`).address);
    }
    const owners = await api.query.subtensorModule.owner.multi(validators[n].map((u) => list[u]));
    owners.forEach((o, i) => eq(`Owner of validator uid ${validators[n][i]} on ${n}`, o.toString(), coldkey));
    const uids = await api.query.subtensorModule.uids.multi(list.map((h) => [n, h]));
    uids.forEach((u, i) => eq(`Uids(${n}, Keys(${n}, ${i}))`, u.unwrapOr(null)?.toNumber(), i));
  }
  return `validators ${validators[1].length}/${validators[2].length}/${validators[3].length}, all derived from //snN-uidU`;
});

await check('blocks: header hash computed by the client = chain_getBlockHash, Timestamp.Now = timestamp.set', 30_000, async () => {
  const finalizedNumber = async () => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
  while (await finalizedNumber() < 3) await sleep(100);
  const nows = [];
  for (const n of [1, 2, 3]) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const block = await api.rpc.chain.getBlock(hash);
    eq(`blake2(SCALE header #${n}) vs chain_getBlockHash(${n})`, block.block.header.hash.toHex(), hash.toHex());
    const parent = await api.rpc.chain.getBlockHash(n - 1);
    eq(`parentHash of #${n}`, block.block.header.parentHash.toHex(), parent.toHex());
    const at = await api.at(hash);
    eq(`System.Number at #${n}`, (await at.query.system.number()).toNumber(), n);
    const set = block.block.extrinsics.find((x) => x.method.section === 'timestamp' && x.method.method === 'set');
    assert(set, `block #${n} has no timestamp.set inherent`);
    const now = (await at.query.timestamp.now()).toNumber();
    eq(`Timestamp.Now at #${n} vs its timestamp.set argument`, now, set.method.args[0].toNumber());
    nows.push(now);
  }
  assert(nows[0] > 1_500_000_000_000, `Timestamp.Now ${nows[0]} is not unix milliseconds`);
  eq('block time is constant (Now(3) - Now(2) = Now(2) - Now(1))', nows[2] - nows[1], nows[1] - nows[0]);
  return `block time ${nows[1] - nows[0]} ms`;
});

await check('maps and constants: commitments.commitmentOf.entries(1), api.consts', 20_000, async () => {
  const entries = await api.query.commitments.commitmentOf.entries(1);
  assert(entries.length > 0, 'no commitments on subnet 1');
  const registered = new Set(hotkeys[1]);
  for (const [key, value] of entries) {
    eq('netuid of a CommitmentOf key', key.args[0].toNumber(), 1);
    assert(value.isSome && value.unwrap().info.fields.length > 0, `commitment of ${key.args[1]} is empty`);
    assert(registered.has(key.args[1].toString()), `commitment of unregistered hotkey ${key.args[1]}`);
  }
  const c = api.consts;
  eq('System.SS58Prefix', c.system.ss58Prefix.toNumber(), 42);
  assert(c.system.blockHashCount.toNumber() > 0 && c.timestamp.minimumPeriod.toNumber() > 0 && c.commitments.maxFields.toNumber() > 0, 'zero constant');
  return `${entries.length} commitments; BlockHashCount ${c.system.blockHashCount}, MaxFields ${c.commitments.maxFields}`;
});

await check('storage RPCs: getStorageHash = blake2(getStorage), getStorageSize, getKeys = getKeysPaged', 15_000, async () => {
  const key = api.query.subtensorModule.tempo.key(3);
  const raw = await api.rpc.state.getStorage(key);
  const bytes = raw.toU8a(true);
  eq('state_getStorageHash vs blake2-256 of the value', (await api.rpc.state.getStorageHash(key)).toHex(), blake2AsHex(bytes, 256));
  eq('state_getStorageSize', (await api.rpc.state.getStorageSize(key)).toNumber(), bytes.length);
  const prefix = api.query.subtensorModule.keys.keyPrefix(3);
  const all = (await api.rpc.state.getKeys(prefix)).map((k) => k.toHex()).sort();
  const paged = (await api.query.subtensorModule.keys.keys(3)).map((k) => k.toHex()).sort();
  eq('state_getKeys vs state_getKeysPaged', all, paged);
  return `${all.length} keys under Keys(3)`;
});

await check('runtime calls agree with storage: getNeuronsLite(3), getNeuron(3, uid), getSubnetState(3), hyperparams', 20_000, async () => {
  const neurons = await api.call.neuronInfoRuntimeApi.getNeuronsLite(3);
  const permits = await api.query.subtensorModule.validatorPermit(3);
  eq('neurons', neurons.length, GENESIS[3].neurons);
  neurons.forEach((x, i) => {
    eq(`neuron ${i} uid`, x.uid.toNumber(), i);
    eq(`neuron ${i} hotkey vs Keys`, x.hotkey.toString(), hotkeys[3][i]);
    eq(`neuron ${i} validator_permit vs ValidatorPermit`, x.validatorPermit.isTrue, permits[i].isTrue);
  });
  const uid = validators[3][0];
  const one = await api.call.neuronInfoRuntimeApi.getNeuron(3, uid);
  assert(one.isSome, `getNeuron(3, ${uid}) is None`);
  eq(`getNeuron(3, ${uid}).hotkey`, one.unwrap().hotkey.toString(), hotkeys[3][uid]);
  const state = await api.call.subnetInfoRuntimeApi.getSubnetState(3);
  assert(state.isSome, 'getSubnetState(3) is None');
  eq('getSubnetState(3).hotkeys vs Keys', state.unwrap().hotkeys.map((h) => h.toString()), hotkeys[3]);
  const hp = await api.call.subnetInfoRuntimeApi.getSubnetHyperparams(1);
  assert(hp.isSome, 'getSubnetHyperparams(1) is None');
  eq('hyperparams(1).tempo', hp.unwrap().tempo.toNumber(), GENESIS[1].tempo);
  eq('hyperparams(1).weightsRateLimit', hp.unwrap().weightsRateLimit.toNumber(), GENESIS[1].rateLimit);
  const who = keyring.addFromUri(`//sn3-uid${uid}`).address;
  eq('AccountNonceApi_account_nonce vs system_accountNextIndex (nothing pending)',
    (await api.call.accountNonceApi.accountNonce(who)).toNumber(), (await api.rpc.system.accountNextIndex(who)).toNumber());
  return `${neurons.length} neurons, ${neurons.filter((x) => x.validatorPermit.isTrue).length} permits`;
});

await check('fees: queryInfo / queryFeeDetails / queryWeightToFee / queryLengthToFee agree', 15_000, async () => {
  const signer = keyring.addFromUri(`//sn3-uid${validators[3][0]}`);
  // set_weights is Pays::No on finney: no fee at all
  const sw = await api.tx.subtensorModule.setWeights(3, [0, 1], [1, 1], 0).paymentInfo(signer);
  eq('set_weights partialFee (Pays::No)', sw.partialFee.toNumber(), 0);
  eq('set_weights class', sw.class.toString(), 'Normal');
  assert(sw.weight.refTime.toBn().gtn(0), `set_weights weight ${sw.weight}`);
  // System.remark pays: partialFee = base + length fee + weight fee, each from its own runtime call
  const remark = await api.tx.system.remark('0x0102030405').signAsync(signer, { nonce: -1 });
  const u8a = remark.toU8a();
  const info = await api.call.transactionPaymentApi.queryInfo(u8a, u8a.length);
  const details = await api.call.transactionPaymentApi.queryFeeDetails(u8a, u8a.length);
  assert(details.inclusionFee.isSome, 'remark has no inclusion fee');
  const f = details.inclusionFee.unwrap();
  const sum = f.baseFee.toBn().add(f.lenFee.toBn()).add(f.adjustedWeightFee.toBn());
  eq('partialFee = baseFee + lenFee + adjustedWeightFee', info.partialFee.toString(), sum.toString());
  eq('lenFee = queryLengthToFee(len)', f.lenFee.toString(), (await api.call.transactionPaymentApi.queryLengthToFee(u8a.length)).toString());
  eq('adjustedWeightFee = queryWeightToFee(weight) (multiplier 1)', f.adjustedWeightFee.toString(), (await api.call.transactionPaymentApi.queryWeightToFee(info.weight)).toString());
  return `set_weights 0 (weight ${sw.weight.refTime}), remark ${info.partialFee} = ${f.baseFee} + ${f.lenFee} + ${f.adjustedWeightFee}`;
});

await check('subscriptions: chain.subscribeFinalizedHeads, api.query.system.number(cb)', 20_000, async () => {
  const heads = await collect((cb) => api.rpc.chain.subscribeFinalizedHeads(cb), 3);
  const nums = heads.map((h) => h.number.toNumber());
  for (let i = 1; i < nums.length; i++) assert(nums[i] > nums[i - 1], `finalized heads not increasing: ${nums}`);
  for (const h of heads) eq(`hash of finalized #${h.number}`, h.hash.toHex(), (await api.rpc.chain.getBlockHash(h.number)).toHex());
  const values = (await collect((cb) => api.query.system.number(cb), 4)).map((v) => v.toNumber());
  for (let i = 1; i < values.length; i++) eq(`System.Number notification ${i}`, values[i], values[i - 1] + 1);
  return `finalized #${nums.join(', #')}; System.Number #${values[0]}..#${values[values.length - 1]}`;
});

// ---- writes -------------------------------------------------------------------------------------
/** Waits until `uid` may set weights on `netuid` (subtensor's check_rate_limit, evaluated at best + 1). */
async function waitForWeightsWindow(netuid, uid) {
  const limit = (await api.query.subtensorModule.weightsSetRateLimit(netuid)).toNumber();
  for (let waited = 0; ; waited++) {
    const last = (await api.query.subtensorModule.lastUpdate(netuid))[uid].toNumber();
    const best = (await api.query.system.number()).toNumber();
    if (last === 0 || best + 1 - last >= limit) return { last, limit, waited };
    await sleep(100);
  }
}

let wUid = -1;
let wSigner = null;
await check(`set weights: pick the validator on ${WEIGHTS_NETUID} that set weights longest ago`, 10_000, async () => {
  const last = await api.query.subtensorModule.lastUpdate(WEIGHTS_NETUID);
  wUid = validators[WEIGHTS_NETUID].reduce((a, b) => (last[b].toNumber() < last[a].toNumber() ? b : a));
  wSigner = keyring.addFromUri(`//sn${WEIGHTS_NETUID}-uid${wUid}`);
  return `uid ${wUid} ${wSigner.address}, LastUpdate ${last[wUid]}`;
});

if (wSigner) {
  const versionKey = (await api.query.subtensorModule.weightsVersionKey(WEIGHTS_NETUID)).toNumber();
  await check('failing set_weights: dispatchError resolves to subtensorModule.DuplicateUids via the metadata', 30_000, async () => {
    await waitForWeightsWindow(WEIGHTS_NETUID, wUid);
    const r = await submit(api, api.tx.subtensorModule.setWeights(WEIGHTS_NETUID, [0, 0, 1], [1, 1, 1], versionKey), wSigner);
    assert(r.dispatchError, `no dispatch error; events ${eventNames(r.events)}`);
    assert(r.dispatchError.isModule, `dispatch error ${r.dispatchError} is not a module error`);
    const e = api.registry.findMetaError(r.dispatchError.asModule);
    eq('module error', `${e.section}.${e.name}`, 'subtensorModule.DuplicateUids');
    assert(eventNames(r.events).includes('system.ExtrinsicFailed'), `no system.ExtrinsicFailed: ${eventNames(r.events)}`);
    eq('ExtrinsicFailed dispatch_info.paysFee', r.dispatchInfo?.paysFee.toString(), 'No');
    return `${e.section}.${e.name}; ${eventNames(r.events).join(', ')}`;
  });

  const n = hotkeys[WEIGHTS_NETUID].length;
  const dests = Array.from({ length: 10 }, (_, i) => Math.floor((i * n) / 10));
  const weights = dests.map((_, i) => 100 * (i + 1) + 7);
  const max = Math.max(...weights);
  // subtensor's vec_u16_max_upscale_to_u16: weight * 65535 / max in I32F32, rounded to nearest
  // (ties away from zero); for these small weights the exact rational rounds the same way.
  const expected = dests.map((d, i) => [d, Math.round((weights[i] * 65535) / max)]);
  const lastUpdates = [];
  let unsubLastUpdate = null;
  let sent = null;
  const nonceBefore = (await api.rpc.system.accountNextIndex(wSigner.address)).toNumber();
  await check(`signAndSend setWeights(${WEIGHTS_NETUID}, 10 uids) to finalization: events, dispatch info, extrinsic hash`, 40_000, async () => {
    const { waited } = await waitForWeightsWindow(WEIGHTS_NETUID, wUid);
    unsubLastUpdate = await api.query.subtensorModule.lastUpdate(WEIGHTS_NETUID, (v) => lastUpdates.push(v.map((x) => x.toNumber())));
    const tx = api.tx.subtensorModule.setWeights(WEIGHTS_NETUID, dests, weights, versionKey);
    sent = await submit(api, tx, wSigner);
    assert(!sent.dispatchError, `dispatch failed: ${sent.dispatchError?.isModule ? JSON.stringify(api.registry.findMetaError(sent.dispatchError.asModule).name) : sent.dispatchError}`);
    const names = eventNames(sent.events);
    const ws = sent.events.find(({ event }) => event.section === 'subtensorModule' && event.method === 'WeightsSet');
    assert(ws, `no subtensorModule.WeightsSet: ${names}`);
    eq('WeightsSet(netuid, uid)', ws.event.data.map((x) => x.toNumber()), [WEIGHTS_NETUID, wUid]);
    assert(names.includes('system.ExtrinsicSuccess'), `no system.ExtrinsicSuccess: ${names}`);
    eq('ExtrinsicSuccess dispatch_info', [sent.dispatchInfo.class.toString(), sent.dispatchInfo.paysFee.toString()], ['Normal', 'No']);
    const block = await api.rpc.chain.getBlock(sent.blockHash);
    const hashes = block.block.extrinsics.map((x) => x.hash.toHex());
    assert(hashes.includes(sent.txHash), `the finalized block holds no extrinsic with the client-computed hash ${sent.txHash}`);
    return `waited ${waited * 0.1} s for the rate limit; ${sent.statuses.join(' > ')}; ${names.join(', ')}`;
  });

  if (sent && !sent.dispatchError) {
    await check(`read back Weights(${WEIGHTS_NETUID}, ${wUid}), LastUpdate, nonce, LastUpdate subscription`, 15_000, async () => {
      const at = await api.at(sent.blockHash);
      const included = (await at.query.system.number()).toNumber();
      const pinned = (await at.query.subtensorModule.weights(WEIGHTS_NETUID, wUid)).map(([d, w]) => [d.toNumber(), w.toNumber()]);
      eq(`Weights at #${included} (max-upscaled to 65535)`, pinned, expected);
      eq('LastUpdate[uid] = including block', (await at.query.subtensorModule.lastUpdate(WEIGHTS_NETUID))[wUid].toNumber(), included);
      eq('System.Account nonce', (await api.query.system.account(wSigner.address)).nonce.toNumber(), nonceBefore + 1);
      eq('system_accountNextIndex', (await api.rpc.system.accountNextIndex(wSigner.address)).toNumber(), nonceBefore + 1);
      while (!lastUpdates.some((v) => v[wUid] === included)) await sleep(100);
      return `${expected.length} weights at #${included}; ${lastUpdates.length} LastUpdate notifications`;
    });
    await check('signed transactions emit TransactionPayment.TransactionFeePaid', 5_000, async () => {
      const paid = sent.events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
      assert(paid, `finney emits TransactionPayment.TransactionFeePaid{who, actual_fee: 0, tip: 0} for every signed extrinsic; got ${eventNames(sent.events)}`);
      eq('TransactionFeePaid', [paid.event.data[0].toString(), paid.event.data[1].toString(), paid.event.data[2].toString()], [wSigner.address, '0', '0']);
    });
  }
  if (unsubLastUpdate) unsubLastUpdate();

  // Subtensor's transaction extension runs its checks when a block applies a transaction, not
  // only when the pool admits it: the second of two set_weights inside the rate limit is dropped.
  await check('pool: a set_weights admitted beside another is dropped as Invalid when the block applies it (rate limit)', 40_000, async () => {
    await waitForWeightsWindow(WEIGHTS_NETUID, wUid);
    const nonce = (await api.rpc.system.accountNextIndex(wSigner.address)).toNumber();
    const watch = (tx) => {
      const statuses = [];
      const done = new Promise((resolve, reject) => {
        tx.send((r) => {
          statuses.push(r.status.type);
          if (r.status.isInBlock || r.status.isInvalid || r.status.isDropped) resolve(r.status);
        }).catch((e) => reject(new CheckError(`send rejected: ${e.message}`)));
      });
      done.catch(() => {});
      return { statuses, done };
    };
    // The later one first: it waits in the future queue, admitted on today's state, so no block
    // boundary between the two submissions can change what happens.
    const later = await api.tx.subtensorModule.setWeights(WEIGHTS_NETUID, [dests[0]], [1], versionKey).signAsync(wSigner, { nonce: nonce + 1 });
    const second = watch(later);
    while (second.statuses.length === 0) await sleep(20);
    const earlier = await api.tx.subtensorModule.setWeights(WEIGHTS_NETUID, dests, weights, versionKey).signAsync(wSigner, { nonce });
    const first = watch(earlier);
    const inBlock = (await first.done).asInBlock.toHex();
    const end = await second.done;
    eq('statuses of the second set_weights', second.statuses, ['Future', 'Ready', 'Invalid']);
    assert(end.isInvalid, `second ended ${end.type}`);
    const hashes = (await api.rpc.chain.getBlock(inBlock)).block.extrinsics.map((x) => x.hash.toHex());
    assert(hashes.includes(earlier.hash.toHex()) && !hashes.includes(later.hash.toHex()), 'the block must hold the first set_weights and not the second');
    eq('system_accountNextIndex (the dropped one used no nonce)', (await api.rpc.system.accountNextIndex(wSigner.address)).toNumber(), nonce + 1);
    const stored = (await (await api.at(inBlock)).query.subtensorModule.weights(WEIGHTS_NETUID, wUid)).map(([d, w]) => [d.toNumber(), w.toNumber()]);
    eq('Weights after the block (the first one\'s)', stored, expected);
    return `${first.statuses.join(' > ')}; second ${second.statuses.join(' > ')}`;
  });

  await check('commitments.setCommitment(3, Raw) to finalization, Commitment event, read back', 30_000, async () => {
    const uid = validators[3].find((u) => u !== wUid);
    const signer = keyring.addFromUri(`//sn3-uid${uid}`);
    const payload = `{"pjs_check":"${signer.address.slice(0, 8)}"}`;
    const hex = `0x${Buffer.from(payload).toString('hex')}`;
    const r = await submit(api, api.tx.commitments.setCommitment(3, { fields: [{ [`Raw${payload.length}`]: hex }] }), signer);
    assert(!r.dispatchError, `dispatch failed: ${r.dispatchError}`);
    const ev = r.events.find(({ event }) => event.section === 'commitments' && event.method === 'Commitment');
    assert(ev, `no commitments.Commitment: ${eventNames(r.events)}`);
    eq('Commitment event', [ev.event.data[0].toNumber(), ev.event.data[1].toString()], [3, signer.address]);
    const at = await api.at(r.blockHash);
    const included = (await at.query.system.number()).toNumber();
    const c = await at.query.commitments.commitmentOf(3, signer.address);
    assert(c.isSome, 'CommitmentOf is None after set_commitment');
    const field = c.unwrap().info.fields[0];
    eq('stored field', [field.type, field.value.toHex()], [`Raw${payload.length}`, hex]);
    eq('stored block', c.unwrap().block.toNumber(), included);
    return `uid ${uid} at #${included}`;
  });
}

// ---- the pool's future queue (subtensor's CheckNonce: a higher nonce waits, it is not refused) --
await check('pool: a future nonce waits as Future (not pending, not counted), is Ready once the gap fills, both in one block', 30_000, async () => {
  const signer = keyring.addFromUri('//devnet-coldkey');
  const next = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  const later = api.tx.system.remark('0x0102');
  const statuses = [];
  let laterBlock;
  const laterIn = new Promise((resolve, reject) => {
    later.signAndSend(signer, { nonce: next + 1 }, (r) => {
      statuses.push(r.status.type);
      if (r.status.isInvalid || r.status.isDropped || r.status.isUsurped) reject(new CheckError(`status ${r.status.type}`));
      if (r.status.isInBlock) { laterBlock = r.status.asInBlock.toHex(); resolve(); }
    }).catch((e) => reject(new CheckError(`signAndSend rejected: ${e.message}`)));
  });
  laterIn.catch(() => {}); // awaited below; a failure before that is this check's, not a stray rejection
  // Two new blocks while it waits: it must still be waiting, and nothing else counts it.
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  while ((await api.rpc.chain.getHeader()).number.toNumber() < start + 2) await sleep(50);
  eq('statuses while the nonce before it is missing', statuses, ['Future']);
  eq('system_accountNextIndex (a future transaction does not count)', (await api.rpc.system.accountNextIndex(signer.address)).toNumber(), next);
  const pending = (await api.rpc.author.pendingExtrinsics()).map((x) => x.hash.toHex());
  assert(!pending.includes(later.hash.toHex()), 'author_pendingExtrinsics lists a future transaction (a node lists its ready queue)');
  const first = await new Promise((resolve, reject) => {
    api.tx.system.remark('0x01').signAndSend(signer, { nonce: next }, (r) => {
      if (r.status.isInBlock) resolve(r.status.asInBlock.toHex());
      if (r.status.isInvalid || r.status.isDropped) reject(new CheckError(`status ${r.status.type}`));
    }).catch((e) => reject(new CheckError(`signAndSend rejected: ${e.message}`)));
  });
  await laterIn;
  eq('statuses of the future transaction', statuses.slice(0, 3), ['Future', 'Ready', 'InBlock']);
  eq('both in the same block', laterBlock, first);
  eq('system_accountNextIndex after both', (await api.rpc.system.accountNextIndex(signer.address)).toNumber(), next + 2);
  return `nonces ${next} and ${next + 1} in ${first.slice(0, 10)}…`;
});

await check('pool: a future transaction whose mortal era ends before the gap fills is dropped as Invalid', 30_000, async () => {
  const signer = keyring.addFromUri('//devnet-coldkey');
  const next = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  const statuses = [];
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  const ended = await new Promise((resolve, reject) => {
    api.tx.system.remark('0x03').signAndSend(signer, { nonce: next + 1, era: 4 }, (r) => {
      statuses.push(r.status.type);
      if (r.status.isInvalid || r.status.isDropped || r.status.isInBlock) resolve(r.status);
    }).catch((e) => reject(new CheckError(`signAndSend rejected: ${e.message}`)));
  });
  const at = (await api.rpc.chain.getHeader()).number.toNumber();
  eq('statuses', statuses, ['Future', 'Invalid']);
  assert(at - start <= 6, `dropped ${at - start} blocks after submission; a 4-block era ends within 5`);
  eq('system_accountNextIndex', (await api.rpc.system.accountNextIndex(signer.address)).toNumber(), next);
  return `${ended.type} after ${at - start} blocks`;
});

// ---- the connection must have stayed healthy the whole time -----------------------------------
await check(`stays up: no uncaught error, unexpected warning or disconnect (${STAY_UP_MS / 1000} s minimum)`, STAY_UP_MS + 5_000, async () => {
  const left = STAY_UP_MS - (Date.now() - readyAt);
  if (left > 0) await sleep(left);
  assert(api.isConnected, 'the WebSocket is no longer connected');
  assert(background.length === 0, `${background.length} background problem(s): ${[...new Set(background)].join(' | ')}`);
  return `${((Date.now() - readyAt) / 1000).toFixed(1)} s since ready`;
});

// Before subnet 1's first epoch (block 360) the metagraph must still answer (a devnet that once panicked here
// answered with id null, which polkadot.js never matched). Runs last, after "stays up".
await check('runtime call subnetInfoRuntimeApi.getMetagraph(1)', 10_000, async () => {
  const mg = await api.call.subnetInfoRuntimeApi.getMetagraph(1);
  assert(mg.isSome, 'getMetagraph(1) is None');
  const m = mg.unwrap();
  eq('metagraph hotkeys vs Keys', m.hotkeys.map((h) => h.toString()), hotkeys[1]);
  const block = m.block.toNumber();
  assert(m.lastStep.toNumber() + m.blocksSinceLastStep.toNumber() === block, `last_step ${m.lastStep} + blocks_since_last_step ${m.blocksSinceLastStep} != block ${block}`);
  return `block ${block}, last_step ${m.lastStep}`;
});

// ---- a runtime upgrade while connected (devnet_upgradeRuntime enacts one in the next block) ----------------
// Substrate's rules, which polkadot.js follows: the block that enacts an upgrade (set_code) carries the
// RuntimeEnvironmentUpdated digest and was built by the old runtime; queries at it and later see the new version.
// Runs last: after an upgrade polkadot.js 16 re-reads metadata with state_getMetadata (V14, no runtime API
// descriptions; Init.js subscribeUpdates), so it warns "Not decorating unknown runtime apis" and api.call loses
// subtensor's runtime APIs, on finney as here. That warning, and the logged refusal of the stale transaction
// below, are the only background messages allowed during this check.
const UPGRADE_MESSAGES = [/API\/INIT: node-subtensor\/\d+: Not decorating unknown runtime apis/, /RPC-CORE: submitExtrinsic\(extrinsic: Extrinsic\): Hash:: 1010: Invalid Transaction: Transaction has a bad signature/];
await check('runtime upgrade: version subscription, digest, CodeUpdated, versions per block, signing with the new version', 40_000, async () => {
  const quiet = background.length;
  const before = api.runtimeVersion.specVersion.toNumber();
  const target = before + 1;
  const notified = [];
  const unsub = await api.rpc.state.subscribeRuntimeVersion((v) => notified.push(v.specVersion.toNumber()));
  const stale = await api.tx.system.remark('0x01').signAsync(keyring.addFromUri('//devnet-coldkey'), { nonce: -1 });
  await provider.send('devnet_upgradeRuntime', [target]);
  while (api.runtimeVersion.specVersion.toNumber() !== target) await sleep(50);
  unsub();
  eq('state_subscribeRuntimeVersion notifications', notified, [before, target]);
  let header = await api.rpc.chain.getHeader();
  for (let i = 0; i < 20 && !header.digest.logs.some((l) => l.isRuntimeEnvironmentUpdated); i++) {
    header = await api.rpc.chain.getHeader(header.parentHash);
  }
  assert(header.digest.logs.some((l) => l.isRuntimeEnvironmentUpdated), 'no header with a RuntimeEnvironmentUpdated digest');
  const enacted = header.number.toNumber();
  const spec = async (hash) => (await api.rpc.state.getRuntimeVersion(hash)).specVersion.toNumber();
  eq(`state_getRuntimeVersion at #${enacted - 1}, #${enacted}`, [await spec(header.parentHash), await spec(header.hash)], [before, target]);
  eq(`Core_version at #${enacted}`, (await (await api.at(header.hash)).call.core.version()).specVersion.toNumber(), target);
  eq(`api.at(#${enacted}).runtimeVersion (the runtime that built it)`, (await api.at(header.hash)).runtimeVersion.specVersion.toNumber(), before);
  const events = await (await api.at(header.hash)).query.system.events();
  assert(eventNames(events).includes('system.CodeUpdated'), `no system.CodeUpdated at #${enacted}: ${eventNames(events)}`);
  // A transaction signed for the old runtime no longer verifies (its signed payload names the spec version).
  let refused = null;
  await stale.send().catch((e) => { refused = e.message; });
  assert(refused && /1010|bad signature/i.test(refused), `a transaction signed with spec ${before} was not refused: ${refused}`);
  const r = await submit(api, api.tx.system.remark('0x02'), keyring.addFromUri('//devnet-coldkey'));
  assert(!r.dispatchError, `remark signed after the upgrade failed: ${r.dispatchError}`);
  const unexpected = background.splice(quiet).filter((m) => !UPGRADE_MESSAGES.some((re) => re.test(m)));
  assert(unexpected.length === 0, `background problems: ${unexpected.join(' | ')}`);
  return `spec ${before} -> ${target} enacted in #${enacted}; old-version transaction refused (${refused.slice(0, 60)})`;
});

current = 'disconnect';
await Promise.race([api.disconnect().catch(() => {}), sleep(2_000)]);
summary();
process.exit(results.every((r) => r.ok) ? 0 : 1);
