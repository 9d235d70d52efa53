import QRCode from 'qrcode'

/** A QR code as an <img> data URL (no library markup in the DOM); `text` in QR alphanumeric form when possible. */
export async function qrImage(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
