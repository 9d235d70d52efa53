/**
 * Handlers of the device-linking methods (core/api/contract-devices.ts) over core/linking, and the
 * mapping of its errors onto API codes with messages the UI can show as they are.
 */
import { ApiError, ErrorCode } from '../api/errors'
import type { DeviceT } from '../api/contract-devices'
import { base64urlEncode } from '../bytes'
import type { DeviceLinking } from '../linking/linking'
import { DeviceLinkError } from '../protocol/device-link'
import type { ApiHandlers } from './dispatch'
import { key } from './mappers'
import type { EventListener } from './service'

type DeviceMethods = 'device:invite' | 'device:link' | 'device:challenge:answer' | 'device:challenge:confirm' | 'device:link:cancel' | 'device:fingerprint' | 'device:list' | 'device:rename'

export function deviceLinkErrorToApi(err: unknown): unknown {
  if (!(err instanceof DeviceLinkError)) return err
  switch (err.code) {
    case 'ERR_ACCOUNT_EXISTS':
      return new ApiError(ErrorCode.ACCOUNT_EXISTS, err.message)
    case 'ERR_LINK_INVALID':
    case 'ERR_LINK_EXPIRED':
    case 'ERR_LINK_UNKNOWN':
      return new ApiError(ErrorCode.INVALID_INVITATION, err.message)
    case 'ERR_LINK_UNREACHABLE':
      return new ApiError(ErrorCode.NETWORK, err.message)
    case 'ERR_NO_SESSION':
      return new ApiError(ErrorCode.NOT_FOUND, err.message)
    case 'ERR_LINK_REFUSED':
      return new ApiError(ErrorCode.LINK_REFUSED, err.message)
    case 'ERR_LINK_WRONG_ANSWER':
    case 'ERR_LINK_BUSY':
      return new ApiError(ErrorCode.INVALID_PARAMS, err.message)
    default:
      return new ApiError(ErrorCode.LINK_REFUSED, err.message)
  }
}

export function createDeviceHandlers(linking: DeviceLinking, wrap: <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) => (...a: A) => Promise<R>): Pick<ApiHandlers, DeviceMethods> {
  const w = <A extends unknown[], R>(fn: (...a: A) => Promise<R> | R) =>
    wrap(async (...a: A): Promise<R> => {
      try {
        return await fn(...a)
      } catch (err) {
        throw deviceLinkErrorToApi(err)
      }
    })
  const list = async (): Promise<DeviceT[]> =>
    (await linking.listDevices()).map((d) => ({
      devicePk: base64urlEncode(d.devicePk),
      current: d.current,
      role: d.role,
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.lastSeen !== undefined ? { lastSeen: d.lastSeen } : {}),
      ...(d.linkedAt !== undefined ? { linkedAt: d.linkedAt } : {}),
      ...(d.replacedAt !== undefined ? { replacedAt: d.replacedAt } : {})
    }))
  return {
    'device:invite': w(async ({ challenge, ttlSeconds, role }) =>
      linking.invite({ ...(challenge ? { challenge } : {}), ...(ttlSeconds ? { ttlMs: ttlSeconds * 1000 } : {}), ...(role ? { role } : {}) })
    ),
    'device:link': w(async ({ link, challenge, acceptFingerprint, role }, ctx) =>
      linking.link(link.trim(), { ...(challenge ? { challenge } : {}), ...(acceptFingerprint ? { acceptFingerprint } : {}), ...(role ? { role } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) })
    ),
    'device:challenge:answer': w(async (answer) => linking.answer(answer)),
    'device:challenge:confirm': w(async ({ fingerprint }) => {
      linking.confirm(fingerprint !== undefined ? { fingerprint } : {})
      return { ok: true as const }
    }),
    'device:link:cancel': w(async () => {
      linking.cancel()
      return { ok: true as const }
    }),
    'device:fingerprint': w(async () => ({ fingerprint: await linking.ownFingerprint() })),
    'device:list': w(list),
    'device:rename': w(async ({ devicePk, name }) => {
      await linking.rename(key(devicePk), name)
      const d = (await list()).find((x) => x.devicePk === devicePk)
      if (!d) throw new ApiError(ErrorCode.NOT_FOUND, 'no such device in this account')
      return d
    })
  }
}

/** Linking events → API events, for one listener; returns its unsubscribe. */
export function bridgeDeviceEvents(linking: DeviceLinking, listener: EventListener): () => void {
  return linking.on((e) => {
    if (e.type === 'challenge') {
      listener('device:challenge', {
        kind: e.kind,
        ...(e.pin !== undefined ? { pin: e.pin } : {}),
        ...(e.fingerprint !== undefined ? { fingerprint: e.fingerprint } : {}),
        deviceName: e.deviceName,
        triesLeft: e.triesLeft
      })
    } else if (e.type === 'linked') {
      listener('device:linked', { side: e.side, devicePk: base64urlEncode(e.devicePk), ...(e.name !== undefined ? { name: e.name } : {}) })
    } else {
      listener('device:failed', { side: e.side, code: e.code, message: e.message })
    }
  })
}
