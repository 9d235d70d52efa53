/**
 * Keeps a circuit relay v2 reservation on each relay the user names (Network panel, `--use-relay`), and
 * lets that list change while the node runs.
 *
 * Why not libp2p's own handling: a relay named in the listen addresses gets one reservation attempt at
 * start; js-libp2p's reservation store drops a "configured" reservation when the connection to the relay
 * closes and never makes it again (`reservation-store.js`: only "discovered" slots are searched again),
 * so after a network drop the node stayed unreachable through its relay for good. Here each relay has a
 * loop: no reservation → dial and listen on `<relay>/p2p-circuit`, retrying with backoff (1 s doubling to
 * 60 s; a lost relay connection or a network change retries at once), and checks again every 30 s.
 *
 * Claims: removing a relay ends its loop, its keep-alive tag and our connections to it (the reservation
 * and its `/p2p-circuit` addresses go with the connection). Every attempt has a deadline.
 * Each relay's circuit listener is made once, by its first `listen`, and asked to listen again after a
 * lost reservation: js-libp2p never closes a circuit listener whose relay went (closing one cancels
 * every relay's reservations), so listening anew through the transport manager left one more listener,
 * with its listeners on the reservation store, per reconnection for as long as the node ran.
 */
import type { Libp2pEvents, Listener, PeerId, PeerStore, Startable, TypedEventTarget } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { silentLogger, type Logger } from '../log'
import { errorText } from './discovery/driver'
import { abortableSleep, Waker } from './discovery/wait'
import { deadline } from './deadline'

export interface RelayKeeperComponents {
  peerId: PeerId
  peerStore: PeerStore
  transportManager: { listen(addrs: Multiaddr[]): Promise<void>; getListeners(): Listener[] }
  addressManager: { getAddresses(): Multiaddr[] }
  connectionManager: {
    openConnection(peer: Multiaddr, options?: { signal?: AbortSignal }): Promise<unknown>
    closeConnections(peer: PeerId, options?: { signal?: AbortSignal }): Promise<void>
  }
  events: TypedEventTarget<Libp2pEvents>
}

export interface RelayKeeperInit {
  /** Relays, each a multiaddr ending in `/p2p/<relay id>`. */
  relays: string[]
  /** Tag put on the relays: must start with `keep-alive` for libp2p's reconnect queue to redial them. */
  tag: string
  log?: Logger
  /** Retry backoff. Default 1 s → 60 s. */
  backoff?: { minMs: number; maxMs: number }
  /** Check period while reserved. Default 30 s. */
  checkMs?: number
}

export interface RelayState {
  relay: string
  reserved: boolean
  failures: number
  lastError?: string
}

export interface RelayKeeper extends Startable {
  /** Uses exactly these relays from now on. Throws a TypeError on an address without `/p2p/<id>`. */
  set(relays: string[]): Promise<void>
  status(): RelayState[]
}

interface Kept {
  addr: Multiaddr
  id: PeerId
  ctl: AbortController
  state: RelayState
  /** The circuit listener the first `listen` on this relay made: listens again for every later reservation. */
  listener?: Listener
}

class Keeper implements RelayKeeper {
  readonly [Symbol.toStringTag] = '@berty/relay-keeper'
  private readonly kept = new Map<string, Kept>()
  private readonly waker = new Waker()
  private firstListen: Promise<unknown> = Promise.resolve()
  private readonly log: Logger
  private wanted: string[]
  private running = false

  constructor(private readonly components: RelayKeeperComponents, private readonly init: RelayKeeperInit) {
    this.log = init.log ?? silentLogger
    this.wanted = init.relays
    for (const r of init.relays) parseRelay(r)
  }

  start(): void {}

  async afterStart(): Promise<void> {
    this.running = true
    this.components.events.addEventListener('peer:disconnect', this.onDisconnect)
    await this.set(this.wanted)
  }

  async stop(): Promise<void> {
    this.running = false
    this.components.events.removeEventListener('peer:disconnect', this.onDisconnect)
    for (const k of this.kept.values()) k.ctl.abort()
    this.kept.clear()
  }

