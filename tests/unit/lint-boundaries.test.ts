// The module boundaries of ARCHITECTURE.md are enforced by ESLint; this pins the rules
// themselves so a config edit cannot silently drop one.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length
}

describe('architecture boundaries', () => {
  it('core never imports electron', async () => {
    expect(await restrictedImports('core/storage/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toBe(1)
  })

  it('core/crypto, core/protocol and core/api import no I/O', async () => {
    for (const dir of ['core/crypto', 'core/protocol', 'core/api']) {
      const code = "import fs from 'node:fs'\nimport { tcp } from '@libp2p/tcp'\nexport const a = [fs, tcp]\n"
      expect(await restrictedImports(`${dir}/x.ts`, code)).toBe(2)
    }
  })

  it('core/storage may use better-sqlite3', async () => {
    expect(await restrictedImports('core/storage/x.ts', "import D from 'better-sqlite3'\nexport const a = D\n")).toBe(0)
  })

  it('the renderer imports only types from core/api, and no node or electron', async () => {
    expect(await restrictedImports('renderer/src/x.ts', "import type { MessageT } from '../../core/api'\nexport type A = MessageT\n")).toBe(0)
    expect(await restrictedImports('renderer/src/x.ts', "import { methods } from '../../core/api'\nexport const a = methods\n")).toBe(1)
    expect(await restrictedImports('renderer/src/x.ts', "import { x } from '../../core/crypto'\nexport const a = x\n")).toBe(1)
    expect(await restrictedImports('renderer/src/x.ts', "import fs from 'node:fs'\nexport const a = fs\n")).toBe(1)
    expect(await restrictedImports('renderer/src/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toBe(1)
  })

  it('the renderer may import the contract constants by value, nothing else of core/api', async () => {
    expect(await restrictedImports('renderer/src/x.ts', "import { MAX_TEXT_BYTES } from '../../core/api/constants'\nexport const a = MAX_TEXT_BYTES\n")).toBe(0)
    expect(await restrictedImports('renderer/src/x.ts', "import { ApiError } from '../../core/api/errors'\nexport const a = ApiError\n")).toBe(1)
  })

  it('core/groups never imports core/service', async () => {
    expect(await restrictedImports('core/groups/x.ts', "import { createApiHandlers } from '../service/handlers'\nexport const a = createApiHandlers\n")).toBe(1)
    expect(await restrictedImports('core/groups/sync/x.ts', "import type { Dispatcher } from '../../service/dispatch'\nexport type A = Dispatcher\n")).toBe(1)
    expect(await restrictedImports('core/groups/x.ts', "import { fromHex } from '../bytes'\nexport const a = fromHex\n")).toBe(0)
  })

  it('only the crypto provider imports node:crypto', async () => {
    for (const file of ['core/groups/x.ts', 'core/daemon/x.ts', 'core/storage/x.ts', 'core/crypto/hash.ts', 'core/net/x.ts']) {
      expect(await restrictedImports(file, "import { createHash } from 'node:crypto'\nexport const a = createHash\n")).toBe(1)
    }
    expect(await restrictedImports('core/crypto/provider.ts', "import { createHash } from 'node:crypto'\nexport const a = createHash\n")).toBe(0)
  })

  it('core/storage imports neither protocol, groups nor service', async () => {
    expect(await restrictedImports('core/storage/x.ts', "import { createAccountKeys } from '../protocol/account'\nexport const a = createAccountKeys\n")).toBe(1)
    expect(await restrictedImports('core/storage/x.ts', "import { Groups } from '../groups/groups'\nexport const a = Groups\n")).toBe(1)
    expect(await restrictedImports('core/storage/x.ts', "import { wipe } from '../crypto'\nexport const a = wipe\n")).toBe(0)
  })
})
