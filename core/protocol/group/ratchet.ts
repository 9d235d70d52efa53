/**
 * Per-device symmetric ratchet state (spec "Encryption", "Exchanging messages"; PROTOCOL.md
 * "Symmetric ratchet"). The key step itself is `deriveNextKeys` in core/crypto.
 *
 * Counter convention: a chain `{chainKey, counter: c}` is the state *before* message c.
 * `deriveNextKeys(chainKey)` gives the message key of message c and the chain key of state c+1.
 * A new sender chain starts at counter 0; the DeviceChainKey shared with members is the sender's
 * current state, so receivers can read message `counter` and later ones, never earlier ones.
 * These are chain positions. On the wire a message's header counter is its position + 1, as weshnet
 * numbers it (secret_store_messages.go: `Counter: ds.Counter + 1`, body nonce u64be(ds.Counter + 1)
 * for the key derived from `ds.ChainKey`); message.ts is the one place that adds and removes the 1,
 * so a DeviceChainKey `{chainKey, counter}` means the same thing here and in weshnet.
 *
 * Claims: forward secrecy — a chain key cannot be rewound, used message keys are deleted, so a
 * member who receives a chain at counter c cannot open messages < c (spec "Forward Secrecy").
 * Skipped keys are cached (bounded, oldest evicted) so out-of-order delivery still decrypts.
 * Disclaims: no post-compromise security (spec "Post-compromise secrecy"): a leaked chain key reads
 * every later message of that device.
 */
import { deriveNextKeys, isAllZero, randomBytes, wipe } from '../../crypto'
import { ReceiverChainState } from '../proto/group'
import { DeviceChainKey as DeviceChainKeyWire } from '../proto/wesh'
import { assertCounterField, assertKeyField, buf, decodeCanonical, decodeWire, encode, KEY_LENGTH, copy, safeNumber } from './codec'
import { GroupProtocolError } from './errors'

/** A device's chain key and its counter, as sent in a Secret entry (spec "New member arrival"). */
export interface DeviceChainKey {
  chainKey: Uint8Array
  counter: number
}

/** The sending side of this device's chain in one group. */
export interface SenderChain {
  chainKey: Uint8Array
  counter: number
}

/** The receiving side of another device's chain. */
export interface ReceiverChain {
  chainKey: Uint8Array
  counter: number
  /**
   * The earliest counter this chain was handed a key for: counters in [start, counter) that are not
   * in `skipped` were read (or evicted); earlier ones were never readable here.
   */
  start: number
  /** Message keys of skipped counters (all in [start, counter)), ascending; each is deleted once used. */
  skipped: Map<number, Uint8Array>
}

export interface ReceiveOptions {
  /** Most keys derived ahead in one step; more → ERR_COUNTER_TOO_FAR. */
  maxSkip?: number
  /** Most skipped keys kept; the oldest are evicted (and then unreadable: ERR_KEY_USED). */
  maxCached?: number
}

export const DEFAULT_MAX_SKIP = 2000
export const DEFAULT_MAX_CACHED = 4000
/** Hard ceiling for `maxCached` and for a deserialized cache (bounds memory and decode work). */
export const MAX_SKIPPED_LIMIT = 20_000
// 10-byte varint counter + 32-byte key + tags and lengths, per skipped entry.
const MAX_SERIALIZED_BYTES = 64 + MAX_SKIPPED_LIMIT * 50

/** PROTOCOL.md: "A new device chain key is 32 random bytes with counter 0". */
export function newSenderChain(): SenderChain {
  return { chainKey: randomBytes(KEY_LENGTH), counter: 0 }
}

function assertLiveChain(chain: { chainKey: Uint8Array; counter: number }, field: string): void {
  assertKeyField(chain.chainKey, `${field}.chainKey`)
  assertCounterField(chain.counter, `${field}.counter`)
  // A wiped chain would silently derive keys from zeros and reuse nonces; refuse it.
  if (isAllZero(chain.chainKey)) {
    throw new GroupProtocolError('ERR_KEY_USED', `${field} was already consumed (wiped)`)
  }
}

