/**
 * Composition root: the only place where concrete parts meet (ARCHITECTURE.md).
 *
 * One SQLite file per account holds everything: keystore, account, Helia's blockstore and
 * datastore (peer store, DHT records), every group log and the message index. The libp2p
 * peer key persists in the keystore, so a restart keeps the node's identity and data.
 */
import './polyfills'
import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { ContactManager } from './contacts/manager'
import { getCurveProvider, getSalsaBackend, sodiumUnavailableReason, wipe } from './crypto'
import { Groups, type AccountKeys } from './groups/groups'
import { groupSync, syncComponentsOf, type GroupSync } from './groups/sync'
import { VerifyPool } from './groups/verify-pool'
import type { Logger } from './log'
import { AccountGroupSync } from './linking/account-sync'
import { DeviceLinking } from './linking/linking'
import { createHeliaNode, type BertyHelia } from './net/helia'
import type { BleDriver } from './net/ble/driver'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from './net/libp2p'
import { replicationComponentsOf, replicationService } from './net/replication'
import { AccountReplicas, META_REPLICA_OF, ReplicaDeviceRole } from './replication/device'
import { ReplicaClient } from './replication/member'
import { ReplicationServer, type ReplicaLimits } from './replication/server'
import { bridgeContactEvents } from './service/contact-handlers'
import { bridgeEvents } from './service/events'
import { advertiseGroups } from './service/group-rendezvous'
import { bridgeDeviceEvents } from './service/device-handlers'
import { createApiHandlers } from './service/handlers'
import { guardReplicaDevice } from './service/replica-guard'
import { describeDamage, guardDamage } from './service/damage-guard'
import { repairIfRequested, requestRepair } from './service/repair-request'
import { storedReachSettings } from './service/network-handlers'
import { keepGroupPeers } from './net/group-peers'
import { driverSpecs, reachOptions } from './net/reach-config'
import type { ReachSettingsT } from './api/contract'
import type { BertyService, CreateServiceOptions } from './service/service'
import {
  AccountStore,
  DeviceStore,
  Keystore,
  openDatabase,
  ReplicationStore,
  SettingsStore,
  SqliteBlockstore,
  SqliteDatastore,
  TOKEN_STORE_FILE,
  TokenStore,
  type SqliteDatabase
} from './storage'

export const DATABASE_FILE = 'berty.sqlite'

