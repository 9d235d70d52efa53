/**
 * One run per key at a time: a call for a key whose run is still going gets that run's promise
 * instead of starting another; the key is free again once the run settles (fulfilled or rejected).
 * Used where the same work may be asked twice at once: a dial to one peer, a send or a group creation
 * made again under the caller's name (`clientId`) while the first is on its way.
 */
export class SingleFlight<K, V> {
  readonly #running = new Map<K, Promise<V>>()

  /** The run for `key` if one is going. */
  running(key: K): Promise<V> | undefined {
    return this.#running.get(key)
  }

  /** The run going for `key`, or `start()` as the new one. */
  run(key: K, start: () => Promise<V>): Promise<V> {
    const going = this.#running.get(key)
    if (going) return going
    const run = start().finally(() => {
      if (this.#running.get(key) === run) this.#running.delete(key)
    })
    this.#running.set(key, run)
    return run
  }
}
