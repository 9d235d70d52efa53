/** The engine's outbound events: one listener failing never stops the others or the engine. */
import type { Logger } from '../log'
import type { GroupsEvent } from './types'

export class GroupsEventBus {
  private readonly listeners = new Set<(e: GroupsEvent) => void>()

  constructor(private readonly logger: Logger) {}

  on(listener: (e: GroupsEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(e: GroupsEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.logger('error', 'groups: listener failed', { error: String(err) })
      }
    }
  }
}

/** Background tasks of the engine, awaited on stop; a failure is logged, never unhandled. */
export class BackgroundTasks {
  private readonly tasks = new Set<Promise<unknown>>()
  closed = false

  constructor(private readonly logger: Logger) {}

  spawn(p: Promise<unknown>): void {
    if (this.closed) return
    const tracked = p.catch((err: unknown) => this.logger('error', 'groups: background task failed', { error: String(err) }))
    this.tasks.add(tracked)
    void tracked.finally(() => this.tasks.delete(tracked))
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.allSettled([...this.tasks])
  }
}
