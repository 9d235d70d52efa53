import { describe, expect, it } from 'vitest'
import { StorageHealth } from '../../core/storage'

const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' })

describe('StorageHealth', () => {
  it('notes damage once, tells each listener once, and a late listener at once', () => {
    const health = new StorageHealth(() => 42)
    const heard: string[] = []
    health.onDamaged((d) => heard.push(`a ${d.reason} ${d.at}`))
    expect(health.note(new Error('something else'))).toBe(false)
    expect(health.note(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false)
    expect(health.damage).toBeNull()
    // Wrapped (a StorageError's cause), as the stores throw it.
    expect(health.note(new Error('reading a block failed', { cause: corrupt }))).toBe(true)
    expect(health.note(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }))).toBe(true)
    expect(health.damage).toEqual({ reason: 'database disk image is malformed', at: 42 })
    health.onDamaged((d) => heard.push(`b ${d.reason}`))
    expect(heard).toEqual(['a database disk image is malformed 42', 'b database disk image is malformed'])
  })

  it('a listener that throws does not keep the others from hearing', () => {
    const health = new StorageHealth()
    let heard = 0
    health.onDamaged(() => {
      throw new Error('listener bug')
    })
    health.onDamaged(() => heard++)
    expect(health.note(corrupt)).toBe(true)
    expect(heard).toBe(1)
  })
})
