// The real token commands of the headless daemon (`--issue-token`, `--revoke-token`), run as their
// own processes against a data directory, as an operator would.
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'

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
