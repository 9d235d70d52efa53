export { DeviceLinkError, type DeviceLinkErrorCode } from './errors'
export * from './invitation'
export * from './handshake'
