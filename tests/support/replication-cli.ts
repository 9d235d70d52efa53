// The real token commands of the headless daemon (`--issue-token`, `--revoke-token`), run as their
// own processes against a data directory, as an operator would.
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { loadOrCreateServerKey } from '../../core/replication/server'
import { issueToken as signToken } from '../../core/replication/tokens'
import { Keystore, staticKeyProvider, TOKEN_STORE_FILE, TokenStore } from '../../core/storage'

const root = resolve(import.meta.dirname, '../..')

export async function tokenCli(dataDir: string, args: string[]): Promise<Record<string, unknown>> {
  const out = await new Promise<string>((res, rej) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'core/daemon/cli.ts'), '--data', dataDir, ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`token command failed: ${err.message}\n${stderr}`))
      else res(stdout)
    })
  })
  const lines = out.trim().split('\n')
  if (lines.length !== 1) throw new Error(`expected one JSON line, got ${JSON.stringify(out)}`)
  return JSON.parse(lines[0]!) as Record<string, unknown>
}

export async function issueToken(dataDir: string, args: string[] = []): Promise<{ token: string; jti: string; server: string }> {
  return (await tokenCli(dataDir, ['--issue-token', ...args])) as { token: string; jti: string; server: string }
}

/**
 * For an in-process server node (its keystore under a static test key): issues a token as
 * `--issue-token` does, through the shared token book the running server has open.
 */
export async function issueTokenFor(
  server: { dir: string; key: Uint8Array; node: { libp2p: { peerId: { toString(): string } } } },
  opts: { quotaGroups?: number; quotaBytes?: number } = {}
): Promise<{ token: string; jti: string }> {
  const book = TokenStore.open(join(server.dir, TOKEN_STORE_FILE))
  try {
    const keystore = new Keystore(book.db, staticKeyProvider(server.key))
    const seed = await loadOrCreateServerKey(keystore)
    const { token, claims } = await signToken(seed, { audience: server.node.libp2p.peerId.toString(), expiresAt: Date.now() + 3_600_000, ...opts })
    seed.fill(0)
    keystore.lock()
    return { token, jti: claims.jti }
  } finally {
    book.close()
  }
}

/** Revokes as `--revoke-token` does. */
export function revokeTokenIn(dir: string, jti: string): void {
  const book = TokenStore.open(join(dir, TOKEN_STORE_FILE))
  book.revoke(jti, Date.now())
  book.close()
}
