// Public surface of core/protocol for other layers: re-exports only.
export * from './links'
export { base64Std, publicRendezvousPoint, rendezvousDhtKey, type PublicRendezvousPoint } from './rendezvous'
