// A full disk, from the storage error to the line a person reads: SQLite's SQLITE_FULL or a file
// write's ENOSPC (also wrapped as a cause) becomes DISK_FULL at the API, said once in the UI.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ApiError, ErrorCode } from '../../core/api/errors'
import { toApiError } from '../../core/service/dispatch'
import { isDiskFull, StorageError } from '../../core/storage'
import { ApiCallError, describeError } from '../../renderer/src/api/errors'

/** The error better-sqlite3 throws on a database that may not grow (max_page_count reached). */
function sqliteFull(): unknown {
  const db = new Database(':memory:')
  try {
    db.exec('CREATE TABLE t (v BLOB)')
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024))
  } catch (err) {
    return err
  } finally {
    db.close()
  }
  throw new Error('the insert did not fail')
}

describe('disk full', () => {
  it('is recognised from SQLite, from a file write, and through causes; nothing else is', () => {
    const full = sqliteFull()
    expect((full as { code?: string }).code).toBe('SQLITE_FULL')
    expect(isDiskFull(full)).toBe(true)
    expect(isDiskFull(Object.assign(new Error('write'), { code: 'ENOSPC' }))).toBe(true)
    expect(isDiskFull(Object.assign(new Error('write'), { code: 'EDQUOT' }))).toBe(true)
    expect(isDiskFull(new StorageError('ERR_BAD_INPUT', 'saving failed', { cause: full }))).toBe(true)
    for (const other of [new Error('x'), Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }), Object.assign(new Error('x'), { code: 'EACCES' }), null, 'ENOSPC', 42]) {
      expect(isDiskFull(other)).toBe(false)
    }
    // A cause chain that loops ends.
    const a: Error & { cause?: unknown } = new Error('a')
    a.cause = a
    expect(isDiskFull(a)).toBe(false)
  })

  it('is DISK_FULL at the API, logged without detail, and read once in the UI', () => {
    const logged: Array<[string, string, unknown]> = []
    const e = toApiError(sqliteFull(), (level, msg, fields) => logged.push([level, msg, fields]), 'message:send')
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe(ErrorCode.DISK_FULL)
    expect(e.message).toBe("the disk is full: nothing was saved; free some space on the disk holding the node's data, then try again")
    expect(logged).toEqual([['error', 'api call failed: the disk is full', { method: 'message:send' }]])
    expect(toApiError(new Error('boom')).code).toBe(ErrorCode.INTERNAL)
    expect(describeError(new ApiCallError('DISK_FULL', e.message))).toBe(
      "The disk is full: nothing was saved; free some space on the disk holding the node's data, then try again"
    )
    expect(describeError(new ApiCallError('DISK_FULL', ''))).toBe('The disk is full')
    expect(describeError(new ApiCallError('TIMEOUT', 'after 5 s'))).toBe('The node did not answer in time: after 5 s')
  })
})
