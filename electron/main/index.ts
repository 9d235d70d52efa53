/**
 * Electron main process entry. The polyfills load before anything that may pull in libp2p
 * (Node 20 lacks `Promise.withResolvers`; Electron's newer Node has it, the import is harmless);
 * the lifecycle is wired in `./app.ts`.
 */
import '../../core/polyfills'
import { startApp } from './app'

startApp()
