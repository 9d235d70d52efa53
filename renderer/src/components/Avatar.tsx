import type { CSSProperties } from 'react'
import { hueOf, initial } from '../lib/format'

/** A colored initial; decorative, the name is always next to it. */
export function Avatar({ name, seed, size = 'md' }: { name: string; seed: string; size?: 'sm' | 'md' }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ '--hue': String(hueOf(seed)) } as CSSProperties} aria-hidden="true">
      {initial(name)}
    </span>
  )
}
