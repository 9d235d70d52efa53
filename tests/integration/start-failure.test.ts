/**
 * A node that cannot start says why in words a person can act on (describeStartFailure: the headless
 * daemon's hint, the desktop app's START_FAILED screen), and leaves the data as it found it. Each
 * cause is produced for real on a data directory that held an account: a damaged or truncated
 * database file, the wrong unlocking key, data from a newer version, a directory in use.
 */
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBertyNode } from '../../core/node'
import { describeStartFailure } from '../../core/service/start-failure'
import { staticKeyProvider } from '../../core/storage'
import { startNode, stopAll, type TestNode } from './helpers'

const DB = 'berty.sqlite'
let root: string
let original: TestNode

async function failureOf(dir: string, key: Uint8Array): Promise<unknown> {
  try {
    const node = await createBertyNode({ dataDir: dir, encryptionKey: staticKeyProvider(key), listen: ['/ip4/127.0.0.1/tcp/0'], webrtc: false })
    await node.stop()
  } catch (err) {
    return err
  }
  throw new Error(`the node in ${dir} started`)
}

/** A copy of the account's data directory, checkpointed (the database file holds everything). */
function copyOfData(name: string): string {
  const dir = join(root, name)
  cpSync(original.dir, dir, { recursive: true })
  return dir
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'berty-start-failure-'))
  original = await startNode('ann')
  await original.call('account:create', { displayName: 'Ann' })
  await original.stop()
}, 60_000)

afterAll(async () => {
  await stopAll()
  rmSync(root, { recursive: true, force: true })
  rmSync(original.dir, { recursive: true, force: true })
})

describe('a node that cannot start says why', () => {
  it('a database file overwritten at its start: damaged, and left byte for byte as it was', async () => {
    const dir = copyOfData('overwritten')
    const file = join(dir, DB)
    const bytes = readFileSync(file)
    bytes.write('not a database at all', 0)
    writeFileSync(file, bytes)
    const err = await failureOf(dir, original.key)
    expect(describeStartFailure(err, dir)).toBe(
      `the database in ${dir} is damaged or is not a Berty database; it was left as it is. ` +
        `Repair it (the Repair button in the window, or with the node stopped: npm run headless -- --data ${dir} --repair; every row that still reads is kept), ` +
        'restore the directory from a backup, or move it aside to start with a new account'
    )
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('a truncated database file: damaged', async () => {
    const dir = copyOfData('truncated')
    truncateSync(join(dir, DB), 6000)
    expect(describeStartFailure(await failureOf(dir, original.key), dir)).toMatch(/^the database in .* is damaged or is not a Berty database/)
  })

  it('the wrong unlocking key (an OS keychain entry replaced): names the key, not the database', async () => {
    const dir = copyOfData('wrong-key')
    const why = describeStartFailure(await failureOf(dir, new Uint8Array(randomBytes(32))), dir)
    expect(why).toBe(`the key that unlocks ${dir} cannot be used: the wrapping key does not open this keystore (wrong key file or OS keychain entry?)`)
  })

  it('data written by a newer version: says to update', async () => {
    const dir = copyOfData('newer')
    const sql = new Database(join(dir, DB))
    sql.pragma('user_version = 999')
    sql.close()
    const why = describeStartFailure(await failureOf(dir, original.key), dir)
    expect(why).toMatch(new RegExp(`^the data in ${dir} was written by a newer version of Berty Desktop: .*update the app$`))
  })

  it('a directory another process holds: says to stop it; the running node is untouched', async () => {
    const dir = copyOfData('in-use')
    const running = await startNode('ann-running', { dir, key: original.key })
    const why = describeStartFailure(await failureOf(dir, original.key), dir)
    expect(why).toBe(`${dir} is in use by another Berty process (a headless node or another copy of the app): stop it, then start again`)
    expect(await running.call('account:get', {})).toMatchObject({ displayName: 'Ann' })
  })
})
