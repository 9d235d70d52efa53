import '../core/polyfills'
