/**
 * SCRIPTED FAKE: the noble surface (NobleLike) is played by a script standing in for a weshnet
 * peripheral (BleManager_darwin.m behaviour: PID read refused until the central wrote its id + EOD,
 * read value = BE PSM ‖ PID, writer notifications). It drives the real NobleCentral + GattDriver code:
 * event order, MTU, the peer-id exchange, the L2CAP fallback and disconnect reasons. No radio is
 * involved; the last test checks what the real hardware driver reports on this machine.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { EOD } from '../../../core/net/ble/constants'
import type { BleLink } from '../../../core/net/ble/driver'
import { GattDriver } from '../../../core/net/ble/gatt-driver'
import { HardwareBackend, createHardwareDriver } from '../../../core/net/ble/hardware'
import type { NobleAdapterState, NobleCharacteristicLike, NobleLike, NoblePeripheralLike } from '../../../core/net/ble/noble-central'
import { encodePeerIdReadValue } from '../../../core/net/ble/peer-id-exchange'

const LOCAL = '12D3KooWQYvQFXnEWKQJFZBo5gYPw1ziswMvLg3Hk7k6AptMANNa'
const REMOTE = '12D3KooWF4b1ytTEb1ywuJCGts5D2zMGYrVVci5B9qM1u9RwAoqP'

class FakeChar extends EventEmitter implements NobleCharacteristicLike {
  writes: Buffer[] = []
  constructor(readonly uuid: string, private readonly script: FakePeripheral) {
    super()
  }
  async writeAsync(data: Buffer, withoutResponse: boolean): Promise<void> {
    this.script.log.push(`write ${this.uuid} ${withoutResponse ? 'noresp' : 'resp'} ${data.length}`)
    this.writes.push(Buffer.from(data))
  }
  async readAsync(): Promise<Buffer> {
    this.script.log.push(`read ${this.uuid}`)
    const idWrites = this.writes
    if (idWrites.length === 0 || !idWrites.at(-1)!.equals(Buffer.from(EOD))) throw new Error('ATT: read not permitted')
    return Buffer.from(encodePeerIdReadValue(this.script.psm, this.script.claimedId))
  }
  async subscribeAsync(): Promise<void> {
    this.script.log.push(`subscribe ${this.uuid}`)
  }
}

class FakePeripheral extends EventEmitter implements NoblePeripheralLike {
  readonly id = 'aa:bb:cc:dd:ee:ff'
  log: string[] = []
  psm = 0
  claimedId = REMOTE
  readonly pid = new FakeChar('4241', this)
  readonly writer = new FakeChar('4242', this)
  constructor(readonly mtu: number | null, readonly advertisement = { localName: REMOTE }) {
    super()
  }
  async discoverSomeServicesAndCharacteristicsAsync(services: string[], chars: string[]): Promise<{ characteristics: NobleCharacteristicLike[] }> {
    this.log.push(`discover ${services.join(',')} ${chars.join(',')}`)
    return { characteristics: [this.pid, this.writer] }
  }
  async disconnectAsync(): Promise<void> {
    this.log.push('disconnect')
    this.emit('disconnect', 0x16)
  }
}

class FakeNoble extends EventEmitter implements NobleLike {
  log: string[] = []
  constructor(public state: NobleAdapterState, private readonly device: FakePeripheral) {
    super()
  }
  async startScanningAsync(uuids?: string[], dup?: boolean): Promise<void> {
    this.log.push(`scan ${uuids?.join(',')} ${dup}`)
  }
  async stopScanningAsync(): Promise<void> {
    this.log.push('stop')
  }
  async connectAsync(id: string): Promise<NoblePeripheralLike> {
    this.log.push(`connect ${id}`)
    return this.device
  }
  advertise(): void {
    this.emit('discover', this.device)
  }
  setState(state: NobleAdapterState): void {
    this.state = state
    this.emit('stateChange', state)
  }
}

async function started(mtu: number | null, state: NobleAdapterState = 'poweredOn') {
  const device = new FakePeripheral(mtu)
  const noble = new FakeNoble(state, device)
  const driver = new GattDriver(new HardwareBackend(noble, undefined))
  return { device, noble, driver }
}

describe('noble central driver (scripted fake)', () => {
  it('scans for 4240 with duplicates, reports the found peer, then runs the exchange in weshnet order', async () => {
    const { device, noble, driver } = await started(185)
    expect(driver.capabilities).toEqual({ central: true, peripheral: false, l2cap: false })
    const found = new Promise<string>((r) => driver.addEventListener('peer:found', (e) => r(e.detail.peerId), { once: true }))
    await driver.start(LOCAL)
    expect(noble.log).toEqual(['scan 4240 true'])
    noble.advertise()
    expect(await found).toBe(REMOTE)
    const link = await driver.dial(REMOTE)
    // MTU 185 → 182-byte writes: the 52-character id fits one write, then EOD, then the read, then notify.
    expect(device.log).toEqual(['discover 4240 4241,4242', 'write 4241 resp 52', 'write 4241 resp 3', 'read 4241', 'subscribe 4242'])
    expect(link.mtu).toBe(182)
    expect(link.path).toBe('gatt')
    await driver.stop()
  })

  it('without MTU negotiation writes 20-byte chunks (ATT_MTU 23)', async () => {
    const { device, noble, driver } = await started(null)
    await driver.start(LOCAL)
    noble.advertise()
    const link = await driver.dial(REMOTE)
    expect(device.log.filter((l) => l.startsWith('write 4241'))).toEqual(['write 4241 resp 20', 'write 4241 resp 20', 'write 4241 resp 12', 'write 4241 resp 3'])
    expect(link.mtu).toBe(20)
    await link.send(new Uint8Array(20))
    await expect(link.send(new Uint8Array(21))).rejects.toThrow(/MTU/)
    await driver.stop()
  })

  it('falls back to GATT when the peripheral offers an L2CAP PSM (no L2CAP here)', async () => {
    const { device, noble, driver } = await started(185)
    device.psm = 0x0081
    await driver.start(LOCAL)
    noble.advertise()
    const link = await driver.dial(REMOTE)
    expect(link.path).toBe('gatt')
    const got: number[] = []
    link.onData = (c) => got.push(c.length)
    device.writer.emit('data', Buffer.alloc(100), true)
    expect(got).toEqual([100])
    await driver.stop()
  })

  it('refuses a device that answers with another peer id, and disconnects it', async () => {
    const { device, noble, driver } = await started(185)
    device.claimedId = LOCAL
    await driver.start(LOCAL)
    noble.advertise()
    await expect(driver.dial(REMOTE)).rejects.toMatchObject({ code: 'ERR_BLE_HANDSHAKE' })
    expect(device.log.at(-1)).toBe('disconnect')
    await driver.stop()
  })

  it('a supervision timeout closes the link with an error; a remote-terminated one cleanly', async () => {
    for (const [reason, clean] of [[0x08, false], [0x13, true]] as const) {
      const { device, noble, driver } = await started(185)
      await driver.start(LOCAL)
      noble.advertise()
      const link: BleLink = await driver.dial(REMOTE)
      const closed = new Promise<Error | undefined>((r) => (link.onClose = (e) => r(e.error)))
      device.emit('disconnect', reason)
      expect((await closed) === undefined).toBe(clean)
      await driver.stop()
    }
  })

  it('reports adapter states honestly and drops links when the adapter powers off', async () => {
    const { noble, driver } = await started(185, 'unauthorized')
    expect(driver.status()).toEqual({ state: 'unauthorized', reason: 'adapter state unauthorized' })
    await expect(driver.start(LOCAL)).rejects.toMatchObject({ code: 'ERR_BLE_UNSUPPORTED' })
    noble.setState('poweredOn')
    await driver.start(LOCAL)
    noble.advertise()
    const link = await driver.dial(REMOTE)
    const closed = new Promise<Error | undefined>((r) => (link.onClose = (e) => r(e.error)))
    noble.setState('poweredOff')
    expect((await closed)?.message).toMatch(/powered-off/)
    expect(driver.status().state).toBe('powered-off')
  })
})

describe('hardware driver on this machine (real, not a fake)', () => {
  it('reports unsupported with the reason instead of crashing (no Bluetooth stack here)', async () => {
    const driver = await createHardwareDriver()
    const status = driver.status()
    expect(status.state).toBe('unsupported')
    expect(status.reason).toMatch(/BlueZ|Bluetooth|noble/)
  })
})