  async set(relays: string[]): Promise<void> {
    const parsed = new Map(relays.map((r) => {
      const p = parseRelay(r)
      return [p.addr.toString(), p]
    }))
    this.wanted = [...parsed.keys()]
    if (!this.running) return
    for (const [key, k] of [...this.kept]) {
      if (parsed.has(key)) continue
      this.kept.delete(key)
      k.ctl.abort()
      // Another entry may name the same relay by another address: keep its connection then.
      if ([...this.kept.values()].some((o) => o.id.equals(k.id))) continue
      await this.components.peerStore.merge(k.id, { tags: { [this.init.tag]: undefined } }).catch(() => {})
      await this.components.connectionManager.closeConnections(k.id, { signal: AbortSignal.timeout(5_000) }).catch(() => {})
      this.log('info', 'relay removed', { relay: k.id.toString() })
    }
    for (const [key, p] of parsed) {
      if (this.kept.has(key)) continue
      const k: Kept = { ...p, ctl: new AbortController(), state: { relay: key, reserved: false, failures: 0 } }
      this.kept.set(key, k)
      void this.keep(k)
    }
  }

  status(): RelayState[] {
    return [...this.kept.values()].map((k) => ({ ...k.state, reserved: this.reserved(k.id) }))
  }

  private reserved(relay: PeerId): boolean {
    const marker = `/p2p/${relay.toString()}/p2p-circuit`
    return this.components.addressManager.getAddresses().some((a) => a.toString().includes(marker))
  }

  private async keep(k: Kept): Promise<void> {
    const { minMs, maxMs } = this.init.backoff ?? { minMs: 1_000, maxMs: 60_000 }
    const signal = k.ctl.signal
    while (!signal.aborted) {
      if (!this.reserved(k.id)) {
        try {
          await this.components.peerStore.merge(k.id, { multiaddrs: [k.addr.decapsulateCode(421)], tags: { [this.init.tag]: { value: 50 } } })
          const attempt = deadline(20_000, signal)
          try {
            await this.components.connectionManager.openConnection(k.addr, { signal: attempt })
          } finally {
            attempt.clear()
          }
          if (signal.aborted) return
          await this.listen(k)
          if (k.state.failures > 0 || !k.state.reserved) this.log('info', 'relay reservation made', { relay: k.id.toString(), after: k.state.failures })
          k.state.failures = 0
          k.state.reserved = true
        } catch (err) {
          if (signal.aborted) return
          k.state.failures++
          k.state.reserved = false
          k.state.lastError = errorText(err)
          this.log(k.state.failures === 1 ? 'warn' : 'debug', 'relay reservation failed', { relay: k.id.toString(), failures: k.state.failures, error: k.state.lastError })
        }
      }
      const wait = k.state.failures === 0 ? (this.init.checkMs ?? 30_000) : Math.min(maxMs, minMs * 2 ** Math.min(k.state.failures - 1, 16))
      await abortableSleep(wait, signal, this.waker)
    }
  }

  /** `<relay>/p2p-circuit` on the relay's own listener, made by the transport manager the first time. */
  private async listen(k: Kept): Promise<void> {
    const circuit = k.addr.encapsulate('/p2p-circuit')
    if (k.listener) return k.listener.listen(circuit)
    // One first listen at a time across relays, so the new listener is told apart from the others'.
    const run = this.firstListen.then(async () => {
      const before = new Set(this.components.transportManager.getListeners())
      try {
        await this.components.transportManager.listen([circuit])
      } finally {
        // Kept even when that listen failed: the transport manager keeps it too.
        k.listener ??= this.components.transportManager.getListeners().find((l) => !before.has(l))
      }
    })
    this.firstListen = run.catch(() => undefined)
    return run
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    for (const k of this.kept.values()) {
      if (!k.id.equals(evt.detail)) continue
      k.state.reserved = false
      k.state.failures = 0
      this.log('info', 'relay connection lost: reserving again', { relay: k.id.toString() })
      // Give libp2p a moment to withdraw the reservation's addresses before checking again.
      setTimeout(() => this.waker.wake(), 500).unref?.()
    }
  }
}

function parseRelay(relay: string): { addr: Multiaddr; id: PeerId } {
  let addr: Multiaddr
  try {
    addr = multiaddr(relay)
  } catch {
    throw new TypeError(`relay is not a multiaddr: ${relay.slice(0, 200)}`)
  }
  const id = addr.getComponents().findLast((c) => c.name === 'p2p')?.value
  if (id == null) throw new TypeError(`relay must end in /p2p/<id>: ${relay.slice(0, 200)}`)
  return { addr, id: peerIdFromString(id) }
}

export function relayKeeper(init: RelayKeeperInit): (components: RelayKeeperComponents) => RelayKeeper {
  return (components) => new Keeper(components, init)
}
