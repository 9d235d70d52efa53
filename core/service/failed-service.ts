/**
 * What a host serves when its node could not start because the database file is damaged: every
 * call answers DATA_DAMAGED with the start-failure line (the window shows it with its Repair
 * button), except `node:repair`, which asks for the repair (repair-request.ts) and has the host
 * start the node again. The headless daemon serves it instead of exiting, so a person at the web UI
 * can repair as in the desktop app (electron/main/lifecycle-logic.ts does the same for IPC).
 */
import { METHOD_NAMES } from '../api/channels'
import { ApiError, ErrorCode } from '../api/errors'
import type { ApiHandlers } from './dispatch'
import { requestRepair } from './repair-request'
import type { BertyService } from './service'

export interface FailedServiceOptions {
  dataDir: string
  /** The start-failure line (start-failure.ts). */
  reason: string
  /** Starts the node again (its start runs the repair). */
  restart: () => void
}

export function createFailedService(options: FailedServiceOptions): BertyService {
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async () => {
        throw new ApiError(ErrorCode.DATA_DAMAGED, options.reason)
      }
    ])
  ) as unknown as ApiHandlers
  handlers['node:repair'] = async () => {
    requestRepair(options.dataDir)
    // After the answer has gone out.
    setTimeout(options.restart, 50)
    return { restarting: true }
  }
  return {
    handlers,
    onEvent: () => () => {},
    peerId: () => '',
    addrs: () => [],
    stop: async () => {}
  }
}
