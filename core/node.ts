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
import { ContactManager } from './contacts/manager'
import { wipe } from './crypto'
import { Groups, type AccountKeys } from './groups/groups'
import { groupSync, syncComponentsOf, type GroupSync } from './groups/sync'
import { VerifyPool } from './groups/verify-pool'
import type { Logger } from './log'
import { createHeliaNode, type BertyHelia } from './net/helia'
import type { BleDriver } from './net/ble/driver'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from './net/libp2p'
import { bridgeContactEvents } from './service/contact-handlers'
import { bridgeEvents } from './service/events'
import { advertiseGroups } from './service/group-rendezvous'
import { createApiHandlers } from './service/handlers'
import type { BertyService, CreateServiceOptions } from './service/service'
import { AccountStore, Keystore, openDatabase, SettingsStore, SqliteBlockstore, SqliteDatastore, type SqliteDatabase } from './storage'

export const DATABASE_FILE = 'berty.sqlite'

export interface BertyNode extends BertyService {
  readonly libp2p: BertyLibp2p
  readonly helia: BertyHelia
  readonly groups: Groups
  readonly accounts: AccountStore
  readonly db: SqliteDatabase
  readonly sync: GroupSync
}

export interface CreateNodeOptions extends CreateServiceOptions {
  /** Disable WebRTC transports (tests on loopback do not need them). */
  webrtc?: boolean
  /** Anti-entropy head exchange period; 0 disables. */
  antiEntropyMs?: number
  /** The groups engine's clock (tests move it); default Date.now. */
  now?: () => number
  /** How far back a newly seen member may read this device's messages (core/groups/chain-keeper.ts). */
  handoverWindowMs?: number
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
  // One process per data directory: a second daemon or app on it refuses to start (ERR_LOCKED).
  const db = openDatabase(join(options.dataDir, DATABASE_FILE), { exclusive: true })
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
    // The contact manager answers requests once it exists (below); until then inbound streams are reset.
    const late: { contacts?: ContactManager } = {}
    const libp2p = await createLibp2pNode({
      privateKey,
      ...(options.listen ? { listen: options.listen } : {}),
      ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
      ...(options.relays ? { relays: options.relays } : {}),
      datastore,
      ...(options.webrtc === false ? { webrtc: false as const } : {}),
      ...(options.reach ? { reach: options.reach } : {}),
      ...(options.ble != null ? { ble: options.ble } : {}),
      ...(options.ip === false ? { ip: false } : {}),
      contactRequest: {
        account: () => late.contacts?.responderAccount(),
        onIncomingRequest: (req) => late.contacts?.onIncoming(req),
        log
      }
    })
    const helia = await createHeliaNode({ libp2p, blockstore: new SqliteBlockstore(db), datastore })
    await helia.start()
    cleanup.unshift(async () => {
      await helia.stop()
      await libp2p.stop()
    })
    const verifyPool = new VerifyPool()
    cleanup.unshift(() => verifyPool.close())
    const sync = groupSync({
      log,
      verifyPool,
      ...(options.antiEntropyMs !== undefined ? { antiEntropyMs: options.antiEntropyMs } : {})
    })(syncComponentsOf(libp2p))
    await sync.start()
    cleanup.unshift(() => sync.stop())
    const groups = new Groups({
      db,
      keystore,
      sync,
      log,
      ...(options.now ? { now: options.now } : {}),
      ...(options.handoverWindowMs !== undefined ? { handoverWindowMs: options.handoverWindowMs } : {})
    })
    await groups.start(await loadAccountKeys(accounts))
    cleanup.unshift(() => groups.stop())

    // Members meet by the group alone: every group's rendezvous point on the discovery drivers.
    const discovery = libp2p.services.discovery
    if (discovery) {
      const rendezvous = advertiseGroups(groups, discovery, log)
      cleanup.unshift(() => rendezvous.close())
    }
    // Contacts (issue "Contacts"): a fold of the account group's contact events, with its side effects.
    const contactManager = new ContactManager({
      groups,
      account: async () => {
        const info = accounts.get()
        if (!info) return undefined
        const seeds = await accounts.getRendezvousSeeds()
        return {
          accountPk: info.accountPk,
          accountSeed: await accounts.getAccountSeed(),
          rendezvousSeed: seeds.current,
          ...(info.displayName ? { displayName: info.displayName } : {})
        }
      },
      renewSeed: async (seed) => void (await accounts.renewRendezvousSeed(seed)),
      service: libp2p.services.contactRequest,
      discovery: libp2p.services.discovery,
      remember: async (peer) => {
        if (peer.multiaddrs.length > 0) await libp2p.peerStore.merge(peer.id, { multiaddrs: peer.multiaddrs })
      },
      log
    })
    late.contacts = contactManager
    cleanup.unshift(() => contactManager.stop())
    await contactManager.setAccount()
    const events = bridgeEvents(groups, libp2p, log, (pk, kind) => contactManager.listed(pk, kind))
    const contactEvents = bridgeContactEvents(contactManager, log)
    const handlers = createApiHandlers({
      settings: new SettingsStore(db),
      accounts,
      groups,
      libp2p,
      contacts: contactManager,
      onAccountCreated: async () => {
        const keys = await loadAccountKeys(accounts)
        if (keys) await groups.setAccount(keys)
        await contactManager.setAccount()
      }
    })

    let stopping: Promise<void> | undefined
    return {
      handlers,
      libp2p,
      helia,
      groups,
      accounts,
      db,
      sync,
      onEvent: (listener) => {
        const offs = [events.onEvent(listener), contactEvents.onEvent(listener)]
        return () => offs.forEach((off) => off())
      },
      peerId: () => libp2p.peerId.toString(),
      addrs: () => libp2p.getMultiaddrs().map((a) => a.toString()),
      stop() {
        stopping ??= (async () => {
          events.close()
          contactEvents.close()
          await runCleanup(cleanup, log)
        })()
        return stopping
      }
    }
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
