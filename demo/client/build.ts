/**
 * Builds the demo's own browser bundle, dist/demo/card-text.js (the board's shared description
 * editor and the Yjs it needs), as one minified classic script exposing `window.BoardText`.
 */
import { fileURLToPath } from 'node:url'
import { buildScript } from '../../client/build-script.ts'

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

await buildScript({
  root: repo(''),
  entry: repo('demo/client/card-text.ts'),
  outDir: repo('dist/demo'),
  file: 'card-text.js',
  name: 'BoardText',
  emptyOutDir: true,
})
