// The BlueZ peripheral backend over a real D-Bus: a private dbus-daemon, and a SCRIPTED BlueZ (this
// test's `FakeBluez`, not bluetoothd: this kernel has no Bluetooth) that does what bluetoothd does
// with a GATT application — reads its objects through ObjectManager, registers the advertisement,
// and plays a central: writes with the `device` and `mtu` options, reads, subscribes, listens to
// notifications as PropertiesChanged on Value, and reports the device's disconnection.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BluezPeripheral } from '../../core/net/ble/bluez-peripheral'
import { BERTY_SERVICE_UUID, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from '../../core/net/ble/constants'
import type { GattServerHandlers } from '../../core/net/ble/gatt'

type DBus = typeof import('dbus-next')
const hasDaemon = existsSync('/usr/bin/dbus-daemon')

let dir: string
let daemon: ChildProcess | undefined
let address: string

async function startBus(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'berty-dbus-'))
  const socket = join(dir, 'bus')
  writeFileSync(
    join(dir, 'bus.conf'),
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`
  )
  daemon = spawn('dbus-daemon', [`--config-file=${join(dir, 'bus.conf')}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] })
  address = await new Promise<string>((resolve, reject) => {
    daemon!.stdout!.once('data', (b: Buffer) => resolve(b.toString().trim()))
    daemon!.once('exit', (code) => reject(new Error(`dbus-daemon exited ${code}`)))
  })
}

/** What bluetoothd would do with our application, scripted. */
async function fakeBluez(dbus: DBus) {
  const bus = dbus.sessionBus({ busAddress: address })
  await bus.requestName('org.bluez', 0)
  const { Interface } = dbus.interface
  const registered: { app?: string; appOwner?: string; adv?: string } = {}
  class ObjectManager extends Interface {
    GetManagedObjects() {
      return { '/org/bluez/hci0': { 'org.bluez.GattManager1': {}, 'org.bluez.LEAdvertisingManager1': {}, 'org.bluez.Adapter1': {} } }
    }
  }
  ObjectManager.configureMembers({ methods: { GetManagedObjects: { outSignature: 'a{oa{sa{sv}}}' } } })
  class GattManager extends Interface {
    RegisterApplication(app: string) {
      registered.app = app
    }
    UnregisterApplication() {
      registered.app = undefined
    }
  }
  GattManager.configureMembers({ methods: { RegisterApplication: { inSignature: 'oa{sv}' }, UnregisterApplication: { inSignature: 'o' } } })
  class AdvManager extends Interface {
    RegisterAdvertisement(adv: string) {
      registered.adv = adv
    }
    UnregisterAdvertisement() {
      registered.adv = undefined
    }
  }
  AdvManager.configureMembers({ methods: { RegisterAdvertisement: { inSignature: 'oa{sv}' }, UnregisterAdvertisement: { inSignature: 'o' } } })
  let connected = true
  let disconnectCalls = 0
  class Device extends Interface {
    get Connected() {
      return connected
    }
    Disconnect() {
      disconnectCalls++
    }
  }
  Device.configureMembers({ properties: { Connected: { signature: 'b', access: 'read' } }, methods: { Disconnect: {} } })
  const devices = new Map<string, InstanceType<typeof Device>>()
  bus.export('/', new ObjectManager('org.freedesktop.DBus.ObjectManager'))
  bus.export('/org/bluez/hci0', new GattManager('org.bluez.GattManager1'))
  bus.export('/org/bluez/hci0', new AdvManager('org.bluez.LEAdvertisingManager1'))
  const addDevice = (path: string) => {
    const d = new Device('org.bluez.Device1')
    devices.set(path, d)
    bus.export(path, d)
  }
  addDevice('/org/bluez/hci0/dev_AA_BB_CC_DD_EE_01')
  addDevice('/org/bluez/hci0/dev_AA_BB_CC_DD_EE_02')
  return {
    bus,
    registered,
    disconnectCalls: () => disconnectCalls,
    drop(path: string) {
      connected = false
      Interface.emitPropertiesChanged(devices.get(path)!, { Connected: false }, [])
    },
    /** The peripheral's objects, as bluetoothd reads them after RegisterApplication. */
    async app(owner: string) {
      const root = await bus.getProxyObject(owner, registered.app!)
      const objects = (await root.getInterface('org.freedesktop.DBus.ObjectManager').GetManagedObjects!()) as Record<string, Record<string, Record<string, { value: unknown }>>>
      const byUuid = new Map<string, string>()
      for (const [path, ifaces] of Object.entries(objects)) {
        const c = ifaces['org.bluez.GattCharacteristic1']
        if (c) byUuid.set(String(c.UUID!.value), path)
      }
      const chr = async (uuid: string) => (await bus.getProxyObject(owner, byUuid.get(uuid)!)).getInterface('org.bluez.GattCharacteristic1')
      return { objects, chr, byUuid }
    }
  }
}

/** The D-Bus error name a call failed with (what a central sees as the ATT error). */
async function dbusErrorOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call
    return undefined
  } catch (err) {
    return (err as { type?: string }).type
  }
}

const opts = (dbus: DBus, device: string, mtu?: number) => ({
  device: new dbus.Variant('o', device),
  ...(mtu != null ? { mtu: new dbus.Variant('q', mtu) } : {})
})

