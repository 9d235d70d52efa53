/**
 * The responder side's presence (weshnet contact_request_manager.go `enableContactRequest` /
 * `enableAnnounce`): while requests are enabled, the `/wesh/contact_req/1.0.0` handler is mounted and
 * our public rendezvous point is advertised, rotating every period (PROTOCOL.md "Public RDV point");
 * a new seed (ReferenceReset) replaces the announcement at once, so old links stop finding us.
 */
import { toHex } from '../bytes'
import type { Logger } from '../log'
import type { Discovery } from '../net/discovery/discovery'
import { RendezvousRotation } from '../net/discovery/rotation'
import { publicTopic } from './outgoing'

export interface ResponderService {
  start(): void | Promise<void>
  stop(): void | Promise<void>
  isStarted(): boolean
}

export class Responder {
  private readonly rotation: RendezvousRotation | undefined
  private announced: string | undefined
  private on: boolean | undefined
  private toggle: Promise<void> = Promise.resolve()

  constructor(
    private readonly service: ResponderService | undefined,
    discovery: Discovery | undefined,
    private readonly log: Logger
  ) {
    this.rotation = discovery !== undefined ? new RendezvousRotation(discovery) : undefined
  }

  sync(enabled: boolean, accountPk: Uint8Array, seed: Uint8Array): void {
    const service = this.service
    if (service !== undefined && this.on !== enabled) {
      this.on = enabled
      // Chained: a toggle never overlaps the previous one (mounting twice would throw).
      this.toggle = this.toggle
        .then(async () => {
          if (enabled && !service.isStarted()) await service.start()
          if (!enabled && service.isStarted()) await service.stop()
        })
        .catch((err: unknown) => this.log('warn', 'contacts: request handler toggle failed', { error: String(err) }))
    }
    const id = enabled ? `self:${toHex(seed)}` : undefined
    if (id === this.announced) return
    if (this.announced !== undefined) this.rotation?.stop(this.announced)
    this.announced = id
    if (id !== undefined) this.rotation?.announce(id, publicTopic(accountPk, seed))
  }

  /** Namespaces advertised now (tests, status). */
  namespaces(): string[] {
    return this.announced !== undefined ? (this.rotation?.namespaces(this.announced) ?? []) : []
  }

  close(): void {
    this.rotation?.stopAll()
    this.announced = undefined
  }
}
