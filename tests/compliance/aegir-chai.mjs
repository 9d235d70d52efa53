// Stand-in for `aegir/chai`, which the interface-*-tests suites import. aegir itself is a whole
// toolchain; the suites only need chai's expect with promise assertions (`eventually`, `rejected`)
// and callable terminators (`.to.be.true()`), exactly as aegir configures them.
import * as chai from 'chai'
import chaiAsPromised from 'chai-as-promised'
import chaiBites from 'chai-bites'
import chaiParentheses from 'chai-parentheses'

// Order matters (chaijs/chai#1298): as-promised first, as in aegir.
chai.use(chaiAsPromised)
// `equalBytes` for Uint8Arrays, as aegir adds it (the transport suite uses it).
chai.use(chaiBites)
// chai-parentheses was written for chai 4, whose `utils` object was mutable; chai 6 passes a frozen
// module namespace. The plugin only patches `utils.add*` to convert assertions added *later*, so a
// plain copy is enough: the built-in terminators it converts now are unaffected.
chai.use((c, utils) => chaiParentheses(c, { ...utils }))

export const expect = chai.expect
export const assert = chai.assert
export { chai }
