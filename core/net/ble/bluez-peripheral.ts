/**
 * The peripheral role on Linux through BlueZ's D-Bus APIs (`org.bluez.GattManager1` for the GATT
 * server, `org.bluez.LEAdvertisingManager1` for advertising), with the maintained `dbus-next`
 * library. Unlike bleno, this needs neither root nor bluetoothd stopped: a desktop user can be
 * dialled by a Berty phone.
 *
 * Layout (constants.ts; weshnet BleManager_darwin.m): service 4240; peer-id characteristic 4241
 * (read | write); writer characteristic 4242 (write | notify). The advertisement carries the service
 * UUID, the local name (our peer id, as iOS Berty reads it) and the peer id as service data under
 * 4240 (as Android Berty reads it).
 *
 * Claims: a central is BlueZ's device object path (`/org/bluez/hci0/dev_…`), from the `device` option
 * BlueZ passes with every write; the negotiated ATT_MTU comes from its `mtu` option (BlueZ ≥ 5.62;
 * 23 before that); a central's disconnection (Device1.Connected → false) reaches `onDisconnect`;
 * refused writes answer `org.bluez.Error.NotPermitted`; every buffer is copied and capped.
 * Disclaims: BlueZ sends a characteristic's notifications to every subscribed central (the D-Bus API
 * has no per-device notify), so this backend serves one central at a time: while one is linked,
 * another's writes are refused and it retries later. No L2CAP CoC (BlueZ exposes it only through raw
 * sockets). Runs against the real bluetoothd; tested here against a scripted BlueZ on a private bus.
 */
import type { GattPeripheralBackend, GattServerHandlers } from './gatt'
import { ATT_DEFAULT_MTU, ATT_MAX_MTU, BERTY_SERVICE_UUID, BERTY_SERVICE_UUID16, PEER_ID_CHAR_UUID, WRITER_CHAR_UUID } from './constants'

type DBus = typeof import('dbus-next')
type MessageBus = import('dbus-next').MessageBus
type DBusInterface = InstanceType<DBus['interface']['Interface']>

const APP_PATH = '/tech/berty/desktop/ble'
const SERVICE_PATH = `${APP_PATH}/service0`
const PID_PATH = `${SERVICE_PATH}/char0`
const WRITER_PATH = `${SERVICE_PATH}/char1`
const ADV_PATH = `${APP_PATH}/advertisement0`
/** Largest attribute value BlueZ hands us (ATT_MAX_MTU − 3); larger writes are refused. */
const MAX_VALUE_BYTES = ATT_MAX_MTU - 3

export interface BluezPeripheralOptions {
  /** The bus to talk to BlueZ on: the system bus by default; tests pass a private bus address. */
  busAddress?: string
  /** Adapter object path; default the first adapter offering GATT and advertising managers. */
  adapter?: string
  /** BlueZ's bus name (default `org.bluez`). */
  service?: string
}

export class BluezPeripheral implements GattPeripheralBackend {
  #bus: MessageBus | undefined
  #dbus: DBus | undefined
  #handlers: GattServerHandlers | undefined
  #adapter: string | undefined
  #writerChar: { Value: Uint8Array; notifying: boolean } | undefined
  #notifyIface: DBusInterface | undefined
  /** The one central served now, its MTU, and the watcher of its Device1.Connected. */
  #central: { path: string; mtu: number; unwatch: () => void } | undefined
  readonly #options: BluezPeripheralOptions

  constructor(options: BluezPeripheralOptions = {}) {
    this.#options = options
  }

