const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

/** "14:05" today, "Mar 3" before. */
export function shortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms)
  if (!Number.isFinite(d.getTime())) return ''
  return sameDay(d, new Date(now)) ? timeFmt.format(d) : dayFmt.format(d)
}

export function messageTime(ms: number, now = Date.now()): string {
  const d = new Date(ms)
  if (!Number.isFinite(d.getTime())) return ''
  return sameDay(d, new Date(now)) ? timeFmt.format(d) : `${dayFmt.format(d)} ${timeFmt.format(d)}`
}

export function fullTime(ms: number): string {
  const d = new Date(ms)
  return Number.isFinite(d.getTime()) ? fullFmt.format(d) : ''
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`
}

export function initial(name: string): string {
  const ch = [...name.trim()][0]
  return ch ? ch.toUpperCase() : '?'
}

/** A stable hue per key, for avatars. */
export function hueOf(key: string): number {
  let h = 0
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0
  return h % 360
}
