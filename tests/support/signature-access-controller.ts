/**
 * SPIKE (to be replaced by core/groups' access controller): an OrbitDB 4 access controller that admits an
 * entry only if `entry.payload` = { sealed, sig, pk? } carries a valid Ed25519 signature over `sealed` by a
 * trusted key. The group key travels in the controller address written into the manifest
 * (`/berty-spike-ed25519/<hex pk>`), because OrbitDB calls the registered factory WITHOUT options when a
 * database is opened by address (src/orbitdb.js `open`: `getAccessController(acType)()`).
 *
 * API facts this follows (node_modules/@orbitdb/core/src):
 * - access-controllers/index.js `useAccessController(factory)` registers `factory.type` in a process-global map.
 * - The factory shape is `(options) => async ({ orbitdb, identities, address, name }) => ({ type, address,
 *   canAppend, close?, drop? })`; `address` is set when opening an existing db, `name` when creating one.
 * - oplog/log.js calls `canAppend(entry)` on local `append` (before storing) and, in `joinEntry`, on the head
 *   and on every missing ancestor it traverses, BEFORE `Entry.verify` checks the OrbitDB identity signature.
 */
import { EventEmitter } from 'node:events'
import { ed25519 } from '@noble/curves/ed25519.js'
import {
  useAccessController,
  type AccessControllerContext,
  type AccessControllerFactory,
  type AccessControllerInstance,
  type LogEntry
} from '@orbitdb/core'

export const SPIKE_AC_TYPE = 'berty-spike-ed25519'

export interface SpikePayload {
  sealed: Uint8Array
  sig: Uint8Array
  /** Signer; defaults to the group key from the controller address. */
  pk?: Uint8Array
}

export interface SpikeAccessControllerInstance extends AccessControllerInstance {
  publicKey: string
  /** 'reject' (entry, reason) for every refused entry, 'accept' (entry). */
  events: EventEmitter
  /** Adds a signer key at runtime: models membership learned later (state-dependent admission). */
  trust(publicKey: Uint8Array): void
}

export function signSpikePayload(seed: Uint8Array, sealed: Uint8Array, withPk = false): SpikePayload {
  const sig = ed25519.sign(sealed, seed)
  return withPk ? { sealed, sig, pk: ed25519.getPublicKey(seed) } : { sealed, sig }
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

function parseAddress(address: string): Uint8Array {
  const [, type, hex] = address.split('/')
  if (type !== SPIKE_AC_TYPE || hex == null || !/^[0-9a-f]{64}$/.test(hex)) {
    throw new TypeError(`not a ${SPIKE_AC_TYPE} address: ${address}`)
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array
}

/** Why a payload is refused, or null if admitted. Pure function of (payload, trusted keys). */
export function judgeSpikePayload(payload: unknown, trusted: ReadonlySet<string>, groupKey: string): string | null {
  if (payload == null || typeof payload !== 'object') return 'payload is not an object'
  const p = payload as Partial<SpikePayload>
  if (!isBytes(p.sealed) || !isBytes(p.sig) || p.sig.length !== 64) return 'payload is not { sealed, sig }'
  const pkHex = p.pk == null ? groupKey : isBytes(p.pk) && p.pk.length === 32 ? toHex(p.pk) : null
  if (pkHex == null) return 'bad pk'
  if (!trusted.has(pkHex)) return 'signer not trusted'
  let ok = false
  try {
    ok = ed25519.verify(p.sig, p.sealed, Uint8Array.from(Buffer.from(pkHex, 'hex')))
  } catch {
    ok = false
  }
  return ok ? null : 'bad signature'
}

export const SpikeAccessController = Object.assign(
  (options: { publicKey?: Uint8Array } = {}) =>
    async ({ address }: AccessControllerContext): Promise<SpikeAccessControllerInstance> => {
      const key = address != null ? parseAddress(address) : options.publicKey
      if (key == null || key.length !== 32) throw new TypeError('publicKey (32 bytes) is required to create the db')
      const groupKey = toHex(key)
      const trusted = new Set([groupKey])
      const events = new EventEmitter()
      return {
        type: SPIKE_AC_TYPE,
        address: `/${SPIKE_AC_TYPE}/${groupKey}`,
        publicKey: groupKey,
        events,
        trust: (pk: Uint8Array) => void trusted.add(toHex(pk)),
        canAppend: async (entry: LogEntry) => {
          // An `events` db wraps the value as { op: 'ADD', key: null, value } (src/databases/events.js).
          const body = (entry.payload as { op?: string; value?: unknown })?.op === 'ADD' ? (entry.payload as { value: unknown }).value : entry.payload
          const reason = judgeSpikePayload(body, trusted, groupKey)
          events.emit(reason == null ? 'accept' : 'reject', entry, reason)
          return reason == null
        }
      }
    },
  { type: SPIKE_AC_TYPE }
) satisfies AccessControllerFactory

/** Idempotent: OrbitDB's registry is a process-global map keyed by type. */
export function registerSpikeAccessController(): void {
  useAccessController(SpikeAccessController)
}
