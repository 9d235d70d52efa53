// Regenerates the app and tray icons as real PNGs with no dependency but node:zlib:
//   node resources/make-icons.mjs
// The logo is a rounded speech bubble with three dots (Berty-like). Shapes are drawn in unit
// coordinates and rasterised with 4×4 supersampling, so every size is anti-aliased.
//   icon.png        512×512  app icon (electron-builder, window icon): white bubble on a blue tile
//   tray.png        32×32    tray: blue bubble with the dots cut out (alpha-only on macOS, as a template)
//   tray@2x.png     64×64    the same for 2× displays
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const BLUE_TOP = [0x52, 0x5c, 0xf6]
const BLUE_BOTTOM = [0x2c, 0x38, 0xcf]
const BLUE = [0x3f, 0x49, 0xea]
const WHITE = [0xff, 0xff, 0xff]

// --- geometry (unit square, y down) ---------------------------------------------------------
function inRoundRect(x, y, [x0, y0, x1, y1], r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}
function inCircle(x, y, cx, cy, r) {
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (p0x, p0y, p1x, p1y) => (x - p1x) * (p0y - p1y) - (p0x - p1x) * (y - p1y)
  const d1 = s(ax, ay, bx, by)
  const d2 = s(bx, by, cx, cy)
  const d3 = s(cx, cy, ax, ay)
  const neg = d1 < 0 || d2 < 0 || d3 < 0
  const pos = d1 > 0 || d2 > 0 || d3 > 0
  return !(neg && pos)
}

/** The bubble: a rounded body plus a tail at the bottom left; `box` is its body in unit coords. */
function bubble(box, radius) {
  const [x0, y0, x1, y1] = box
  const w = x1 - x0
  const h = y1 - y0
  const tail = [
    [x0 + w * 0.16, y1 - radius * 0.5],
    [x0 + w * 0.42, y1 - 0.001],
    [x0 + w * 0.08, y1 + h * 0.3]
  ]
  return (x, y) => inRoundRect(x, y, box, radius) || inTriangle(x, y, tail[0], tail[1], tail[2])
}
function dots(box, r) {
  const [x0, y0, x1, y1] = box
  const cy = (y0 + y1) / 2
  const cx = (x0 + x1) / 2
  const gap = (x1 - x0) * 0.21
  return (x, y) => inCircle(x, y, cx - gap, cy, r) || inCircle(x, y, cx, cy, r) || inCircle(x, y, cx + gap, cy, r)
}

// --- raster ------------------------------------------------------------------------------------
const SS = 4
/** layers: [{ inside(x, y) → bool, color(x, y) → [r, g, b] }] painted in order over transparency. */
function render(size, layers) {
  const px = new Uint8Array(size * size * 4)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sj = 0; sj < SS; sj++) {
        for (let si = 0; si < SS; si++) {
          const x = (i + (si + 0.5) / SS) / size
          const y = (j + (sj + 0.5) / SS) / size
          let sample = null
          for (const layer of layers) {
            if (layer.inside(x, y)) sample = layer.color === null ? null : layer.color(x, y)
          }
          if (sample) {
            r += sample[0]
            g += sample[1]
            b += sample[2]
            a += 1
          }
        }
      }
      const o = (j * size + i) * 4
      if (a > 0) {
        px[o] = Math.round(r / a)
        px[o + 1] = Math.round(g / a)
        px[o + 2] = Math.round(b / a)
        px[o + 3] = Math.round((255 * a) / (SS * SS))
      }
    }
  }
  return px
}

// --- PNG ---------------------------------------------------------------------------------------
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  Buffer.from(data).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0 // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

// --- the icons ---------------------------------------------------------------------------------
const mix = (a, b, t) => a.map((v, k) => v + (b[k] - v) * t)

function appIcon(size) {
  const body = [0.22, 0.25, 0.78, 0.67]
  return render(size, [
    { inside: (x, y) => inRoundRect(x, y, [0.03, 0.03, 0.97, 0.97], 0.2), color: (_x, y) => mix(BLUE_TOP, BLUE_BOTTOM, y) },
    { inside: bubble(body, 0.13), color: () => WHITE },
    { inside: dots(body, 0.043), color: (_x, y) => mix(BLUE_TOP, BLUE_BOTTOM, y) }
  ])
}

function trayIcon(size) {
  const body = [0.06, 0.1, 0.94, 0.7]
  return render(size, [
    { inside: bubble(body, 0.2), color: () => BLUE },
    // Cut-outs, not painted dots: the icon stays readable as an alpha-only template image.
    { inside: dots(body, 0.075), color: null }
  ])
}

const outputs = [
  ['icon.png', 512, appIcon],
  ['tray.png', 32, trayIcon],
  ['tray@2x.png', 64, trayIcon]
]
for (const [name, size, draw] of outputs) {
  const file = join(here, name)
  writeFileSync(file, png(size, draw(size)))
  console.log(`wrote ${file} (${size}×${size})`)
}