export interface SendStep {
  messageKey: Uint8Array
  counter: number
  next: SenderChain
}

/**
 * The message key for message `chain.counter` and the chain for the next message. Consumes `chain`:
 * its chain key is wiped, so the same key and nonce can never seal two plaintexts. Persist `next`
 * before publishing the message.
 */
export function nextSendKey(chain: SenderChain, groupPk: Uint8Array): SendStep {
  assertLiveChain(chain, 'chain')
  assertKeyField(groupPk, 'groupPk')
  if (!Number.isSafeInteger(chain.counter + 1)) {
    throw new GroupProtocolError('ERR_COUNTER_TOO_FAR', 'sender chain counter exhausted')
  }
  const step = deriveNextKeys(chain.chainKey, groupPk)
  const counter = chain.counter
  wipe(chain.chainKey)
  return { messageKey: step.messageKey, counter, next: { chainKey: step.chainKey, counter: counter + 1 } }
}

/** A copy of the sender's current state to put in a Secret entry. */
export function shareableChainKey(chain: SenderChain): DeviceChainKey {
  assertLiveChain(chain, 'chain')
  return { chainKey: copy(chain.chainKey), counter: chain.counter }
}

export function receiverChainFrom(dck: DeviceChainKey): ReceiverChain {
  assertLiveChain(dck, 'deviceChainKey')
  return { chainKey: copy(dck.chainKey), counter: dck.counter, start: dck.counter, skipped: new Map() }
}

/**
 * A second key of the same device's chain that starts before `chain` (spec "Exchanging messages";
 * weshnet posts one key per device and member, but a device that lost its log after gossiping a
 * key posts another): the messages in [key.counter, chain.start) become readable, the chain itself
 * stays where it is. Replacing the chain by the earlier key instead set it back: past DEFAULT_MAX_SKIP
 * messages read since, everything the device wrote next was unreadable. Returns undefined when the
 * chain already covers the key, or when the range is longer than `maxCached` keys could hold
 * (deriving it would be unbounded work for keys evicted at once). Pure: `chain` is untouched.
 */
export function mergeEarlierKey(chain: ReceiverChain, dck: DeviceChainKey, groupPk: Uint8Array, opts: ReceiveOptions = {}): ReceiverChain | undefined {
  assertLiveChain(chain, 'chain')
  assertLiveChain(dck, 'deviceChainKey')
  assertKeyField(groupPk, 'groupPk')
  const { maxCached } = resolveOptions(opts)
  if (dck.counter >= chain.start) return undefined
  const count = chain.start - dck.counter
  if (count > maxCached) return undefined
  const skipped = new Map<number, Uint8Array>()
  let chainKey = copy(dck.chainKey)
  for (let c = dck.counter; c < chain.start; c++) {
    const step = deriveNextKeys(chainKey, groupPk)
    wipe(chainKey)
    chainKey = step.chainKey
    skipped.set(c, step.messageKey)
  }
  wipe(chainKey)
  // Ascending: the earlier range first, then the chain's own skipped keys (all >= start).
  for (const [c, k] of chain.skipped) skipped.set(c, copy(k))
  evictOldest(skipped, maxCached)
  return { chainKey: copy(chain.chainKey), counter: chain.counter, start: dck.counter, skipped }
}

export interface ReceiveStep {
  messageKey: Uint8Array
  /** The chain after this message; shares no buffer with the input chain. */
  chain: ReceiverChain
}

function resolveOptions(opts: ReceiveOptions): { maxSkip: number; maxCached: number } {
  const maxSkip = opts.maxSkip ?? DEFAULT_MAX_SKIP
  const maxCached = opts.maxCached ?? DEFAULT_MAX_CACHED
  if (!Number.isSafeInteger(maxSkip) || maxSkip < 0 || maxSkip > MAX_SKIPPED_LIMIT) {
    throw new GroupProtocolError('ERR_MALFORMED', `maxSkip must be an integer in 0..${MAX_SKIPPED_LIMIT}`)
  }
  if (!Number.isSafeInteger(maxCached) || maxCached < 0 || maxCached > MAX_SKIPPED_LIMIT) {
    throw new GroupProtocolError('ERR_MALFORMED', `maxCached must be an integer in 0..${MAX_SKIPPED_LIMIT}`)
  }
  return { maxSkip, maxCached }
}


