// Network hiccups during replication are logged quietly; protocol violations are not.
import { describe, expect, it } from 'vitest'
import { isTransient, SyncError } from '../../core/groups/sync'

const named = (name: string) => Object.assign(new Error(name), { name })

describe('isTransient', () => {
  it('treats closed, reset, aborted and timed-out streams as transient', () => {
    for (const n of ['UnexpectedEOFError', 'StreamResetError', 'AbortError', 'TimeoutError', 'ConnectionClosedError']) {
      expect(isTransient(named(n)), n).toBe(true)
    }
    expect(isTransient(new SyncError('ERR_TIMEOUT', 'slow'))).toBe(true)
    expect(isTransient(new SyncError('ERR_NOT_CONNECTED', 'gone'))).toBe(true)
  })

  it('keeps protocol errors and unknown failures visible', () => {
    expect(isTransient(new SyncError('ERR_PROTOCOL', 'malformed frame'))).toBe(false)
    expect(isTransient(new SyncError('ERR_TOO_LARGE', 'big'))).toBe(false)
    expect(isTransient(new TypeError('bug'))).toBe(false)
    expect(isTransient('string')).toBe(false)
  })
})
