// Nodes that meet only through a rendezvous server on loopback (as tests/integration/reach-group-join.test.ts):
// no peer:connect between them, no DHT, no LAN. A contact link is all they share.
import { reachOptions } from '../../core/net/reach-config'
import type { ContactT } from '../../core/api'
import { noDiscovery, startNode, until, type TestNode } from './helpers'

export interface Lab {
  server: TestNode
  node(name: string, displayName?: string): Promise<TestNode>
}

export async function lab(): Promise<Lab> {
  const server = await startNode('rdv', { reach: reachOptions({ lan: false, dht: false, serveRendezvous: true, holePunching: false }) })
  await noDiscovery(server)
  const serverAddr = server.node.libp2p.getMultiaddrs()[0]!.toString()
  return {
    server,
    async node(name, displayName) {
      const t = await startNode(name, {
        reach: reachOptions({ lan: false, dht: false, holePunching: false, rendezvousServers: [serverAddr] }),
        bootstrap: [serverAddr]
      })
      await noDiscovery(t)
      if (displayName !== undefined) await t.call('account:create', { displayName })
      return t
    }
  }
}

/** Restarts a lab node and stops its DHT again. */
export async function restart(t: TestNode): Promise<void> {
  await t.restart()
  await noDiscovery(t)
}

export async function contactOf(t: TestNode, accountPk: string): Promise<ContactT | undefined> {
  return (await t.call('contact:list', {})).find((c) => c.accountPk === accountPk)
}

/** Resolves when `t` lists the contact `accountPk` in `state` (checked on every node event). */
export function untilContact(t: TestNode, accountPk: string, check: (c: ContactT | undefined) => boolean, timeoutMs = 45_000): Promise<ContactT | undefined> {
  return until(t, async () => {
    const c = await contactOf(t, accountPk)
    return check(c) ? { c } : undefined
  }, timeoutMs).then((r) => r.c)
}

export async function accountPkOf(t: TestNode): Promise<string> {
  return (await t.call('account:get', {}))!.accountPk
}
