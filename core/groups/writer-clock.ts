/**
 * A log's writer clock: per writer key, the latest Lamport time of its entries the log holds — the
 * version vector a fetch request carries (sync/serve.ts prunes its walk by it). Sound because a
 * writer's entry descends from all of its earlier entries (the writer held them when it appended)
 * and a log holds the whole ancestry of every entry it holds: holding W's entry of time t means
 * holding every entry of W at or before t.
 *
 * Built once from the index (one row per joined entry; links stored before the writer was kept are
 * left out, which only prunes less), then kept up to date by the log's appends and joins, noted
 * once committed.
 */
import type { OrbitStorage } from '@orbitdb/core'
import { isLinks } from './log-entry'

export class WriterClock {
  private readonly times = new Map<string, number>()
  private built: Promise<void> | undefined

  /** `links`: where each indexed entry's links are kept (the index itself, or a separate storage). */
  constructor(
    private readonly index: OrbitStorage,
    private readonly links: OrbitStorage | undefined
  ) {}

  async get(): Promise<ReadonlyMap<string, number>> {
    this.built ??= this.build()
    await this.built
    return this.times
  }

  /** An entry of `key` at `time` is in the log (committed). */
  note(key: string, time: number): void {
    const t = this.times.get(key)
    if (t === undefined || time > t) this.times.set(key, time)
  }

  private async build(): Promise<void> {
    const links = this.links
    if (!links) return
    for await (const [hash, value] of this.index.iterator()) {
      const l = links === this.index ? value : await links.get(hash)
      if (isLinks(l) && l.w !== undefined) this.note(l.w, l.t)
    }
  }
}
