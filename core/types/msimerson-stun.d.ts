/** The part of `@msimerson/stun` 3.2 (CommonJS, no bundled types) that core/net/stun.ts uses. */
declare module '@msimerson/stun' {
  interface StunMessage {
    readonly type: number
    readonly transactionId: Buffer
    isLegacy(): boolean
    addXorAddress(address: string, port: number): unknown
    addFingerprint(): unknown
    toBuffer(): Buffer
  }
  export function decode(message: Buffer): StunMessage
  export function createMessage(type: number, transaction?: Buffer): StunMessage
  export const constants: { STUN_BINDING_REQUEST: number; STUN_BINDING_RESPONSE: number }
  const stun: { decode: typeof decode; createMessage: typeof createMessage; constants: typeof constants }
  export default stun
}