/**
 * The message key of `counter` from another device's chain (spec "Exchanging messages": "rotate the
 * sender's chain key until they reach the message counter"). Pure: `chain` is untouched, so a caller
 * whose body check then fails keeps its old state (`wipeReceiverChain(step.chain, chain)`); once it
 * commits the returned chain, it calls `wipeReceiverChain(chain, step.chain)`. The returned chain no
 * longer holds `messageKey` (deleted after use).
 *
 * The returned chain shares skipped keys with `chain` instead of copying them: the same Map when the
 * message is the next one (the common case, whatever the cache holds), else a new Map holding the
 * same key buffers. Copying every cached key per message cost 2.2 ms and 156 KB at 4,000 keys
 * (chain-keeper.ts). So a chain is never changed in place, and is wiped only through
 * `wipeReceiverChain`, which spares what its successor still holds.
 */
export function receiveKey(
  chain: ReceiverChain,
  groupPk: Uint8Array,
  counter: number,
  opts: ReceiveOptions = {}
): ReceiveStep {
  assertLiveChain(chain, 'chain')
  assertKeyField(groupPk, 'groupPk')
  assertCounterField(counter, 'counter')
  const { maxSkip, maxCached } = resolveOptions(opts)

  if (counter < chain.counter) {
    const cached = chain.skipped.get(counter)
    if (cached === undefined) {
      throw new GroupProtocolError('ERR_KEY_USED', `no key for counter ${counter}: used, evicted or before the chain`)
    }
    const skipped = new Map(chain.skipped)
    skipped.delete(counter)
    return { messageKey: copy(cached), chain: { chainKey: copy(chain.chainKey), counter: chain.counter, start: chain.start, skipped } }
  }
  if (counter - chain.counter > maxSkip) {
    throw new GroupProtocolError(
      'ERR_COUNTER_TOO_FAR',
      `counter ${counter} is ${counter - chain.counter} ahead of the chain (max ${maxSkip})`
    )
  }

  // The next message: the cache is unchanged, so shared as it is.
  const skipped = counter === chain.counter ? chain.skipped : new Map(chain.skipped)
  let chainKey = chain.chainKey
  let messageKey: Uint8Array | undefined
  for (let c = chain.counter; c <= counter; c++) {
    const step = deriveNextKeys(chainKey, groupPk)
    // Superseded intermediate chain keys go; the caller's own chain key is theirs to wipe.
    if (chainKey !== chain.chainKey) wipe(chainKey)
    chainKey = step.chainKey
    if (c === counter) messageKey = step.messageKey
    else skipped.set(c, step.messageKey)
  }
  // Not wiped here: `chain` may still hold them (the caller's wipe of the superseded chain does).
  evictOldest(skipped, maxCached, false)
  if (messageKey === undefined) throw new GroupProtocolError('ERR_MALFORMED', 'unreachable: no key derived')
  return { messageKey, chain: { chainKey, counter: counter + 1, start: chain.start, skipped } }
}

/** Insertion order is ascending counter order (new keys are always above the cached ones). */
function evictOldest(skipped: Map<number, Uint8Array>, maxCached: number, wipeEvicted = true): void {
  while (skipped.size > maxCached) {
    const first = skipped.entries().next()
    if (first.done === true) break
    const [c, k] = first.value
    if (wipeEvicted) wipe(k)
    skipped.delete(c)
  }
}

export function wipeSenderChain(chain: SenderChain): void {
  wipe(chain.chainKey)
}

/**
 * Wipes `chain`'s keys. With `successor` (a chain `receiveKey` derived from `chain`, or the chain it
 * was derived from): the skipped keys `successor` still holds are spared, so the one that is kept stays
 * whole. Without it, everything goes, so a chain that shares keys with a live one must name it.
 */
