/**
 * One minified classic script (an IIFE exposing `name` on window) built by vite from `entry`:
 * how the client's core and chunks (client/build.ts) and the demo's own bundle are built. Node
 * and vite, never loaded by a browser.
 *
 * Minified twice: vite's own minifier (oxc), then terser's compressor over its output, which
 * finds what the first left (about 150 B of the core's gzip size; `npm run build` prints sizes).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { minify } from 'terser'
import { build } from 'vite'

/** What to build: the entry and the file it becomes, both under `root`. */
export type ScriptBuild = {
  readonly root: string
  readonly entry: string
  readonly outDir: string
  readonly file: string
  /** The global the script assigns its exports to. */
  readonly name: string
  /** Empty `outDir` first; default false. */
  readonly emptyOutDir?: boolean
}

export const buildScript = async ({ root, entry, outDir, file, name, emptyOutDir = false }: ScriptBuild): Promise<void> => {
  await build({
    configFile: false,
    root,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir,
      target: 'es2022',
      minify: true,
      lib: { entry, name, formats: ['iife'], fileName: () => file },
    },
  })
  const path = `${outDir}/${file}`
  const { code } = await minify(await readFile(path, 'utf8'), { ecma: 2020, compress: { passes: 3 } })
  await writeFile(path, code!)
}
