// Public surface of core/protocol for other layers: re-exports only.
export * from './links'
