// electron-vite's module types for the main build (`*?asset` imports resolve to a file path).
/// <reference types="electron-vite/node" />
