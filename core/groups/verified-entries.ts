/**
 * What a group log remembers of the entries it has checked but not yet joined: their writer
 * signatures and their hashes (whose group signature passed). The gossip validator, a pull's
 * verification on the pool and the join that follows all see the same entry, and it is checked once.
 *
 * An entry is forgotten when it joins: the log then answers for it (the hash is the CID of the very
 * bytes that were verified). So this holds what is in flight, not every entry the log ever received,
 * and a node left running for months keeps no per-message memory here (bench/soak.ts). The cap
 * bounds what a peer can make us hold; past it the oldest are forgotten and, if they still join,
 * verified again: slower, never wrong.
 */
import { BoundedSet } from '../bounded-set'

/** Checked, not yet joined entries one log remembers: two pull parts of small entries fit. */
export const MAX_IN_FLIGHT_VERIFIED = 32_768

export class VerifiedEntries {
  private readonly sigs: BoundedSet<string>
  private readonly hashes: BoundedSet<string>

  constructor(max = MAX_IN_FLIGHT_VERIFIED) {
    this.sigs = new BoundedSet(max)
    this.hashes = new BoundedSet(max)
  }

  /** The writer signature `sig` (hex) verified. */
  hasSig(sig: string): boolean {
    return this.sigs.has(sig)
  }

  addSig(sig: string): void {
    this.sigs.add(sig)
  }

  /** The entry's group signature was checked (the access controller's part). */
  accessChecked(hash: unknown): boolean {
    return typeof hash === 'string' && this.hashes.has(hash)
  }

  /** Both signatures of the entry were checked. */
  has(entry: { hash?: unknown; sig: string }): boolean {
    return this.accessChecked(entry.hash) && this.sigs.has(entry.sig)
  }

  add(entry: { hash: string; sig: string }): void {
    this.sigs.add(entry.sig)
    this.hashes.add(entry.hash)
  }

  /** Entries that joined the log (or were found in it). */
  forget(entries: Iterable<{ entry: { hash: string; sig: string } }>): void {
    for (const { entry } of entries) {
      this.sigs.delete(entry.sig)
      this.hashes.delete(entry.hash)
    }
  }

  /** Entries remembered now (signatures, hashes): for tests and figures. */
  get size(): { sigs: number; hashes: number } {
    return { sigs: this.sigs.size, hashes: this.hashes.size }
  }
}
