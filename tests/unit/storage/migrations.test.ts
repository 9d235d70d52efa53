import { statSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, openDatabase } from '../../../core/storage/database'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../../core/storage/migrations'
import { migration0001 } from '../../../core/storage/migrations/0001-initial'
import { migration0002 } from '../../../core/storage/migrations/0002-groups'
import { migration0003 } from '../../../core/storage/migrations/0003-handover'
import { migration0006 } from '../../../core/storage/migrations/0006-replication'
import { migration0008 } from '../../../core/storage/migrations/0008-entry-links'
import { migration0009 } from '../../../core/storage/migrations/0009-handover-floor'
import { migration0010 } from '../../../core/storage/migrations/0010-send-client-id'
import { migration0011 } from '../../../core/storage/migrations/0011-create-client-id'
import { migration0012 } from '../../../core/storage/migrations/0012-chain-skipped-keys'
import { migration0013 } from '../../../core/storage/migrations/0013-unreadable-key-gone'
import { expectCode, tempDir } from './helpers'

const tmp = tempDir('migrations')
afterAll(() => tmp.cleanup())

function columns(db: BetterSqlite3.Database, table: string): string[] {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((r) => r.name)
}

describe('migration runner', () => {
  it('brings a new in-memory database to the latest version', () => {
    const db = openDatabase(':memory:')
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length)
    db.close()
  })

  it('is idempotent', () => {
    const db = openDatabase(':memory:')
    expect(migrate(db.sql)).toBe(LATEST_SCHEMA_VERSION)
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    db.close()
  })

  it('refuses a database written by a newer app version', async () => {
    const path = tmp.path('newer.sqlite')
    openDatabase(path).close()
    const raw = new BetterSqlite3(path)
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    raw.close()
    await expectCode(() => openDatabase(path), 'ERR_SCHEMA_TOO_NEW')
  })

  it('rolls back a failing migration, including user_version', async () => {
    const bad: Migration = {
      version: 2,
      name: 'half-done',
      up(db) {
        db.exec('CREATE TABLE partial (x INTEGER) STRICT')
        throw new Error('boom')
      }
    }
    const path = tmp.path('failing.sqlite')
    const err = await expectCode(() => openDatabase(path, { migrations: [migration0001, bad] }), 'ERR_MIGRATION_FAILED')
    expect((err.cause as Error).message).toBe('boom')
    const raw = new BetterSqlite3(path)
    expect(raw.pragma('user_version', { simple: true })).toBe(1)
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'partial'").get()).toBeUndefined()
    raw.close()
  })

  it('rejects a migration list with gaps', async () => {
    await expectCode(() => openDatabase(':memory:', { migrations: [{ ...migration0001, version: 2 }] }), 'ERR_BAD_INPUT')
  })

  it('applies only the pending migrations after an upgrade', () => {
    const path = tmp.path('upgrade.sqlite')
    openDatabase(path, { migrations: [migration0001] }).close()
    let ran = 0
    const next: Migration = {
      version: 2,
      name: 'add-things',
      up(db) {
        ran++
        db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY) STRICT')
      }
    }
    const db = openDatabase(path, { migrations: [migration0001, next] })
    expect(ran).toBe(1)
    expect(db.schemaVersion).toBe(2)
    db.close()
  })
})

