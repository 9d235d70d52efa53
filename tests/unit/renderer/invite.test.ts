import { describe, expect, it } from 'vitest'
import { validateInvite } from '../../../renderer/src/lib/invite'

describe('invitation link check', () => {
  it('accepts links whose payload is in the fragment', () => {
    expect(validateInvite('https://berty.tech/id#group/abc')).toBeNull()
    expect(validateInvite('  berty://group#payload  ')).toBeNull()
  })

  it('explains what is wrong otherwise', () => {
    expect(validateInvite('')).toMatch(/paste/i)
    expect(validateInvite('hello there')).toMatch(/not a link/i)
    expect(validateInvite('ftp://x/#a')).toMatch(/ftp:/)
    expect(validateInvite('https://berty.tech/id')).toMatch(/#/)
    expect(validateInvite('https://berty.tech/id#')).toMatch(/#/)
    expect(validateInvite(`https://x/#${'a'.repeat(5000)}`)).toMatch(/4096/)
  })
})
