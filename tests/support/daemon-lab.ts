// What the tests that kill real daemons share: their daemons and temporary directories, cleaned after
// each test (daemons killed, in-process nodes stopped, directories removed). Test files only (vitest's
// afterEach); the bench imports the scenarios, not this.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { stopAll } from '../integration/helpers'
import type { DaemonProcess } from './daemon-process'

/** Registers the clean-up; push started daemons on `running`. */
export function daemonLab(): { running: DaemonProcess[]; tempDir(prefix: string): string } {
  const running: DaemonProcess[] = []
  const dirs: string[] = []
  afterEach(async () => {
    for (const d of running.splice(0)) await d.kill9().catch(() => undefined)
    await stopAll()
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  return {
    running,
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix))
      dirs.push(dir)
      return dir
    }
  }
}
