// core/daemon/cli.ts built once into one ESM file, so many daemon processes start without each
// compiling the source tree through tsx (startDaemonProcess `entry`). Dependencies are bundled too:
// resolving and loading node_modules file by file cost a start about as much CPU again (measured:
// 3.9 s CPU to ready with --packages=external, 1.8 s with everything bundled, same run). Packages with
// a native addon stay external (node loads them from node_modules, their binaries found beside
// them): NATIVE below; one missing there fails at start ("__dirname is not defined"), never
// silently. A `require` made from import.meta.url serves the CommonJS parts' own requires. The verify
// pool's worker is inline source (core/crypto/provider.ts), so there is no worker file to locate.
//
// The bundle is written to out/daemon/cli.mjs: inside the repository, so its bare imports resolve
// from the repository's node_modules, and two levels deep, as cli.ts is, so the renderer directory it
// derives from import.meta.url (../../out/renderer) is the same path.
import { execFileSync } from 'node:child_process'
import { mkdirSync, renameSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

/** Dependencies with a native addon (a `.node` binary under node_modules), and their optional loaders. */
const NATIVE = [
  'better-sqlite3',
  'sodium-native',
  'classic-level',
  '@chainsafe/libp2p-quic',
  '@ipshipyard/node-datachannel',
  'node-datachannel',
  'dbus-next',
  'usb',
  'serialport',
  '@serialport/*',
  '@stoprocent/*'
]

/** Builds the daemon bundle (a few seconds) and returns its path. */
export function buildDaemonBundle(): string {
  const dir = join(root, 'out/daemon')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'cli.mjs')
  // Written aside and renamed: a daemon of another run starting from the old file never reads half a file.
  const tmp = join(dir, `cli.${process.pid}.tmp.mjs`)
  execFileSync(
    join(root, 'node_modules/.bin/esbuild'),
    [
      'core/daemon/cli.ts',
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      '--log-level=warning',
      ...NATIVE.map((p) => `--external:${p}`),
      "--banner:js=import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
      `--outfile=${tmp}`
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 60_000 }
  )
  renameSync(tmp, out)
  return out
}
