// Module resolution hook: sends `aegir/chai` (imported from inside node_modules by the compliance
// suites) to our shim. Registered by register.mjs.
const shim = new URL('./aegir-chai.mjs', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'aegir/chai') return { url: shim, shortCircuit: true }
  return nextResolve(specifier, context)
}
