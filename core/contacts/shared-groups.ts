/**
 * "Shared groups" of a contact (spec "Alias Identity", "Contact Group"): what this device can honestly
 * say about where the contact is.
 *
 * In weshnet a member of a multi-member group is a per-group member key and per-group device keys, not
 * the account: nothing links them to the contact's account unless the contact discloses its alias there
 * (an Alias Entry: resolver = HMAC(aliasPk, groupPk) + proof bound to its member key, `group:shareAlias`).
 * To recognise it we need the contact's alias key, which weshnet sends in the contact group only
 * (`ContactSendAliasKey` → EventType 201 `ContactAliasKeyAdded {device_pk, alias_pk}`). So:
 * - the contact group itself is always shared (once open);
 * - a multi-member group is shared when one of its members disclosed the contact's alias resolver with a
 *   proof that verifies under the contact's alias key;
 * - groups where the contact is a member without disclosing its alias are NOT found (not knowable).
 * Pure functions over what the groups engine already holds: no query, no network.
 */
import { equalBytes } from '../crypto'
import { aliasResolver, verifyAliasProof } from '../protocol/group'

export interface SharedGroup {
  groupPk: Uint8Array
  name: string
  kind: 'contact' | 'multi'
  /** Multi-member groups: the contact's member key there (the member that disclosed its alias). */
  memberPk?: Uint8Array
}

export interface SharedGroupsSource {
  list(): Array<{ groupPk: Uint8Array; kind: string; role: string; name: string }>
  members(groupPk: Uint8Array): Array<{ memberPk: Uint8Array; me: boolean; aliasResolver?: Uint8Array; aliasProof?: Uint8Array }>
}

/** The contact group (if open) and every multi-member group where the contact disclosed its alias. */
export function sharedGroups(src: SharedGroupsSource, contactGroupPk: Uint8Array | undefined, peerAlias: Uint8Array | undefined): SharedGroup[] {
  const out: SharedGroup[] = []
  for (const g of src.list()) {
    if (g.role !== 'member') continue
    if (g.kind === 'contact') {
      if (contactGroupPk !== undefined && equalBytes(g.groupPk, contactGroupPk)) out.push({ groupPk: g.groupPk, name: g.name, kind: 'contact' })
      continue
    }
    if (g.kind !== 'multi' || peerAlias === undefined) continue
    const resolver = aliasResolver(peerAlias, g.groupPk)
    for (const m of src.members(g.groupPk)) {
      if (m.me || m.aliasResolver === undefined || m.aliasProof === undefined) continue
      if (!equalBytes(m.aliasResolver, resolver)) continue
      if (!verifyAliasProof(peerAlias, g.groupPk, m.memberPk, m.aliasResolver, m.aliasProof)) continue
      out.push({ groupPk: g.groupPk, name: g.name, kind: 'multi', memberPk: m.memberPk })
      break
    }
  }
  return out
}
