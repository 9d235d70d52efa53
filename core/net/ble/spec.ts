/**
 * The daemon's `--ble SPEC`, parsed without loading any BLE code (usage errors answer instantly):
 * `sim:PATH[#LABEL]` (the radio simulator on Unix socket PATH, as device LABEL) or `hw` (this machine's
 * adapter).
 */
export type BleSpec = { kind: 'sim'; socket: string; label?: string } | { kind: 'hw' }

/** Returns the spec, or an error message (a CLI usage error) instead of throwing. */
export function parseBleSpec(spec: string): BleSpec | string {
  if (spec === 'hw') return { kind: 'hw' }
  if (spec.startsWith('sim:')) {
    const rest = spec.slice(4)
    const hash = rest.indexOf('#')
    const socket = hash < 0 ? rest : rest.slice(0, hash)
    const label = hash < 0 ? undefined : rest.slice(hash + 1)
    if (socket.length === 0) return 'sim: needs a socket path (sim:PATH[#LABEL])'
    if (label != null && !/^[A-Za-z0-9._-]{1,64}$/.test(label)) return `sim: label must be 1-64 of [A-Za-z0-9._-], got ${JSON.stringify(label)}`
    return { kind: 'sim', socket, ...(label != null ? { label } : {}) }
  }
  return `expected sim:PATH[#LABEL] or hw, got ${JSON.stringify(spec)}`
}
