// Loaded with `node --import` (via mocha) before the compliance suites.
import { register } from 'node:module'

register('./aegir-chai-hooks.mjs', import.meta.url)
