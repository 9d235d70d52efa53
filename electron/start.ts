/**
 * `npm start`: build, then launch the Electron app. Where no Electron binary exists
 * (CI, servers, this project's build machine) say so plainly and start the same node
 * headless instead, serving the same UI to a browser.
 */
import { spawn, spawnSync } from 'node:child_process'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { findElectronBinary } from './find-binary'

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (res.status !== 0) process.exit(res.status ?? 1)
}

run('npx', ['electron-vite', 'build'])

const electron = findElectronBinary()
const forward = (child: ReturnType<typeof spawn>) => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig))
  child.on('exit', (code) => process.exit(code ?? 0))
}

if (electron.found) {
  forward(spawn(electron.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit' }))
} else {
  const dataDir = process.env.BERTY_DATA ?? join(homedir(), '.berty-desktop', 'headless')
  console.error(`berty: cannot start the desktop window: ${electron.reason}`)
  console.error(`berty: starting the headless node instead (data in ${dataDir}); open the printed "ui" address in a browser.`)
  forward(
    spawn('npx', ['tsx', 'core/daemon/cli.ts', '--data', dataDir, '--api-port', process.env.BERTY_API_PORT ?? '4242', ...process.argv.slice(2)], {
      stdio: 'inherit'
    })
  )
}
