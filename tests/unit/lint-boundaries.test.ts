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
})
