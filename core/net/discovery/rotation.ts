/**
 * Rotating rendezvous points on top of the discovery manager (weshnet `tinder_swiper.go` Announce /
 * WatchTopic): a topic (group store address, or base64 of the account key for the public point) and a seed
 * (link key, or public rendezvous seed) give one point per period (PROTOCOL.md "Rendezvous point"); the
 * namespace on every driver is `base64-std(point)`. During the grace period after a rotation both the new
 * and the previous point are advertised and watched; when the grace ends the old advertisement is stopped,
 * which unregisters it from rendezvous servers ("old registrations end").
 *
 * Claims: the active set is recomputed exactly at each period boundary and at the end of each grace period.
 * Disclaims: clocks skewed by more than the grace period miss each other until the next rotation.
 */
import { activeRendezvousPoints, DEFAULT_RENDEZVOUS_INTERVAL_SECONDS, RENDEZVOUS_GRACE_SECONDS } from '../../crypto/rendezvous'
import type { Discovery } from './discovery'

export interface RotatingTopic {
  topic: Uint8Array
  seed: Uint8Array
  intervalSeconds?: number
  graceSeconds?: number
}

/** Namespaces active at `unixSeconds`, current point first: `base64-std(point)` as weshnet announces them. */
export function activeNamespaces(t: RotatingTopic, unixSeconds: number): string[] {
  return activeRendezvousPoints(t.topic, t.seed, unixSeconds, t.intervalSeconds ?? DEFAULT_RENDEZVOUS_INTERVAL_SECONDS, t.graceSeconds ?? RENDEZVOUS_GRACE_SECONDS)
    .map((p) => Buffer.from(p).toString('base64'))
}

/** Seconds from `unixSeconds` to the next change of the active set (a period boundary or the end of a grace). */
export function nextChangeIn(t: RotatingTopic, unixSeconds: number): number {
  const interval = t.intervalSeconds ?? DEFAULT_RENDEZVOUS_INTERVAL_SECONDS
  const grace = t.graceSeconds ?? RENDEZVOUS_GRACE_SECONDS
  const start = Math.floor(unixSeconds / interval) * interval
  const graceEnd = start + grace
  const next = unixSeconds < graceEnd ? graceEnd : start + interval
  return next - unixSeconds
}

type Mode = 'advertise' | 'watch'

interface Entry {
  mode: Mode
  topic: RotatingTopic
  active: Set<string>
  timer?: ReturnType<typeof setTimeout>
}

export class RendezvousRotation {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly discovery: Pick<Discovery, 'advertise' | 'stopAdvertising' | 'watch' | 'unwatch'>, private readonly now: () => number = Date.now) {}

  /** Advertises `topic`'s active points under `id` (e.g. a group key in hex) until {@link stop}. */
  announce(id: string, topic: RotatingTopic): void {
    this.start(`a:${id}`, 'advertise', topic)
  }

  /** Watches `topic`'s active points under `id` until {@link stop}. */
  watch(id: string, topic: RotatingTopic): void {
    this.start(`w:${id}`, 'watch', topic)
  }

  stop(id: string): void {
    for (const key of [`a:${id}`, `w:${id}`]) {
      const e = this.entries.get(key)
      if (e == null) continue
      clearTimeout(e.timer)
      this.entries.delete(key)
      for (const ns of e.active) this.end(e.mode, ns)
    }
  }

  stopAll(): void {
    for (const key of [...this.entries.keys()]) this.stop(key.slice(2))
  }

  /** Namespaces currently in use for `id` (both modes), for status displays and tests. */
  namespaces(id: string): string[] {
    return [...new Set([...(this.entries.get(`a:${id}`)?.active ?? []), ...(this.entries.get(`w:${id}`)?.active ?? [])])]
  }

  private start(key: string, mode: Mode, topic: RotatingTopic): void {
    if (this.entries.has(key)) return
    const entry: Entry = { mode, topic: { ...topic, topic: topic.topic.slice(), seed: topic.seed.slice() }, active: new Set() }
    this.entries.set(key, entry)
    this.refresh(key, entry)
  }

  private refresh(key: string, e: Entry): void {
    if (this.entries.get(key) !== e) return
    const nowSec = Math.floor(this.now() / 1000)
    const want = new Set(activeNamespaces(e.topic, nowSec))
    for (const ns of e.active) if (!want.has(ns)) this.end(e.mode, ns)
    for (const ns of want) {
      if (e.active.has(ns)) continue
      if (e.mode === 'advertise') this.discovery.advertise(ns)
      else this.discovery.watch(ns)
    }
    e.active = want
    // +1 s: wake just after the boundary so the new period is the current one.
    const delayMs = (nextChangeIn(e.topic, nowSec) + 1) * 1000
    e.timer = setTimeout(() => this.refresh(key, e), Math.min(delayMs, 2 ** 31 - 1))
    e.timer.unref?.()
  }

  private end(mode: Mode, ns: string): void {
    if (mode === 'advertise') void this.discovery.stopAdvertising(ns)
    else this.discovery.unwatch(ns)
  }
}
