/**
 * The outgoing side of a contact request (weshnet contact_request_manager.go `enqueueRequest`): while a
 * request is queued, watch the responder's current public rendezvous point (rotating, PROTOCOL.md
 * "Public RDV point"), and run the handshake plus the sixth frame with each peer found there until one
 * succeeds; then report it (the manager posts OutgoingSent). Between rounds it waits with a doubling
 * backoff (1 s → 60 s), cut short when discovery reports a peer at the point. A restart simply starts a
 * new worker for every request the account log still has queued.
 *
 * Claims: one run per peer at a time; every exchange has the contact-request service's deadline and
 * ends when the worker is cancelled; the last failure is kept (readable by the UI) and never logged
 * with keys.
 * Disclaims: a peer found at the point is only a candidate; the handshake proves the account key.
 */
import type { PeerInfo } from '@libp2p/interface'
import type { Logger } from '../log'
import { base64Std } from '../protocol/rendezvous'
import type { Discovery, FoundPeer } from '../net/discovery/discovery'
import { RendezvousRotation, type RotatingTopic } from '../net/discovery/rotation'
import { abortableSleep, Waker } from '../net/discovery/wait'
import { deadline } from '../net/deadline'

export interface OutgoingTarget {
  accountPk: Uint8Array
  rendezvousSeed: Uint8Array
  ownMetadata: Uint8Array
}

export interface OutgoingDeps {
  discovery: Discovery | undefined
  /** Runs one handshake + sixth frame with `peer`; rejects with the reason it failed. */
  send(peer: PeerInfo, target: OutgoingTarget, signal: AbortSignal): Promise<void>
  /** The request reached the responder. */
  delivered(target: OutgoingTarget): Promise<void>
  /** The last failure, for the UI (a short text, no secrets), or undefined when a round starts clean. */
  failed(target: OutgoingTarget, reason: string | undefined): void
  log: Logger
  /** Backoff bounds (tests shorten them). */
  minDelayMs?: number
  maxDelayMs?: number
  /** How long one round's lookup may take. */
  findTimeoutMs?: number
}

/** The responder's public rendezvous topic: ASCII of base64-std(accountPk) (PROTOCOL.md). */
export function publicTopic(accountPk: Uint8Array, seed: Uint8Array): RotatingTopic {
  return { topic: new TextEncoder().encode(base64Std(accountPk)), seed }
}

/** Short, stable reason text for a failed exchange. */
export function describeFailure(err: unknown): string {
  const code = (err as { code?: string })?.code
  switch (code) {
    case 'ERR_TIMEOUT':
      return 'the peer did not answer in time'
    case 'ERR_BAD_BOX':
    case 'ERR_BAD_SIGNATURE':
    case 'ERR_BAD_ACCOUNT_KEY':
      return 'the peer at the contact\'s rendezvous point could not prove the contact\'s key'
    case 'ERR_FRAME_TOO_LARGE':
    case 'ERR_MESSAGE_TOO_LARGE':
      return 'the peer sent an oversize frame'
    case 'ERR_REPLAYED_FRAME':
      return 'the peer replayed a frame'
    case 'ERR_BAD_FRAME':
    case 'ERR_UNEXPECTED_FRAME':
    case 'ERR_BAD_EPHEMERAL_KEY':
      return 'the peer sent a malformed handshake'
    case 'ERR_UNEXPECTED_EOF':
      return 'the peer closed the connection mid-handshake'
    default:
      break
  }
  const name = (err as { name?: string })?.name
  if (name === 'StreamResetError' || name === 'UnexpectedEOFError' || name === 'StreamStateError') return 'the peer closed the connection mid-handshake'
  return 'the contact could not be reached'
}

export class OutgoingRequests {
  private readonly workers = new Map<string, AbortController>()
  private readonly rotation: RendezvousRotation | undefined
  private readonly minDelay: number
  private readonly maxDelay: number
  private readonly findTimeout: number

  constructor(private readonly d: OutgoingDeps) {
    this.rotation = d.discovery !== undefined ? new RendezvousRotation(d.discovery) : undefined
    this.minDelay = d.minDelayMs ?? 1_000
    this.maxDelay = d.maxDelayMs ?? 60_000
    this.findTimeout = d.findTimeoutMs ?? 10_000
  }

  running(id: string): boolean {
    return this.workers.has(id)
  }

  start(id: string, target: OutgoingTarget): void {
    if (this.workers.has(id)) return
    const ctl = new AbortController()
    this.workers.set(id, ctl)
    void this.run(id, target, ctl.signal).finally(() => {
      if (this.workers.get(id) === ctl) this.workers.delete(id)
      this.rotation?.stop(id)
    })
  }

  stop(id: string): void {
    this.workers.get(id)?.abort()
    this.workers.delete(id)
    this.rotation?.stop(id)
  }

  stopAll(): void {
    for (const id of [...this.workers.keys()]) this.stop(id)
  }

  private async run(id: string, target: OutgoingTarget, signal: AbortSignal): Promise<void> {
    const discovery = this.d.discovery
    if (discovery === undefined || this.rotation === undefined) {
      this.d.failed(target, 'no discovery driver is enabled: the contact cannot be found')
      return
    }
    const topic = publicTopic(target.accountPk, target.rendezvousSeed)
    this.rotation.watch(id, topic)
    const waker = new Waker()
    const found: PeerInfo[] = []
    const onPeer = (e: CustomEvent<FoundPeer>): void => {
      if (!this.rotation?.namespaces(id).includes(e.detail.namespace)) return
      found.push(e.detail.peer)
      waker.wake()
    }
    discovery.addEventListener('peer', onPeer)
    let delay = this.minDelay
    try {
      while (!signal.aborted) {
        const tried = new Set<string>()
        let lastError: string | undefined
        // One exchange per peer per round, tried as soon as it is known (a lookup may run for seconds).
        const attempt = async (peer: PeerInfo): Promise<boolean> => {
          const key = peer.id.toString()
          if (tried.has(key) || signal.aborted) return false
          tried.add(key)
          try {
            await this.d.send(peer, target, signal)
            if (signal.aborted) return false
            this.d.failed(target, undefined)
            await this.d.delivered(target)
            return true
          } catch (err) {
            if (signal.aborted) return false
            lastError = describeFailure(err)
            this.d.log('debug', 'contacts: request attempt failed', { reason: lastError })
            return false
          }
        }
        for (const p of found.splice(0)) if (await attempt(p)) return
        const lookup = deadline(this.findTimeout, signal)
        try {
          for (const ns of this.rotation.namespaces(id)) {
            try {
              for await (const f of discovery.find(ns, { signal: lookup })) if (await attempt(f.peer)) return
            } catch {
              // A lookup that times out still yielded what it found.
            }
          }
        } finally {
          lookup.clear()
        }
        for (const p of found.splice(0)) if (await attempt(p)) return
        if (signal.aborted) return
        this.d.failed(target, lastError ?? (tried.size === 0 ? 'waiting for the contact to come online' : undefined))
        await abortableSleep(delay, signal, waker)
        delay = Math.min(delay * 2, this.maxDelay)
      }
    } finally {
      discovery.removeEventListener('peer', onPeer)
    }
  }
}