export interface BertyNode extends BertyService {
  readonly libp2p: BertyLibp2p
  readonly helia: BertyHelia
  readonly groups: Groups
  readonly accounts: AccountStore
  readonly db: SqliteDatabase
  readonly sync: GroupSync
  /** Present in replication-server mode (issue 13). */
  readonly replicationServer?: ReplicationServer
  readonly linking: DeviceLinking
  readonly accountSync: AccountGroupSync
  /** The account's replication devices, as this (full) device pushes groups to them. */
  readonly accountReplicas: AccountReplicas
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
  /** A radio that is not usable (e.g. `unsupported`): not a transport, only the Network panel's status line. */
  bleUnavailable?: BleDriver
  /**
   * How this host opens the machine's radio when the user turned Bluetooth on (stored reach setting
   * `ble`, applied at start): the desktop app passes the hardware driver, loaded lazily.
   */
  bleFactory?: () => Promise<BleDriver>
  /** False: no IP transport, BLE only (`--listen none`). */
  ip?: boolean
  /** Replication-server mode (issue 13): serve any group a member asks for with a valid token. */
  replicationServer?: { limits?: Partial<ReplicaLimits> }
  /**
   * Replication device (`--replica`): link to an account as its replica (core/replication/device.ts). A data
   * directory linked as one stays one at every start, with or without the option.
   */
  replicaDevice?: boolean
  /** This device's name as linked devices show it (default: the host name). */
  deviceName?: string
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
  log('info', 'crypto: secretbox backend', { backend: getSalsaBackend().name, curve: getCurveProvider().name, reason: sodiumUnavailableReason })
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  // A repair the person asked for (node:repair) runs before the file is opened.
  const repaired = repairIfRequested(options.dataDir, DATABASE_FILE, log)
  // One process per data directory: a second daemon or app on it refuses to start (ERR_LOCKED).
  let db: SqliteDatabase
  try {
    db = openDatabase(join(options.dataDir, DATABASE_FILE), { exclusive: true })
  } catch (err) {
    // The start-failure line says what the repair asked for did too (start-failure.ts).
    if (repaired && err !== null && typeof err === 'object') Object.assign(err, { repairOutcome: repaired })
    throw err
  }
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
    const settings = new SettingsStore(db)
    // The user's reach settings (Network panel) merged with the host's flags; applied at each start.
    // Also on each change from the Network panel (network-handlers.ts applies it live).
    const effective = (stored: ReachSettingsT): ReachSettingsT => options.reachSettings
      ? {
          lan: stored.lan && options.reachSettings.lan !== false,
          dht: stored.dht && options.reachSettings.dht !== false,
          rendezvousServers: union(stored.rendezvousServers, options.reachSettings.rendezvousServers),
          relays: union(stored.relays, options.relays),
          ble: options.ble != null || (stored.ble && options.bleFactory != null)
        }
      : { ...stored, relays: union(stored.relays, options.relays), ble: options.ble != null }
    const running = effective(storedReachSettings(settings))
    let ble = options.ble
    let bleUnavailable = options.bleUnavailable
    if (ble == null && running.ble && options.bleFactory) {
      // A missing adapter or permission is a status line in the Network panel, never a failed start.
      try {
        const radio = await options.bleFactory()
        if (radio.status().state === 'ready') ble = radio
        else {
          log('warn', 'ble: radio not available; continuing without it', { driver: radio.name, ...radio.status() })
          bleUnavailable = radio
        }
      } catch (err) {
        log('warn', 'ble: could not open the radio', { error: String(err) })
      }
    }
    const reach = options.reach ?? (options.reachSettings ? reachOptions({ ...options.reachSettings, ...running }, log) : undefined)
    // The contact manager answers requests once it exists (below); until then inbound streams are reset.
    const late: { contacts?: ContactManager } = {}
    const libp2p = await createLibp2pNode({
      privateKey,
      ...(options.listen ? { listen: options.listen } : {}),
      ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
      ...(running.relays.length > 0 ? { relays: running.relays } : {}),
      datastore,
      ...(options.webrtc === false ? { webrtc: false as const } : {}),
      ...(reach ? { reach } : {}),
      ...(ble != null ? { ble } : {}),
      ...(options.ip === false ? { ip: false } : {}),
      log,
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
    void verifyPool.backends.then((backends) => log('info', 'crypto: verify workers', { backends }))
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
    // A replica's lapsed groups are not advertised (late: the server starts below).
    const late2: { server?: ReplicationServer } = {}
    const discovery = libp2p.services.discovery
    const rendezvous = discovery ? advertiseGroups(groups, discovery, log, { serving: (pk) => late2.server?.serving(pk) ?? true }) : undefined
    if (rendezvous) cleanup.unshift(() => rendezvous.close())
    // Group peers are kept under the connection cap and redialled after a drop (core/net/group-peers.ts).
    cleanup.unshift(keepGroupPeers({ peerStore: libp2p.peerStore, pubsub: libp2p.services.pubsub }, log))
    // Replication servers (issue 13): every node can ask one; a server answers with its decision.
    const replicationStore = new ReplicationStore(db)
    let replicationServer: ReplicationServer | undefined
    const replication = replicationService({
      onRequest: (request, peer) =>
        replicationServer
          ? replicationServer.handle(request, peer)
          : Promise.resolve({ ok: false as const, code: 'ERR_NOT_SERVING', message: 'this node is not a replication server' }),
      log
    })(replicationComponentsOf(libp2p))
    await replication.start()
    cleanup.unshift(() => replication.stop())
    // A replication device is a replication server bound to its account; the token book says whether this directory is one.
    const tokenBook = join(options.dataDir, TOKEN_STORE_FILE)
    let tokens: TokenStore | undefined
    if (options.replicationServer || options.replicaDevice || existsSync(tokenBook)) {
      const book = TokenStore.open(tokenBook)
      cleanup.unshift(() => book.close())
      tokens = book
    }
    const replicaDevice = tokens !== undefined && (options.replicaDevice === true || tokens.getMeta(META_REPLICA_OF) !== undefined)
    if (replicaDevice && accounts.exists()) throw new Error('this data directory holds an account: it cannot be a replication device')
    let replicaRole: ReplicaDeviceRole | undefined
    if (tokens && (options.replicationServer || replicaDevice)) {
      const tokenKeystore = new Keystore(tokens.db, options.encryptionKey)
      cleanup.unshift(() => tokenKeystore.lock())
      await tokenKeystore.unlock()
      const server = new ReplicationServer({
        groups,
        detach: (topic) => sync.remove(topic),
        store: replicationStore,
        tokens,
        tokenKeystore,
        peerId: libp2p.peerId,
        ...(options.replicationServer?.limits ? { limits: options.replicationServer.limits } : {}),
        log,
        onServingChange: () => rendezvous?.refresh(),
        replicaOf: () => replicaRole?.linkedTo()
      })
      await server.start()
      replicationServer = server
      late2.server = server
      rendezvous?.refresh()
      cleanup.unshift(() => server.stop())
      if (replicaDevice) replicaRole = new ReplicaDeviceRole({ tokens, tokenKeystore, server, peerId: libp2p.peerId.toString(), log })
    }
    // The account's replication devices: this device (when it is a full one) asks each to serve the account's groups.
    const accountReplicas = new AccountReplicas({
      groups,
      store: replicationStore,
      service: replication,
      onPeerConnect: (cb) => {
        const on = (evt: CustomEvent<{ toString(): string }>): void => cb(evt.detail.toString())
        libp2p.addEventListener('peer:connect', on)
        return () => libp2p.removeEventListener('peer:connect', on)
      },
      log
    })
    accountReplicas.start()
    cleanup.unshift(() => accountReplicas.stop())
    const replicaClient = new ReplicaClient({
      groups,
      store: replicationStore,
      service: replication,
      dial: (addr, signal) => libp2p.dial(addr, { signal }),
      connected: (peerId) => libp2p.getConnections().some((c) => c.remotePeer.toString() === peerId),
      log
    })
    replicaClient.start()
    cleanup.unshift(() => replicaClient.stop())

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
          aliasPk: info.aliasPk,
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

    // Spec "Linking Devices": the account's groups follow it across devices (AccountGroupJoined/Left).
    const accountSync = new AccountGroupSync(groups, log)
    accountSync.start()
    cleanup.unshift(() => accountSync.stop())
    const adoptAccount = async (): Promise<void> => {
      const keys = await loadAccountKeys(accounts)
      if (keys) await groups.setAccount(keys)
      await accountSync.reconcile()
      await contactManager.setAccount()
    }
    const linking = new DeviceLinking({
      libp2p,
      accounts,
      devices: new DeviceStore(keystore),
      groups,
      accountSync,
      adoptAccount,
      deviceName: (options.deviceName ?? hostname()).slice(0, 64) || 'Device',
      replica: {
        ...(replicaRole ? { storeReplica: (b, p) => replicaRole.storeReplica(b, p) } : {}),
        onLinked: (peer, token) => accountReplicas.recordLinked(peer, token)
      },
      log
    })
    await linking.start()
    cleanup.unshift(() => linking.stop())
    const events = bridgeEvents(groups, libp2p, log, (pk, kind) => contactManager.listed(pk, kind), db.health)
    const contactEvents = bridgeContactEvents(contactManager, log)
    const allHandlers = createApiHandlers({
      settings,
      network: {
        settings,
        libp2p,
        running,
        effective,
        ...(options.reachSettings ? { driverSpecs: (s: ReachSettingsT) => driverSpecs({ ...options.reachSettings, ...s }) } : {}),
        ...(ble != null ? { ble } : bleUnavailable != null ? { ble: bleUnavailable } : {})
      },
      accounts,
      groups,
      libp2p,
      contacts: contactManager,
      onAccountCreated: adoptAccount,
      linking,
      damaged: () => (db.health.damage ? describeDamage(db.health.damage, options.dataDir) : null),
      repaired,
      requestRepair: () => {
        requestRepair(options.dataDir)
        log('info', 'storage: a repair was asked for; it runs at the next start', { restarting: options.restart !== undefined })
        if (!options.restart) return { restarting: false }
        // After the answer has gone out.
        setTimeout(options.restart, 50)
        return { restarting: true }
      },
      replication: { store: replicationStore, client: replicaClient, ...(replicationServer ? { server: replicationServer } : {}) }
    })
    const guarded = replicaDevice ? guardReplicaDevice(allHandlers, { linked: () => replicaRole?.linkedTo() !== undefined }) : allHandlers
    const handlers = guardDamage(guarded, db.health, options.dataDir)
    db.health.onDamaged((damage) => log('error', 'storage: the database is damaged', { file: db.path, reason: damage.reason }))

    let stopping: Promise<void> | undefined
    return {
      handlers,
      libp2p,
      helia,
      groups,
      accounts,
      db,
      sync,
      ...(replicationServer ? { replicationServer } : {}),
      linking,
      accountSync,
      accountReplicas,
      onEvent: (listener) => {
        const offs = [
          events.onEvent(listener),
          contactEvents.onEvent(listener),
          bridgeDeviceEvents(linking, listener),
          db.health.onDamaged((damage) => listener('node:damaged', { message: describeDamage(damage, options.dataDir) }))
        ]
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
export async function createBertyService(options: CreateNodeOptions): Promise<BertyService> {
  return createBertyNode(options)
}

function union(...lists: Array<string[] | undefined>): string[] {
  return [...new Set(lists.flatMap((l) => l ?? []))]
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