describe('openDatabase', () => {
  it('sets WAL, synchronous=NORMAL, foreign keys, secure_delete and a busy timeout', () => {
    const db = openDatabase(tmp.path('pragmas.sqlite'), { busyTimeoutMs: 1234 })
    expect(db.sql.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.sql.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.sql.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.sql.pragma('busy_timeout', { simple: true })).toBe(1234)
    expect(db.sql.pragma('secure_delete', { simple: true })).toBe(2) // FAST
    db.close()
    expect(db.isOpen).toBe(false)
  })

  it('durable() commits with synchronous=FULL and restores NORMAL', () => {
    const db = openDatabase(':memory:')
    const seen = db.durable(() => db.sql.pragma('synchronous', { simple: true }))
    expect(seen).toBe(2)
    expect(db.sql.pragma('synchronous', { simple: true })).toBe(1)
    db.close()
  })

  it.skipIf(process.platform === 'win32')('creates the file owner-only', () => {
    const path = tmp.path('private/db.sqlite')
    openDatabase(path).close()
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('throws ERR_CLOSED after close', async () => {
    const db = openDatabase(':memory:')
    db.close()
    await expectCode(() => db.transaction(() => 1), 'ERR_CLOSED')
  })
})

describe('0001-initial', () => {
  const db = openDatabase(':memory:', { migrations: [migration0001] })

  it('creates the tables with their columns', () => {
    expect(columns(db.sql, 'keystore')).toEqual(['name', 'sealed', 'created_at'])
    expect(columns(db.sql, 'account')).toEqual([
      'id',
      'account_pk',
      'alias_pk',
      'device_pk',
      'rdv_seed_ref',
      'rdv_seed_generation',
      'rdv_prev_seed_ref',
      'rdv_prev_valid_until',
      'display_name',
      'created_at'
    ])
    expect(columns(db.sql, 'kv')).toEqual(['key', 'value'])
    expect(columns(db.sql, 'blocks')).toEqual(['multihash', 'cid', 'bytes', 'size'])
    expect(columns(db.sql, 'orbit_kv')).toEqual(['namespace', 'key', 'enc', 'value'])
  })

  it('keeps a single account row whose seed references exist in the keystore', () => {
    const pk = new Uint8Array(32)
    const insert = db.sql.prepare(
      `INSERT INTO account (id, account_pk, alias_pk, device_pk, rdv_seed_ref, rdv_seed_generation, created_at)
       VALUES (?, ?, ?, ?, ?, 0, 0)`
    )
    // Dangling rendezvous seed reference: refused by the foreign key.
    expect(() => insert.run(1, pk, pk, pk, 'missing')).toThrow(/FOREIGN KEY/)
    db.sql.prepare("INSERT INTO keystore VALUES ('seed', x'00', 0)").run()
    insert.run(1, pk, pk, pk, 'seed')
    expect(() => insert.run(2, pk, pk, pk, 'seed')).toThrow(/CHECK/)
    expect(() => db.sql.prepare("DELETE FROM keystore WHERE name = 'seed'").run()).toThrow(/FOREIGN KEY/)
  })

  it('checks key lengths and types (STRICT)', () => {
    const fresh = openDatabase(':memory:', { migrations: [migration0001] })
    fresh.sql.prepare("INSERT INTO keystore VALUES ('seed', x'00', 0)").run()
    expect(() =>
      fresh.sql
        .prepare(
          `INSERT INTO account (id, account_pk, alias_pk, device_pk, rdv_seed_ref, rdv_seed_generation, created_at)
           VALUES (1, ?, ?, ?, 'seed', 0, 0)`
        )
        .run(new Uint8Array(31), new Uint8Array(32), new Uint8Array(32))
    ).toThrow(/CHECK/)
    expect(() => fresh.sql.prepare("INSERT INTO kv VALUES (x'2f61', 'text')").run()).toThrow(/cannot store TEXT/)
    expect(() => fresh.sql.prepare("INSERT INTO orbit_kv VALUES ('ns', 'k', 2, x'00')").run()).toThrow(/CHECK/)
    fresh.close()
  })
})

describe('0002-groups', () => {
  const db = openDatabase(':memory:', { migrations: [migration0001, migration0002] })
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
  const gpk = new Uint8Array(32).fill(7)

  it('creates the group tables', () => {
    expect(columns(db.sql, 'groups')).toEqual(['group_pk', 'kind', 'role', 'keys_ref', 'device_ref', 'local_name', 'created_at', 'read_rowid'])
    expect(columns(db.sql, 'group_chains')).toEqual(['group_pk', 'device_pk', 'role', 'sealed'])
    expect(columns(db.sql, 'messages')).toEqual([
      'group_pk', 'id', 'lamport', 'writer', 'device_pk', 'mine', 'sent_at', 'received_at', 'body', 'state'
    ])
    expect(columns(db.sql, 'log_processed')).toEqual(['group_pk', 'log', 'hash', 'status', 'device_pk', 'counter', 'reason'])
  })

  it('ties members to a device seed and replicas to none', () => {
    const insert = db.sql.prepare('INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, ?, ?, ?, ?, 0)')
    expect(() => insert.run(gpk, 'multi', 'member', 'keys', null)).toThrow(/CHECK/)
    expect(() => insert.run(gpk, 'multi', 'replica', 'keys', 'dev')).toThrow(/CHECK/)
    expect(() => insert.run(gpk, 'bogus', 'member', 'keys', 'dev')).toThrow(/CHECK/)
    insert.run(gpk, 'multi', 'member', 'keys', 'dev')
  })

  it('deletes a group with its chains, messages and processing state', () => {
    db.sql.prepare("INSERT INTO group_chains VALUES (?, ?, 'send', x'01')").run(gpk, gpk)
    db.sql
      .prepare("INSERT INTO messages VALUES (?, 'h1', 1, 'w', ?, 1, 0, 0, x'00', 'sent')")
      .run(gpk, gpk)
    db.sql.prepare("INSERT INTO log_processed VALUES (?, 'msg', 'h1', 'ok', NULL, NULL, NULL)").run(gpk)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    for (const t of ['group_chains', 'messages', 'log_processed']) {
      expect(db.sql.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 })
    }
  })

  it('serves the hot queries from indexes', () => {
    const plan = (q: string) =>
      (db.sql.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n')
    const page = plan(
      `SELECT * FROM messages WHERE group_pk = x'00' AND (lamport, writer, id) < (1, 'w', 'h')
       ORDER BY lamport DESC, writer DESC, id DESC LIMIT 50`
    )
    expect(page).toMatch(/USING INDEX messages_order/)
    expect(page).not.toMatch(/TEMP B-TREE/)
    expect(plan("SELECT hash FROM log_processed WHERE group_pk = x'00' AND status = 'pending' AND device_pk = x'01'")).toMatch(
      /USING (COVERING )?INDEX log_processed_pending/
    )
    expect(plan("SELECT status FROM log_processed WHERE group_pk = x'00' AND log = 'msg' AND hash = 'h'")).toMatch(
      /USING INDEX sqlite_autoindex_log_processed_1/
    )
  })
})

describe('0003-handover', () => {
  const db = openDatabase(':memory:', { migrations: [migration0001, migration0002, migration0003] })
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
  const gpk = new Uint8Array(32).fill(9)
  db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(gpk)

  it('adds sender checkpoints and the unreadable marker of placeholder rows', () => {
    expect(columns(db.sql, 'sender_checkpoints')).toEqual(['group_pk', 'counter', 'at', 'sealed'])
    expect(columns(db.sql, 'messages')).toContain('unreadable')
    const insert = db.sql.prepare("INSERT INTO messages VALUES (?, ?, 1, 'w', ?, 0, 0, 0, x'', 'received', ?)")
    insert.run(gpk, 'h1', gpk, 'before-join')
    insert.run(gpk, 'h2', gpk, null)
    expect(() => insert.run(gpk, 'h3', gpk, 'bogus')).toThrow(/CHECK/)
    expect(() => db.sql.prepare('INSERT INTO sender_checkpoints VALUES (?, -1, 0, x\'00\')').run(gpk)).toThrow(/CHECK/)
  })

  it('deletes checkpoints with their group', () => {
    db.sql.prepare("INSERT INTO sender_checkpoints VALUES (?, 0, 0, x'00')").run(gpk)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    expect(db.sql.prepare('SELECT count(*) AS n FROM sender_checkpoints').get()).toEqual({ n: 0 })
  })
})

describe('0006-replication', () => {
  const db = openDatabase(':memory:', { migrations: [migration0001, migration0002, migration0003, migration0006] })
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0)").run()
  const gpk = new Uint8Array(32).fill(9)
  db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'replica', 'keys', NULL, 0)").run(gpk)

  it('creates the replication tables', () => {
    expect(columns(db.sql, 'replica_served')).toEqual(['group_pk', 'state', 'added_at', 'left_at', 'last_sync_at', 'entries', 'bytes'])
    expect(columns(db.sql, 'replica_served_tokens')).toEqual(['group_pk', 'jti', 'expires_at', 'quota_bytes', 'added_at'])
    expect(columns(db.sql, 'group_replicas')).toEqual(['group_pk', 'peer_id', 'server', 'added_at'])
  })

  it('checks states and ties every row to its group', () => {
    expect(() => db.sql.prepare("INSERT INTO replica_served (group_pk, state, added_at) VALUES (?, 'bogus', 0)").run(gpk)).toThrow(/CHECK/)
    expect(() => db.sql.prepare("INSERT INTO replica_served (group_pk, state, added_at) VALUES (?, 'active', 0)").run(new Uint8Array(32))).toThrow(/FOREIGN KEY/)
    db.sql.prepare("INSERT INTO replica_served (group_pk, state, added_at) VALUES (?, 'active', 0)").run(gpk)
    db.sql.prepare("INSERT INTO replica_served_tokens VALUES (?, 'jti', 1, NULL, 0)").run(gpk)
    db.sql.prepare("INSERT INTO group_replicas VALUES (?, 'peer', '/ip4/127.0.0.1/tcp/1', 0)").run(gpk)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    for (const t of ['replica_served', 'replica_served_tokens', 'group_replicas']) {
      expect(db.sql.prepare(`SELECT count(*) AS n FROM ${t}`).get()).toEqual({ n: 0 })
    }
  })
})

