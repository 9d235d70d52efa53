/**
 * This device's keys in memberships a repair dropped (core/storage/repair.ts: their sender chain
 * was lost, so they are joined again under a new device key). The old key stays in the group's
 * log for good (weshnet has no device removal), so the account's device list showed an unnamed
 * device nobody knew: to a person, a device linked behind their back. At the next start, before
 * any membership is joined again (which writes the new seed under the same keystore name), each
 * dropped membership's old device key is learnt from its seed, the seed is deleted (no longer
 * needed), and the key is remembered as this device's replaced one, with when.
 */
import { fromHex, toHex } from '../bytes'
import { ed25519PublicFromSeed, wipe } from '../crypto'
import type { Logger } from '../log'
import { DROPPED_MEMBERSHIP_PREFIX, SettingsStore, type GroupStore, type Keystore, type SqliteDatabase } from '../storage'

const REPLACED_PREFIX = 'storage.replacedDevice.'

export class ReplacedDevices {
  private readonly settings: SettingsStore

  constructor(
    db: SqliteDatabase,
    private readonly keystore: Keystore,
    private readonly rows: GroupStore,
    private readonly logger: Logger
  ) {
    this.settings = new SettingsStore(db)
  }

  /** Run at start, before any group is joined again. */
  async learn(): Promise<void> {
    for (const [key, at] of this.settings.all()) {
      if (!key.startsWith(DROPPED_MEMBERSHIP_PREFIX)) continue
      const groupHex = key.slice(DROPPED_MEMBERSHIP_PREFIX.length)
      if (!/^[0-9a-f]{64}$/.test(groupHex)) {
        this.settings.delete(key)
        continue
      }
      const ref = `group/${groupHex}/device`
      // Joined again already: the seed under that name is the new one.
      const seed = this.rows.get(fromHex(groupHex)) ? undefined : await this.keystore.get(ref)
      let devicePk: Uint8Array | undefined
      if (seed) {
        devicePk = ed25519PublicFromSeed(seed)
        wipe(seed)
      }
      await this.keystore.transaction((tx) => {
        if (devicePk) {
          tx.delete(ref)
          this.settings.setMany([[`${REPLACED_PREFIX}${toHex(devicePk)}`, at]])
        }
        this.settings.delete(key)
      })
      if (devicePk) this.logger('info', 'groups: this device\'s key in a membership the repair dropped is recorded as replaced', { group: groupHex })
    }
  }

  /** This device's replaced keys (hex) and when they were replaced (ms). */
  all(): Map<string, number> {
    const out = new Map<string, number>()
    for (const [key, at] of this.settings.all()) {
      if (!key.startsWith(REPLACED_PREFIX)) continue
      const ms = Date.parse(at)
      out.set(key.slice(REPLACED_PREFIX.length), Number.isFinite(ms) ? ms : 0)
    }
    return out
  }
}
