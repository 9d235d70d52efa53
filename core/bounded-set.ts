/** A Set that forgets its oldest members past `max`: memory stays bounded whatever peers send. */
export class BoundedSet<T> {
  private readonly items = new Set<T>()
  constructor(private readonly max: number) {}

  add(v: T): void {
    this.items.add(v)
    if (this.items.size > this.max) {
      const first = this.items.values().next()
      if (!first.done) this.items.delete(first.value)
    }
  }

  delete(v: T): boolean {
    return this.items.delete(v)
  }

  has(v: T): boolean {
    return this.items.has(v)
  }

  get size(): number {
    return this.items.size
  }
}
