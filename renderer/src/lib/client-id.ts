/**
 * A name for one call that may be made again (`message:send`, `group:create` clientId): 128 random
 * bits, base64url. The node answers a call under a name it already served with the first answer.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}