describe('0008-entry-links', () => {
  it("moves each entry's links into its index row and drops the links namespaces", () => {
    const path = `${tmp.dir}/links.db`
    const before = openDatabase(path, { migrations: [migration0001, migration0002, migration0003, migration0006] })
    const put = before.sql.prepare('INSERT INTO orbit_kv (namespace, key, enc, value) VALUES (?, ?, ?, ?)')
    const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))
    const links = { n: ['zdpuPrev'], r: [], t: 7 }
    put.run('aa:msg:index', 'h1', 1, json(true))
    put.run('aa:msg:links', 'h1', 1, json(links))
    put.run('aa:msg:index', 'h2', 1, json(true)) // no links kept: stays true
    put.run('aa:meta:links', 'h3', 1, json(links)) // links of an entry not indexed: dropped
    put.run('aa:msg:entries', 'h1', 0, new Uint8Array([1, 2, 3]))
    put.run('other:index', 'h1', 1, json(true)) // a namespace of another shape with no links beside it
    before.close()

    const db = openDatabase(path, { migrations: [migration0001, migration0002, migration0003, migration0006, migration0008] })
    const rows = db.sql
      .prepare<[], { namespace: string; key: string; enc: number; value: Uint8Array }>('SELECT namespace, key, enc, value FROM orbit_kv ORDER BY namespace, key')
      .all()
      .map((r) => ({ ns: r.namespace, key: r.key, value: r.enc === 1 ? JSON.parse(new TextDecoder().decode(r.value)) : [...r.value] }))
    expect(rows).toEqual([
      { ns: 'aa:msg:entries', key: 'h1', value: [1, 2, 3] },
      { ns: 'aa:msg:index', key: 'h1', value: links },
      { ns: 'aa:msg:index', key: 'h2', value: true },
      { ns: 'other:index', key: 'h1', value: true }
    ])
    db.close()
  })
})

