/**
 * Composition root: the only place where concrete parts meet (ARCHITECTURE.md).
 *
 * One SQLite file per account holds everything: keystore, account, Helia's blockstore and
 * datastore (peer store, DHT records), every group log and the message index. The libp2p
 * peer key persists in the keystore, so a restart keeps the node's identity and data.
 */
import './polyfills'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EventName } from './api/channels'
import type { EventPayload } from './api/contract'
import { wipe } from './crypto'
import { Groups, type AccountKeys } from './groups/groups'
import { LogReplicator } from './groups/log-sync'
import { VerifyPool } from './groups/verify-pool'
import { createHeliaNode, type BertyHelia } from './net/helia'
import type { BleDriver } from './net/ble/driver'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from './net/libp2p'
import { base64urlEncode } from './protocol/group/codec'
import { createApiHandlers, peersOf, toApiGroup, toApiMessage } from './service/handlers'
import type { Logger } from './service/dispatch'
import type { BertyService, CreateServiceOptions, EventListener } from './service/service'
import { AccountStore, Keystore, openDatabase, SqliteBlockstore, SqliteDatastore, type SqliteDatabase } from './storage'

export const DATABASE_FILE = 'berty.sqlite'

export interface BertyNode extends BertyService {
  readonly libp2p: BertyLibp2p
  readonly helia: BertyHelia
  readonly groups: Groups
  readonly accounts: AccountStore
  readonly db: SqliteDatabase
  readonly replicator: LogReplicator
}

export interface CreateNodeOptions extends CreateServiceOptions {
  /** Disable WebRTC transports (tests on loopback do not need them). */
  webrtc?: boolean
  /** Anti-entropy head exchange period; 0 disables. */
  antiEntropyMs?: number
  /** BLE radio (issue 14 wiring: forwarded to createLibp2pNode). */
  ble?: BleDriver
  /** False: no IP transport, BLE only (`--listen none`). */
  ip?: boolean
}

async function loadAccountKeys(accounts: AccountStore): Promise<AccountKeys | undefined> {
  const info = accounts.get()
  if (!info) return undefined
  return {
    accountPk: info.accountPk,
    accountSeed: await accounts.getAccountSeed(),
    aliasSeed: await accounts.getAliasSeed(),
    ...(info.displayName ? { displayName: info.displayName } : {})
  }
}

export async function createBertyNode(options: CreateNodeOptions): Promise<BertyNode> {
  const log: Logger = options.log ?? (() => {})
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const db = openDatabase(join(options.dataDir, DATABASE_FILE))
  const cleanup: Array<() => Promise<void> | void> = [() => db.close()]
  try {
    const keystore = new Keystore(db, options.encryptionKey)
    await keystore.unlock()
    const accounts = new AccountStore(db, keystore)
    if (accounts.exists()) await accounts.open()
    const peerSeed = await accounts.getOrCreatePeerKey()
    const privateKey = await peerKeyFromSeed(peerSeed)
    wipe(peerSeed)
    const datastore = new SqliteDatastore(db)
    const libp2p = await createLibp2pNode({
      privateKey,
      ...(options.listen ? { listen: options.listen } : {}),
      ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
      ...(options.relays ? { relays: options.relays } : {}),
      datastore,
      ...(options.webrtc === false ? { webrtc: false as const } : {}),
      ...(options.ble != null ? { ble: options.ble } : {}),
      ...(options.ip === false ? { ip: false } : {})
    })
    const helia = await createHeliaNode({ libp2p, blockstore: new SqliteBlockstore(db), datastore })
    await helia.start()
    cleanup.unshift(async () => {
      await helia.stop()
      await libp2p.stop()
    })
    const verifyPool = new VerifyPool()
    cleanup.unshift(() => verifyPool.close())
    const replicator = new LogReplicator({
      libp2p,
      log,
      verifyPool,
      ...(options.antiEntropyMs !== undefined ? { antiEntropyMs: options.antiEntropyMs } : {})
    })
    await replicator.start()
    cleanup.unshift(() => replicator.stop())
    const groups = new Groups({ db, keystore, replicator, log })
    const account = await loadAccountKeys(accounts)
    await groups.start(account)
    cleanup.unshift(() => groups.stop())

    const listeners = new Set<EventListener>()
    const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
      for (const l of listeners) {
        try {
          l(event, payload)
        } catch (err) {
          log('error', 'node: event listener failed', { event, error: String(err) })
        }
      }
    }
    // Group summaries are coalesced per tick: a catch-up of thousands of entries must not
    // recompute and send a summary per entry.
    const dirty = new Map<string, Uint8Array>()
    let flushScheduled = false
    const flushGroups = (): void => {
      flushScheduled = false
      for (const pk of dirty.values()) {
        if (!groups.has(pk)) continue
        const view = groups.get(pk)
        if (view.kind !== 'account' && view.role === 'member') emit('group:updated', { group: toApiGroup(view) })
      }
      dirty.clear()
    }
    const groupChanged = (pk: Uint8Array): void => {
      dirty.set(base64urlEncode(pk), pk)
      if (!flushScheduled) {
        flushScheduled = true
        setImmediate(flushGroups)
      }
    }
    groups.on((e) => {
      const groupPk = base64urlEncode(e.groupPk)
      if (e.type === 'message') {
        emit(e.fresh ? 'message:received' : 'message:updated', { groupPk, message: toApiMessage(e.message) })
        groupChanged(e.groupPk)
      } else if (e.type === 'group') {
        groupChanged(e.groupPk)
      } else {
        emit('sync:progress', { groupPk, log: e.log === 'meta' ? 'metadata' : 'messages', received: e.received, done: e.done })
      }
    })
    const onPeers = (): void => emit('peer:updated', { peers: peersOf(libp2p.getConnections()) })
    libp2p.addEventListener('connection:open', onPeers)
    libp2p.addEventListener('connection:close', onPeers)

    const handlers = createApiHandlers({
      db,
      accounts,
      groups,
      libp2p,
      onAccountCreated: async () => {
        const keys = await loadAccountKeys(accounts)
        if (keys) await groups.setAccount(keys)
      }
    })

    let stopping: Promise<void> | undefined
    const node: BertyNode = {
      handlers,
      libp2p,
      helia,
      groups,
      accounts,
      db,
      replicator,
      onEvent(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      peerId: () => libp2p.peerId.toString(),
      addrs: () => libp2p.getMultiaddrs().map((a) => a.toString()),
      stop() {
        stopping ??= (async () => {
          libp2p.removeEventListener('connection:open', onPeers)
          libp2p.removeEventListener('connection:close', onPeers)
          listeners.clear()
          await runCleanup(cleanup, log)
        })()
        return stopping
      }
    }
    return node
  } catch (err) {
    await runCleanup(cleanup, log)
    throw err
  }
}

/** What the hosts (daemon, Electron main) use. */
export async function createBertyService(options: CreateServiceOptions): Promise<BertyService> {
  return createBertyNode(options)
}

async function runCleanup(steps: Array<() => Promise<void> | void>, log: Logger): Promise<void> {
  for (const step of steps) {
    try {
      await step()
    } catch (err) {
      log('warn', 'node: cleanup step failed', { error: String(err) })
    }
  }
  steps.length = 0
}
