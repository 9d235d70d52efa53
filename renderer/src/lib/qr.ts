import QRCode from 'qrcode'

/**
 * A QR code as an <img> data URL: no markup from a library goes into the DOM. Callers pass the
 * `BERTY://PB/…` form, whose alphabet is QR alphanumeric mode (denser than the web link's bytes).
 */
export async function qrDataUrl(qrText: string): Promise<string> {
  const svg = await QRCode.toString(qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