function recorder(): GattServerHandlers & { log: string[]; writes: Array<{ central: string; uuid: string; data: Uint8Array }> } {
  const log: string[] = []
  const writes: Array<{ central: string; uuid: string; data: Uint8Array }> = []
  return {
    log,
    writes,
    onWrite(central, uuid, data) {
      writes.push({ central, uuid, data })
      return data[0] !== 0xff // the "refuse" byte of this test
    },
    onRead(central, uuid) {
      log.push(`read ${uuid.slice(4, 8)}`)
      return uuid === PEER_ID_CHAR_UUID ? new TextEncoder().encode('12D3KooWPeripheral') : undefined
    },
    onSubscribe(central, uuid) {
      log.push(`subscribe ${central} ${uuid.slice(4, 8)}`)
    },
    onDisconnect(central) {
      log.push(`disconnect ${central}`)
    }
  }
}

describe.skipIf(!hasDaemon)('BlueZ peripheral over D-Bus (scripted BlueZ)', () => {
  beforeEach(startBus)
  afterEach(() => {
    daemon?.kill()
    rmSync(dir, { recursive: true, force: true })
  })

  it('registers the Berty service and advertisement, serves one central, notifies it, and sees it leave', async () => {
    const dbus = (await import('dbus-next')) as DBus
    const bluez = await fakeBluez(dbus)
    const peripheral = new BluezPeripheral({ busAddress: address })
    const h = recorder()
    await peripheral.start('12D3KooWPeripheral', h)
    try {
      expect(bluez.registered.adv).toBeDefined()
      const owner = peripheral.busName!
      const adv = (await bluez.bus.getProxyObject(owner, bluez.registered.adv!)).getInterface('org.freedesktop.DBus.Properties')
      expect((await adv.Get!('org.bluez.LEAdvertisement1', 'LocalName')).value).toBe('12D3KooWPeripheral')
      expect((await adv.Get!('org.bluez.LEAdvertisement1', 'ServiceUUIDs')).value).toEqual([BERTY_SERVICE_UUID])
      const app = await bluez.app(owner)
      expect([...app.byUuid.keys()].sort()).toEqual([PEER_ID_CHAR_UUID, WRITER_CHAR_UUID])

      const dev1 = '/org/bluez/hci0/dev_AA_BB_CC_DD_EE_01'
      const dev2 = '/org/bluez/hci0/dev_AA_BB_CC_DD_EE_02'
      const pid = await app.chr(PEER_ID_CHAR_UUID)
      const writer = await app.chr(WRITER_CHAR_UUID)
      // The central writes its peer id then EOD, with the negotiated MTU.
      await pid.WriteValue!(Buffer.from('12D3KooWCentral'), opts(dbus, dev1, 185))
      await pid.WriteValue!(Buffer.from('EOD'), opts(dbus, dev1))
      expect(h.writes.map((w) => [w.central, Buffer.from(w.data).toString()])).toEqual([
        [dev1, '12D3KooWCentral'],
        [dev1, 'EOD']
      ])
      expect(peripheral.attMtu(dev1)).toBe(185)
      expect(Buffer.from(await pid.ReadValue!(opts(dbus, dev1))).toString()).toBe('12D3KooWPeripheral')
      // A refused write is an ATT error for the central, not a crash.
      expect(await dbusErrorOf(pid.WriteValue!(Buffer.from([0xff]), opts(dbus, dev1)))).toBe('org.bluez.Error.NotPermitted')
      // Oversized values and a second central are refused while the first is linked.
      expect(await dbusErrorOf(writer.WriteValue!(Buffer.alloc(600), opts(dbus, dev1)))).toBe('org.bluez.Error.InvalidValueLength')
      expect(await dbusErrorOf(writer.WriteValue!(Buffer.from('x'), opts(dbus, dev2)))).toBe('org.bluez.Error.NotPermitted')
      expect(await dbusErrorOf(writer.WriteValue!(Buffer.from('x'), { device: new dbus.Variant('o', '/not/bluez') }))).toBe('org.bluez.Error.NotPermitted')

      // Subscribe, then notifications arrive as PropertiesChanged on Value, in order.
      const props = (await bluez.bus.getProxyObject(owner, app.byUuid.get(WRITER_CHAR_UUID)!)).getInterface('org.freedesktop.DBus.Properties')
      const got: string[] = []
      props.on('PropertiesChanged', (_iface: string, changed: Record<string, { value: Buffer }>) => {
        if (changed.Value) got.push(Buffer.from(changed.Value.value).toString())
      })
      await writer.StartNotify!()
      expect(h.log).toContain(`subscribe ${dev1} 4242`)
      await peripheral.notify(dev1, WRITER_CHAR_UUID, new TextEncoder().encode('one'))
      await peripheral.notify(dev1, WRITER_CHAR_UUID, new TextEncoder().encode('two'))
      await expect(peripheral.notify(dev2, WRITER_CHAR_UUID, new Uint8Array(1))).rejects.toThrow(/not linked/)
      await expect(peripheral.notify(dev1, WRITER_CHAR_UUID, new Uint8Array(183))).rejects.toThrow(/MTU/)
      await new Promise((r) => setTimeout(r, 100))
      expect(got).toEqual(['one', 'two'])

      // BlueZ reports the device gone: the driver hears it, and the next central is served.
      bluez.drop(dev1)
      await new Promise((r) => setTimeout(r, 200))
      expect(h.log).toContain(`disconnect ${dev1}`)
      await writer.WriteValue!(Buffer.from('hello'), opts(dbus, dev2, 100))
      expect(peripheral.attMtu(dev2)).toBe(100)
      // disconnect() asks BlueZ to drop the link.
      peripheral.disconnect(dev2)
      await new Promise((r) => setTimeout(r, 200))
      expect(bluez.disconnectCalls()).toBe(1)
    } finally {
      await peripheral.stop()
      bluez.bus.disconnect()
    }
    expect(bluez.registered.app).toBeUndefined()
    expect(bluez.registered.adv).toBeUndefined()
  })
})
