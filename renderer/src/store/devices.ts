/**
 * Device linking for the UI (spec "Linking Devices"): thin calls over the node API, and the linking
 * events. Kept out of the app store's state: the two screens that use it (onboarding's "Link to an
 * existing account" and Settings → "Linked devices") hold their own short-lived state.
 */
import type { EventName, EventPayload, Params, Result } from '../../../core/api'
import type { AppClient } from '../api/types'

export interface DeviceActions {
  invite(params: Params<'device:invite'>): Promise<Result<'device:invite'>>
  link(params: Params<'device:link'>): Promise<Result<'device:link'>>
  answer(params: Params<'device:challenge:answer'>): Promise<Result<'device:challenge:answer'>>
  confirm(fingerprint?: string): Promise<void>
  cancel(): Promise<void>
  fingerprint(): Promise<string>
  list(): Promise<Result<'device:list'>>
  rename(devicePk: string, name: string): Promise<Result<'device:rename'>>
  on<E extends Extract<EventName, `device:${string}`>>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function createDeviceActions(client: AppClient, onLinked: () => void): DeviceActions {
  return {
    invite: (params) => client.call('device:invite', params),
    link: (params) => client.call('device:link', params),
    async answer(params) {
      const r = await client.call('device:challenge:answer', params)
      if (r.linked) onLinked()
      return r
    },
    async confirm(fingerprint) {
      await client.call('device:challenge:confirm', fingerprint !== undefined ? { fingerprint } : {})
    },
    async cancel() {
      await client.call('device:link:cancel', {})
    },
    fingerprint: async () => (await client.call('device:fingerprint', {})).fingerprint,
    list: () => client.call('device:list', {}),
    rename: (devicePk, name) => client.call('device:rename', { devicePk, name }),
    on: (event, listener) => client.on(event, listener)
  }
}