describe('0009-handover-floor', () => {
  const db = openDatabase(':memory:', { migrations: [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009] })
  db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
  const gpk = new Uint8Array(32).fill(7)
  db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(gpk)

  it('keeps one floor per group, checked, deleted with its group', () => {
    expect(columns(db.sql, 'handover_floors')).toEqual(['group_pk', 'contact_at'])
    db.sql.prepare('INSERT INTO handover_floors VALUES (?, NULL)').run(gpk)
    expect(() => db.sql.prepare('INSERT INTO handover_floors VALUES (?, 5)').run(gpk)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => db.sql.prepare('UPDATE handover_floors SET contact_at = -1').run()).toThrow(/CHECK/)
    expect(() => db.sql.prepare('INSERT INTO handover_floors VALUES (?, NULL)').run(new Uint8Array(32))).toThrow(/FOREIGN KEY/)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    expect(db.sql.prepare('SELECT count(*) AS n FROM handover_floors').get()).toEqual({ n: 0 })
  })
})

describe('0010-send-client-id', () => {
  it('adds a checked client_id to the messages a database already holds, indexed per group', () => {
    const db = openDatabase(':memory:', { migrations: [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009] })
    db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
    const gpk = new Uint8Array(32).fill(9)
    db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(gpk)
    db.sql.prepare("INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state) VALUES (?, 'old', 1, 'w', ?, 1, 0, 0, x'00', 'sent')").run(gpk, new Uint8Array(32))
    migrate(db.sql, [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010])
    expect(db.schemaVersion).toBe(7)
    expect(columns(db.sql, 'messages')).toContain('client_id')
    expect(db.sql.prepare('SELECT id, client_id FROM messages').all()).toEqual([{ id: 'old', client_id: null }])
    const add = db.sql.prepare("INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, client_id) VALUES (?, ?, 2, 'w', ?, 1, 0, 0, x'00', 'sent', ?)")
    add.run(gpk, 'new', new Uint8Array(32), 'abcdefgh-1234')
    expect(() => add.run(gpk, 'short', new Uint8Array(32), 'abc')).toThrow(/CHECK/)
    const plan = db.sql.prepare("EXPLAIN QUERY PLAN SELECT id FROM messages WHERE group_pk = ? AND client_id = ? AND mine = 1").all(gpk, 'abcdefgh-1234') as Array<{ detail: string }>
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/messages_client_id/)
    db.close()
  })
})

