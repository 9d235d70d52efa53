/** Async-iterable helpers for fanning one lookup out to several drivers. */

/** Interleaves several async iterables, yielding items as they arrive. */
export async function* merge<T>(sources: Array<AsyncIterable<T>>): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]())
  const next = (i: number): Promise<{ i: number; r: IteratorResult<T> }> =>
    (iterators[i] as AsyncIterator<T>).next().then((r) => ({ i, r }))
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>()
  iterators.forEach((_, i) => pending.set(i, next(i)))
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values())
      if (r.done === true) {
        pending.delete(i)
      } else {
        pending.set(i, next(i))
        yield r.value
      }
    }
  } finally {
    // Not awaited: a source blocked in next() finishes once the caller's signal aborts it.
    for (const i of pending.keys()) iterators[i]?.return?.().catch(() => {})
  }
}
