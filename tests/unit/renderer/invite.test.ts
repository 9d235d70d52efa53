import { describe, expect, it } from 'vitest'
import { validateInvite } from '../../../renderer/src/lib/invite'
import goLinks from '../../vectors/links-go.json'

describe('invitation link check', () => {
  it('accepts every Berty group link form', () => {
    // Forms as berty/berty's bertylinks writes them (tests/vectors/links-go.json).
    expect(validateInvite(`https://berty.tech/id#group/${goLinks.blobs.validGroupBlob}/name=random-group-34191`)).toBeNull()
    expect(validateInvite(`BERTY://PB/${goLinks.blobs.validGroupInternalBlob}`)).toBeNull()
    expect(validateInvite(`  berty://pb/${goLinks.blobs.validGroupInternalBlob}\n`)).toBeNull()
    expect(validateInvite('  berty://group#payload  ')).toBeNull()
  })

  it('explains what is wrong otherwise', () => {
    expect(validateInvite('')).toMatch(/paste/i)
    expect(validateInvite('hello there')).toMatch(/not a link/i)
    expect(validateInvite('ftp://x/#a')).toMatch(/ftp:/)
    expect(validateInvite('https://berty.tech/id')).toMatch(/#/)
    expect(validateInvite('https://berty.tech/id#')).toMatch(/#/)
    expect(validateInvite('BERTY://PB/')).toMatch(/nothing after/)
    expect(validateInvite(`https://berty.tech/id#contact/${goLinks.blobs.validContactBlob}/name=Alice`)).toMatch(/contact link/)
    expect(validateInvite(`https://x/#${'a'.repeat(5000)}`)).toMatch(/4096/)
  })
})
