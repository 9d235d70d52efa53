import { describe, expect, it } from 'vitest'
import { SingleFlight } from '../../core/single-flight'

describe('SingleFlight', () => {
  it('shares the run going for a key, starts anew once it settled, fulfilled or rejected', async () => {
    const flights = new SingleFlight<string, number>()
    let starts = 0
    let release!: (v: number) => void
    const start = () => {
      starts++
      return new Promise<number>((r) => (release = r))
    }
    const a = flights.run('k', start)
    const b = flights.run('k', start)
    expect(b).toBe(a)
    expect(flights.running('k')).toBe(a)
    expect(flights.running('other')).toBeUndefined()
    release(7)
    expect(await Promise.all([a, b])).toEqual([7, 7])
    expect(starts).toBe(1)
    expect(flights.running('k')).toBeUndefined()
    const failing = flights.run('k', async () => {
      starts++
      throw new Error('no')
    })
    await expect(failing).rejects.toThrow('no')
    expect(flights.running('k')).toBeUndefined()
    expect(await flights.run('k', async () => ++starts)).toBe(3)
  })
})
