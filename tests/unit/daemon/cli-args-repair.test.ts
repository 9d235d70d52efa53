import { describe, expect, it } from 'vitest'
import { parseCliArgs, USAGE } from '../../../core/daemon/cli-args'

describe('cli args: --repair', () => {
  it('takes the data directory and nothing else', () => {
    expect(parseCliArgs(['--data', '/d', '--repair'])).toEqual({ kind: 'repair', options: { dataDir: '/d' } })
    expect(parseCliArgs(['--repair'])).toEqual({ kind: 'error', message: '--data DIR is required' })
    const mixed = parseCliArgs(['--data', '/d', '--repair', '--api-port', '4000'])
    expect(mixed).toEqual({ kind: 'error', message: '--repair takes only --data (got --api-port)' })
    expect(parseCliArgs(['--data', '/d', '--repair', '--issue-token']).kind).toBe('error')
    expect(USAGE).toContain('--repair')
  })
})
