/**
 * Locate the Electron executable WITHOUT `require('electron')`: that module tries to
 * download the binary on first use, which hangs or fails on machines that cannot reach
 * the download host. Used by `npm start` and the Playwright `_electron` spec.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string }

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function platformExecutable(): string {
  switch (process.platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'win32':
      return 'electron.exe'
    default:
      return 'electron'
  }
}

function usable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export function findElectronBinary(root: string = repoRoot): ElectronBinary {
  const tried: string[] = []
  const candidates: string[] = []
  if (process.env.ELECTRON_PATH) candidates.push(process.env.ELECTRON_PATH)
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    candidates.push(join(process.env.ELECTRON_OVERRIDE_DIST_PATH, platformExecutable()))
  }
  const pkgDir = join(root, 'node_modules', 'electron')
  const pathFile = join(pkgDir, 'path.txt')
  if (existsSync(pathFile)) candidates.push(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  candidates.push(join(pkgDir, 'dist', platformExecutable()))

  for (const candidate of candidates) {
    if (usable(candidate)) return { found: true, path: candidate }
    tried.push(candidate)
  }
  return {
    found: false,
    reason:
      `no Electron executable found (tried ${tried.join(', ')}). The electron npm package ships ` +
      'only JavaScript; its binary is a separate download that has not happened on this machine. ' +
      'Set ELECTRON_PATH to an installed Electron to use it.'
  }
}