  /** Our unique name on the bus (tests point the scripted BlueZ at it). */
  get busName(): string | undefined {
    return (this.#bus as unknown as { name?: string } | undefined)?.name ?? undefined
  }

  async start(localName: string, handlers: GattServerHandlers): Promise<void> {
    const dbus = (this.#dbus = (await import('dbus-next')) as DBus)
    const bus = (this.#bus =
      this.#options.busAddress != null ? dbus.sessionBus({ busAddress: this.#options.busAddress }) : dbus.systemBus())
    bus.on('error', () => {
      // A dropped bus surfaces as failed calls and the central's disconnect; never an unhandled 'error'.
    })
    this.#handlers = handlers
    const bluez = this.#options.service ?? 'org.bluez'
    const adapter = (this.#adapter = this.#options.adapter ?? (await findAdapter(bus, bluez)))
    this.#exportApplication(dbus, bus, localName)
    const adapterObj = await bus.getProxyObject(bluez, adapter)
    await adapterObj.getInterface('org.bluez.GattManager1').RegisterApplication!(APP_PATH, {})
    await adapterObj.getInterface('org.bluez.LEAdvertisingManager1').RegisterAdvertisement!(ADV_PATH, {})
  }

  async stop(): Promise<void> {
    const bus = this.#bus
    if (bus == null) return
    this.#central?.unwatch()
    this.#central = undefined
    try {
      const adapterObj = await bus.getProxyObject(this.#options.service ?? 'org.bluez', this.#adapter!)
      await adapterObj.getInterface('org.bluez.LEAdvertisingManager1').UnregisterAdvertisement!(ADV_PATH).catch(() => {})
      await adapterObj.getInterface('org.bluez.GattManager1').UnregisterApplication!(APP_PATH).catch(() => {})
    } catch {
      // BlueZ went away first: nothing left registered.
    }
    bus.disconnect()
    this.#bus = undefined
  }

  async notify(central: string, charUuid: string, data: Uint8Array): Promise<void> {
    if (charUuid !== WRITER_CHAR_UUID) throw new Error(`notify: ${charUuid} does not notify`)
    if (this.#central?.path !== central) throw new Error('notify: this central is not linked')
    const writer = this.#writerChar
    if (writer == null || !writer.notifying || this.#notifyIface == null) throw new Error('notify: the central has not subscribed')
    if (data.length > this.#central.mtu - 3) throw new Error(`notify: ${data.length} bytes exceed the link's MTU`)
    writer.Value = Uint8Array.from(data)
    this.#dbus!.interface.Interface.emitPropertiesChanged(this.#notifyIface, { Value: Buffer.from(writer.Value) }, [])
    // BlueZ queues notifications in order; yield so a long stream does not starve the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }

  attMtu(central: string): number {
    return this.#central?.path === central ? this.#central.mtu : ATT_DEFAULT_MTU
  }

  disconnect(central: string): void {
    if (this.#central?.path !== central || this.#bus == null) return
    const bus = this.#bus
    void bus
      .getProxyObject(this.#options.service ?? 'org.bluez', central)
      .then((dev) => dev.getInterface('org.bluez.Device1').Disconnect!())
      .catch(() => {})
    this.#dropCentral(undefined)
  }

  /** The central behind a write: the first one is adopted; others are refused while it is linked. */
  #adopt(options: Record<string, { value: unknown }>): string | undefined {
    const path = typeof options.device?.value === 'string' ? options.device.value : undefined
    if (path == null || !/^\/org\/bluez\/[A-Za-z0-9_/]{1,200}$/.test(path)) return undefined
    const mtuOpt = Number(options.mtu?.value)
    const mtu = Number.isInteger(mtuOpt) && mtuOpt >= ATT_DEFAULT_MTU && mtuOpt <= ATT_MAX_MTU ? mtuOpt : ATT_DEFAULT_MTU
    if (this.#central != null) {
      if (this.#central.path !== path) return undefined
      if (mtu > this.#central.mtu) this.#central.mtu = mtu
      return path
    }
    this.#central = { path, mtu, unwatch: this.#watchDevice(path) }
    return path
  }

  #watchDevice(path: string): () => void {
    let props: import('dbus-next').ClientInterface | undefined
    const onChange = (iface: string, changed: Record<string, { value: unknown }>) => {
      if (iface === 'org.bluez.Device1' && changed.Connected?.value === false) this.#dropCentral(undefined)
    }
    let stopped = false
    void this.#bus!
      .getProxyObject(this.#options.service ?? 'org.bluez', path)
      .then((dev) => {
        if (stopped) return
        props = dev.getInterface('org.freedesktop.DBus.Properties')
        props.on('PropertiesChanged', onChange)
      })
      .catch((err: unknown) => this.#dropCentral(err instanceof Error ? err : new Error(String(err))))
    return () => {
      stopped = true
      props?.removeListener('PropertiesChanged', onChange)
    }
  }

  #dropCentral(error: Error | undefined): void {
    const c = this.#central
    if (c == null) return
    c.unwatch()
    this.#central = undefined
    if (this.#writerChar) this.#writerChar.notifying = false
    this.#handlers?.onDisconnect(c.path, error)
  }

  #exportApplication(dbus: DBus, bus: MessageBus, localName: string): void {
    const { Interface } = dbus.interface
    const { Variant, DBusError } = dbus
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this
    const notPermitted = () => new DBusError('org.bluez.Error.NotPermitted', 'not permitted')

    class ObjectManager extends Interface {
      GetManagedObjects() {
        const chr = (uuid: string, flags: string[]) => ({
          'org.bluez.GattCharacteristic1': {
            UUID: new Variant('s', uuid),
            Service: new Variant('o', SERVICE_PATH),
            Flags: new Variant('as', flags)
          }
        })
        return {
          [SERVICE_PATH]: { 'org.bluez.GattService1': { UUID: new Variant('s', BERTY_SERVICE_UUID), Primary: new Variant('b', true) } },
          [PID_PATH]: chr(PEER_ID_CHAR_UUID, ['read', 'write']),
          [WRITER_PATH]: chr(WRITER_CHAR_UUID, ['write', 'notify'])
        }
      }
    }
    ObjectManager.configureMembers({ methods: { GetManagedObjects: { outSignature: 'a{oa{sa{sv}}}' } } })

    class Service extends Interface {
      get UUID() {
        return BERTY_SERVICE_UUID
      }
      get Primary() {
        return true
      }
    }
    Service.configureMembers({ properties: { UUID: { signature: 's', access: 'read' }, Primary: { signature: 'b', access: 'read' } } })

    const characteristic = (uuid: string, flags: string[]) => {
      class Characteristic extends Interface {
        Value = new Uint8Array(0)
        notifying = false
        get UUID() {
          return uuid
        }
        get Service() {
          return SERVICE_PATH
        }
        get Flags() {
          return flags
        }
        get Notifying() {
          return this.notifying
        }
        ReadValue(options: Record<string, { value: unknown }>) {
          const central = self.#adopt(options)
          if (central == null) throw notPermitted()
          const value = self.#handlers?.onRead(central, uuid)
          if (value == null) throw new DBusError('org.bluez.Error.ReadNotPermitted', 'read not permitted')
          return Buffer.from(value)
        }
        WriteValue(value: Buffer, options: Record<string, { value: unknown }>) {
          if (!Buffer.isBuffer(value) || value.length > MAX_VALUE_BYTES) throw new DBusError('org.bluez.Error.InvalidValueLength', 'invalid length')
          const central = self.#adopt(options)
          if (central == null) throw notPermitted()
          if (self.#handlers?.onWrite(central, uuid, Uint8Array.from(value)) !== true) throw notPermitted()
        }
        StartNotify() {
          const central = self.#central?.path
          if (!flags.includes('notify') || central == null) throw notPermitted()
          if (this.notifying) return
          this.notifying = true
          self.#handlers?.onSubscribe(central, uuid)
        }
        StopNotify() {
          this.notifying = false
        }
      }
      Characteristic.configureMembers({
        properties: {
          UUID: { signature: 's', access: 'read' },
          Service: { signature: 'o', access: 'read' },
          Flags: { signature: 'as', access: 'read' },
          Notifying: { signature: 'b', access: 'read' },
          Value: { signature: 'ay', access: 'read' }
        },
        methods: {
          ReadValue: { inSignature: 'a{sv}', outSignature: 'ay' },
          WriteValue: { inSignature: 'aya{sv}' },
          StartNotify: {},
          StopNotify: {}
        }
      })
      return new Characteristic('org.bluez.GattCharacteristic1')
    }

    class Advertisement extends Interface {
      get Type() {
        return 'peripheral'
      }
      get ServiceUUIDs() {
        return [BERTY_SERVICE_UUID]
      }
      get LocalName() {
        return localName
      }
      get ServiceData() {
        return { [BERTY_SERVICE_UUID16]: new Variant('ay', Buffer.from(localName, 'utf8')) }
      }
      Release() {
        // BlueZ dropped the advertisement (adapter reset): the driver's status reports the adapter state.
      }
    }
    Advertisement.configureMembers({
      properties: {
        Type: { signature: 's', access: 'read' },
        ServiceUUIDs: { signature: 'as', access: 'read' },
        LocalName: { signature: 's', access: 'read' },
        ServiceData: { signature: 'a{sv}', access: 'read' }
      },
      methods: { Release: {} }
    })

    const pid = characteristic(PEER_ID_CHAR_UUID, ['read', 'write'])
    const writer = characteristic(WRITER_CHAR_UUID, ['write', 'notify'])
    this.#writerChar = writer as unknown as { Value: Uint8Array; notifying: boolean }
    this.#notifyIface = writer
    bus.export(APP_PATH, new ObjectManager('org.freedesktop.DBus.ObjectManager'))
    bus.export(SERVICE_PATH, new Service('org.bluez.GattService1'))
    bus.export(PID_PATH, pid)
    bus.export(WRITER_PATH, writer)
    bus.export(ADV_PATH, new Advertisement('org.bluez.LEAdvertisement1'))
  }
}

/** The first adapter that offers both the GATT and the advertising manager. */
async function findAdapter(bus: MessageBus, bluez: string): Promise<string> {
  const root = await bus.getProxyObject(bluez, '/')
  const objects = (await root.getInterface('org.freedesktop.DBus.ObjectManager').GetManagedObjects!()) as Record<string, Record<string, unknown>>
  for (const [path, ifaces] of Object.entries(objects)) {
    if ('org.bluez.GattManager1' in ifaces && 'org.bluez.LEAdvertisingManager1' in ifaces) return path
  }
  throw new Error('no Bluetooth adapter with GATT server and advertising support')
}
