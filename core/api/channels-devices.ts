/** Names of the device-linking methods and events (core/api/contract-devices.ts); plain data for the preload. */
export const DEVICE_METHOD_NAMES = [
  'device:invite',
  'device:link',
  'device:challenge:answer',
  'device:challenge:confirm',
  'device:link:cancel',
  'device:fingerprint',
  'device:list',
  'device:rename'
] as const

export const DEVICE_EVENT_NAMES = ['device:challenge', 'device:linked', 'device:failed'] as const
