/**
 * The alias key in the contact group (weshnet `MetadataStore.ContactSendAliasKey`: EventType 201
 * `ContactAliasKeyAdded {device_pk, alias_pk}`, allowed in contact groups only). Each side posts its
 * account's alias key once the contact is accepted, so the other side can recognise it in the
 * multi-member groups where it discloses its alias (./shared-groups.ts). A linked device of the same
 * account finds the key already there and does not post it again.
 */
import { equalBytes } from '../crypto'
import type { Logger } from '../log'
import { ContactAliasKeyAdded } from '../protocol/proto/wesh'
import { decodeWesh } from '../protocol/wesh-codec'
import type { ContactGroups } from './types'

/** weshnet EventType 201, posted in a contact group. */
export const EV_CONTACT_ALIAS_KEY_ADDED = 201

interface AliasEvent {
  eventType: number
  payload: Uint8Array
}

function aliasKeys(events: Iterable<AliasEvent>): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const e of events) {
    if (e.eventType !== EV_CONTACT_ALIAS_KEY_ADDED) continue
    try {
      const ev = decodeWesh(ContactAliasKeyAdded, e.payload, { maxBytes: 1024 })
      if (ev.aliasPk.length === 32) out.push(ev.aliasPk)
    } catch {
      // The engine decoded it already; a disagreement here only hides that event.
    }
  }
  return out
}

/** Whether the contact group already carries our alias key (any of our devices posted it). */
export function ownAliasSent(events: Iterable<AliasEvent>, ownAliasPk: Uint8Array): boolean {
  return aliasKeys(events).some((k) => equalBytes(k, ownAliasPk))
}

/** The contact's alias key from its contact group: the latest one that is not ours. */
export function peerAliasPk(events: Iterable<AliasEvent>, ownAliasPk: Uint8Array | undefined): Uint8Array | undefined {
  const theirs = aliasKeys(events).filter((k) => ownAliasPk === undefined || !equalBytes(k, ownAliasPk))
  return theirs.at(-1)
}

export class AliasKeySender {
  /** Contact groups known to carry our alias key (no rescan once seen). */
  private readonly sent = new Set<string>()
  private readonly sending = new Set<string>()

  constructor(
    private readonly groups: ContactGroups,
    private readonly serial: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly log: Logger
  ) {}

  /** Posts our alias key in the open contact group `groupPk` unless one of our devices already did. */
  ensure(key: string, groupPk: Uint8Array, ownAliasPk: Uint8Array | undefined): void {
    if (ownAliasPk === undefined || this.sent.has(key) || this.sending.has(key)) return
    this.sending.add(key)
    void this.serial(async () => {
      if (!this.groups.has(groupPk)) return
      if (!ownAliasSent(this.groups.weshEvents(groupPk), ownAliasPk)) {
        const payload = ContactAliasKeyAdded.encode({ devicePk: this.groups.myDevicePk(groupPk), aliasPk: ownAliasPk })
        await this.groups.appendWeshEvent(groupPk, EV_CONTACT_ALIAS_KEY_ADDED, payload)
      }
      this.sent.add(key)
    })
      .catch((err: unknown) => this.log('warn', 'contacts: could not send our alias key', { error: String(err) }))
      .finally(() => this.sending.delete(key))
  }
}
