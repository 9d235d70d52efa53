// Boundaries from ARCHITECTURE.md / STYLE.md, enforced per folder.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const NODE_IO = [
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:net', 'net', 'node:http', 'http',
  'node:https', 'https', 'node:child_process', 'child_process', 'node:dgram', 'dgram',
  'better-sqlite3', 'ws', 'libp2p', '@orbitdb/core', 'helia'
]
const IO_PATTERNS = ['@libp2p/*', '@chainsafe/*', '@helia/*']
const ELECTRON = { name: 'electron', message: 'core/ runs headless: never import electron.' }
// Only the crypto provider (core/crypto/provider.ts) reaches node:crypto; everything else goes through core/crypto.
const NODE_CRYPTO = ['node:crypto', 'crypto'].map((name) => ({ name, message: 'Use core/crypto: only core/crypto/provider.ts imports node:crypto.' }))

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'core/**/proto/*.ts', 'tests/vectors/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off'
    }
  },
  {
    // Node 20's AbortSignal.any keeps every composite made from a long-lived signal (nodejs/node#54614)
    // and loses a timeout source after a collection (#57736): core/net/deadline.ts has the safe ones.
    files: ['core/**/*.ts', 'electron/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'AbortSignal', property: 'any', message: 'Use linkSignals or deadline from core/net/deadline.ts (clear() when done).' }]
    }
  },
  {
    // Declarations for untyped packages and test scaffolding around untyped OrbitDB databases.
    files: ['**/*.d.ts', 'tests/support/**/*.ts', 'bench/orbitdb-configs.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { URL: 'readonly', process: 'readonly', console: 'readonly', Buffer: 'readonly' } }
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/crypto/provider.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ELECTRON, ...NODE_CRYPTO]
      }]
    }
  },
  {
    // The groups engine is below the service layer: the service calls groups, never the reverse.
    files: ['core/groups/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ELECTRON, ...NODE_CRYPTO],
        patterns: [{ group: ['**/service', '**/service/*'], message: 'core/groups must not import core/service (the service layer calls groups).' }]
      }]
    }
  },
  {
    // Storage owns tables and SQL; it knows nothing of the protocol that gives rows their meaning.
    files: ['core/storage/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ELECTRON, ...NODE_CRYPTO],
        patterns: [{ group: ['**/protocol', '**/protocol/*', '**/groups', '**/groups/*', '**/service', '**/service/*'], message: 'core/storage must not import protocol, groups or service.' }]
      }]
    }
  },
  {
    files: ['core/api/**/*.ts', 'core/crypto/**/*.ts', 'core/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ELECTRON,
          ...NODE_CRYPTO,
          ...NODE_IO.map((name) => ({ name, message: 'core/{api,crypto,protocol} are pure: no I/O modules.' }))
        ],
        patterns: [{ group: IO_PATTERNS, message: 'core/{api,crypto,protocol} are pure: no network stack.' }]
      }]
    }
  },
  {
    // The crypto provider is the one place node:crypto is reached (behind the CurveProvider interface).
    files: ['core/crypto/provider.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ELECTRON, ...NODE_IO.map((name) => ({ name, message: 'core/crypto is pure: no I/O modules.' }))],
        patterns: [{ group: IO_PATTERNS, message: 'core/crypto is pure: no network stack.' }]
      }]
    }
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to the node only through the API client.' }],
        patterns: [
          { group: ['node:*'], message: 'The renderer has no Node APIs.' },
          {
            group: ['**/core/*', '**/core/**', '!**/core/api', '!**/core/api/*'],
            message: 'The renderer may import only types from core/api.'
          },
          {
            regex: '(^|/)core/api(/(?!constants$)[^/]+)?$',
            allowTypeImports: true,
            message: 'Import only types from core/api (import type …); values come from core/api/constants.'
          }
        ]
      }]
    }
  },
  {
    // Raw ipcMain / ipcRenderer live in exactly one file each.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/index.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Use electron/main/ipc.ts.' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Only the preload touches ipcRenderer.' }
      ]
    }
  }
)