describe('0011-create-client-id', () => {
  it('adds a checked client_id to the groups a database already holds', () => {
    const db = openDatabase(':memory:', { migrations: [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010] })
    db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
    const add = (pk: number, clientId: string | null) =>
      db.sql
        .prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at, client_id) VALUES (?, 'multi', 'member', 'keys', 'dev', 0, ?)")
        .run(new Uint8Array(32).fill(pk), clientId)
    db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(new Uint8Array(32).fill(1))
    migrate(db.sql, [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010, migration0011])
    expect(db.schemaVersion).toBe(8)
    expect(db.sql.prepare('SELECT client_id FROM groups').all()).toEqual([{ client_id: null }])
    add(2, 'create-0001')
    expect(() => add(3, 'short')).toThrow(/CHECK/)
    const plan = db.sql.prepare('EXPLAIN QUERY PLAN SELECT * FROM groups WHERE client_id = ?').all('create-0001') as Array<{ detail: string }>
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/groups_client_id/)
    db.close()
  })
})

describe('0012-chain-skipped-keys', () => {
  it('keeps one row per skipped key of a chain, checked, deleted with its group', () => {
    const before = [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010, migration0011]
    const db = openDatabase(':memory:', { migrations: before })
    db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
    const gpk = new Uint8Array(32).fill(4)
    db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(gpk)
    migrate(db.sql, [...before, migration0012])
    expect(db.schemaVersion).toBe(9)
    expect(columns(db.sql, 'group_chain_skipped')).toEqual(['group_pk', 'device_pk', 'counter', 'sealed'])
    const add = db.sql.prepare('INSERT INTO group_chain_skipped VALUES (?, ?, ?, x\'00\')')
    const device = new Uint8Array(32).fill(5)
    add.run(gpk, device, 3)
    expect(() => add.run(gpk, device, 3)).toThrow(/UNIQUE|PRIMARY/)
    expect(() => add.run(gpk, device, -1)).toThrow(/CHECK/)
    expect(() => add.run(gpk, new Uint8Array(31), 4)).toThrow(/CHECK/)
    expect(() => add.run(new Uint8Array(32), device, 4)).toThrow(/FOREIGN KEY/)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    expect(db.sql.prepare('SELECT count(*) AS n FROM group_chain_skipped').get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('0013-unreadable-key-gone', () => {
  it('rebuilds messages with the second placeholder reason, rows, columns and indexes as they were', () => {
    const before = [migration0001, migration0002, migration0003, migration0006, migration0008, migration0009, migration0010, migration0011, migration0012]
    const db = openDatabase(':memory:', { migrations: before })
    db.sql.prepare("INSERT INTO keystore VALUES ('keys', x'00', 0), ('dev', x'00', 0)").run()
    const gpk = new Uint8Array(32).fill(6)
    db.sql.prepare("INSERT INTO groups (group_pk, kind, role, keys_ref, device_ref, created_at) VALUES (?, 'multi', 'member', 'keys', 'dev', 0)").run(gpk)
    const add = (id: string, unreadable: string | null, clientId: string | null) =>
      db.sql
        .prepare("INSERT INTO messages (group_pk, id, lamport, writer, device_pk, mine, sent_at, received_at, body, state, unreadable, client_id) VALUES (?, ?, 1, 'w', ?, 0, 5, 6, x'01', 'received', ?, ?)")
        .run(gpk, id, new Uint8Array(32), unreadable, clientId)
    add('a', null, 'client-0001')
    add('b', 'before-join', null)
    expect(() => add('c', 'key-gone', null)).toThrow(/CHECK/)
    const rows = db.sql.prepare('SELECT * FROM messages ORDER BY id').all()
    migrate(db.sql, [...before, migration0013])
    expect(db.schemaVersion).toBe(10)
    expect(db.sql.prepare('SELECT * FROM messages ORDER BY id').all()).toEqual(rows)
    add('c', 'key-gone', null)
    expect(() => add('d', 'other', null)).toThrow(/CHECK/)
    const indexes = db.sql.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name").all().map((r) => r.name)
    expect(indexes).toEqual(['messages_client_id', 'messages_order', 'sqlite_autoindex_messages_1'])
    expect(() => add('e', null, 'short')).toThrow(/CHECK/)
    db.sql.prepare('DELETE FROM groups WHERE group_pk = ?').run(gpk)
    expect(db.sql.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 })
    db.close()
  })
})