export function wipeReceiverChain(chain: ReceiverChain, successor?: ReceiverChain): void {
  if (chain.chainKey !== successor?.chainKey) wipe(chain.chainKey)
  if (successor === undefined) {
    for (const k of chain.skipped.values()) wipe(k)
    chain.skipped.clear()
    return
  }
  if (chain.skipped === successor.skipped) return
  for (const [c, k] of chain.skipped) if (successor.skipped.get(c) !== k) wipe(k)
}

/** Protobuf for local persistence; the caller stores it encrypted (it holds live keys). */
export function serializeReceiverChain(chain: ReceiverChain): Uint8Array {
  assertLiveChain(chain, 'chain')
  const skipped = [...chain.skipped.entries()].sort((a, b) => a[0] - b[0])
  if (skipped.length > MAX_SKIPPED_LIMIT) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `more than ${MAX_SKIPPED_LIMIT} skipped keys`)
  }
  return encode(ReceiverChainState.codec(), {
    chainKey: buf(chain.chainKey),
    counter: chain.counter,
    start: chain.start,
    skipped: skipped.map(([counter, key]) => {
      assertCounterField(counter, 'skipped.counter')
      assertKeyField(key, 'skipped.messageKey')
      return { counter, messageKey: buf(key) }
    })
  })
}

export function deserializeReceiverChain(bytes: Uint8Array): ReceiverChain {
  const state = decodeCanonical(ReceiverChainState.codec(), bytes, MAX_SERIALIZED_BYTES, 'receiver chain')
  assertKeyField(state.chainKey, 'chainKey')
  assertCounterField(state.counter, 'counter')
  if (state.skipped.length > MAX_SKIPPED_LIMIT) {
    throw new GroupProtocolError('ERR_TOO_LARGE', `more than ${MAX_SKIPPED_LIMIT} skipped keys`)
  }
  // Stored before chains kept their start: the lowest counter known to be in the chain.
  const start = state.start ?? Math.min(state.counter, state.skipped[0]?.counter ?? state.counter)
  assertCounterField(start, 'start')
  const skipped = new Map<number, Uint8Array>()
  let previous = start - 1
  for (const s of state.skipped) {
    assertCounterField(s.counter, 'skipped.counter')
    assertKeyField(s.messageKey, 'skipped.messageKey')
    // Canonical form is strictly ascending, from start and below the chain counter.
    if (s.counter <= previous || s.counter >= state.counter) {
      throw new GroupProtocolError('ERR_MALFORMED', 'skipped counters must be ascending, unique, from start and below counter')
    }
    previous = s.counter
    skipped.set(s.counter, copy(s.messageKey))
  }
  if (start > state.counter) throw new GroupProtocolError('ERR_MALFORMED', 'chain start is past its counter')
  const chain: ReceiverChain = { chainKey: copy(state.chainKey), counter: state.counter, start, skipped }
  assertLiveChain(chain, 'chain')
  return chain
}

/**
 * weshnet's DeviceChainKey protobuf (the plaintext of a Secret entry's box). Same counter meaning as
 * weshnet: a chain `{chainKey, counter: c}` reads the message whose header counter is c + 1 first
 * (message.ts maps header counters to chain positions).
 */
export function encodeDeviceChainKey(dck: DeviceChainKey): Uint8Array {
  assertLiveChain(dck, 'deviceChainKey')
  return DeviceChainKeyWire.encode({ chainKey: dck.chainKey, counter: BigInt(dck.counter) })
}

export function decodeDeviceChainKey(bytes: Uint8Array): DeviceChainKey {
  const w = decodeWire(DeviceChainKeyWire, bytes, 64, 'device chain key')
  assertKeyField(w.chainKey, 'chainKey')
  const dck = { chainKey: copy(w.chainKey), counter: safeNumber(w.counter, 'counter') }
  assertLiveChain(dck, 'deviceChainKey')
  return dck
}
