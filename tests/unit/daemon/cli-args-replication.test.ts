import { describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN_EXPIRY_MS, parseCliArgs } from '../../../core/daemon/cli-args'

describe('replication flags', () => {
  it('parses --replication-server and its limits', () => {
    expect(parseCliArgs(['--data', 'd', '--replication-server'])).toMatchObject({ kind: 'run', options: { replicationServer: {} } })
    expect(parseCliArgs(['--data', 'd', '--replication-server', '--replica-max-bytes', '1000', '--replica-max-groups', '3'])).toMatchObject({
      kind: 'run',
      options: { replicationServer: { maxTotalBytes: 1000, maxGroups: 3 } }
    })
    expect(parseCliArgs(['--data', 'd', '--replica-max-bytes', '1000'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/goes with --replication-server/) })
    expect(parseCliArgs(['--data', 'd', '--replication-server', '--replica-max-bytes', '-1'])).toMatchObject({ kind: 'error' })
  })

  it('parses --issue-token with quotas and expiry', () => {
    expect(parseCliArgs(['--data', 'd', '--issue-token'])).toEqual({ kind: 'issue-token', options: { dataDir: 'd', expiresMs: DEFAULT_TOKEN_EXPIRY_MS } })
    expect(parseCliArgs(['--data', 'd', '--issue-token', '--quota-groups', '2', '--quota-bytes', '1048576', '--expires', '12h'])).toEqual({
      kind: 'issue-token',
      options: { dataDir: 'd', expiresMs: 12 * 3_600_000, quotaGroups: 2, quotaBytes: 1048576 }
    })
    for (const bad of [['--expires', '0s'], ['--expires', 'soon'], ['--quota-groups', 'x']]) {
      expect(parseCliArgs(['--data', 'd', '--issue-token', ...bad])).toMatchObject({ kind: 'error' })
    }
    expect(parseCliArgs(['--data', 'd', '--issue-token', '--listen', '/ip4/127.0.0.1/tcp/0'])).toMatchObject({ kind: 'error' })
    expect(parseCliArgs(['--data', 'd', '--quota-groups', '2'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/--issue-token/) })
  })

  it('parses --revoke-token with a jti or a token', () => {
    expect(parseCliArgs(['--data', 'd', '--revoke-token', 'AAAAAAAAAAAAAAAAAAAAAA'])).toEqual({ kind: 'revoke-token', options: { dataDir: 'd', target: 'AAAAAAAAAAAAAAAAAAAAAA' } })
    // A jti starting with '-' (one in 64, seen in a full run): its value, not an unknown option.
    expect(parseCliArgs(['--data', 'd', '--revoke-token', '-JujKtTMNbfsUc6ejehn_w'])).toEqual({ kind: 'revoke-token', options: { dataDir: 'd', target: '-JujKtTMNbfsUc6ejehn_w' } })
    expect(parseCliArgs(['--data', 'd', '--revoke-token', 'short'])).toMatchObject({ kind: 'error' })
    expect(parseCliArgs(['--data', 'd', '--revoke-token', 'AAAAAAAAAAAAAAAAAAAAAA', '--issue-token'])).toMatchObject({ kind: 'error' })
  })
})

describe('replication device flag', () => {
  it('parses --replica (with --link and the replica limits) and refuses it beside --replication-server', () => {
    expect(parseCliArgs(['--data', 'd', '--replica', '--link', 'BERTY://DL/x'])).toMatchObject({ kind: 'run', options: { replicaDevice: {}, link: { url: 'BERTY://DL/x' } } })
    expect(parseCliArgs(['--data', 'd', '--replica', '--replica-max-bytes', '1000'])).toMatchObject({ kind: 'run', options: { replicaDevice: { maxTotalBytes: 1000 } } })
    expect(parseCliArgs(['--data', 'd', '--replica', '--replication-server'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/exclude each other/) })
    const plain = parseCliArgs(['--data', 'd'])
    expect(plain.kind === 'run' && plain.options.replicaDevice).toBeFalsy()
  })
})
