/**
 * Module URLs with a version: the dev server's loader hooks (loader-hooks.ts) give each app
 * module `?sbv=<n>` once it has been reloaded, so Node's module cache, which keys on the URL,
 * loads it afresh while every other module stays the instance it was. The file is the same; only
 * the query differs, and a file URL's query never reaches the file system.
 */

/** The query parameter that carries a module's version. */
export const VERSION_PARAM = 'sbv'

/** The URL without its version (and without any other query): the module's identity. */
export const baseOf = (url: string): string => {
  const at = url.indexOf('?')
  return at === -1 ? url : url.slice(0, at)
}

/** The URL of version `version` of the module; version 0 is the URL as first loaded. */
export const withVersion = (url: string, version: number): string =>
  version === 0 ? baseOf(url) : `${baseOf(url)}?${VERSION_PARAM}=${version}`

/** `url` (any other query kept) naming version `version`; 0 names none. */
export const setVersion = (url: string, version: number): string => {
  const parsed = new URL(url)
  if (version === 0) parsed.searchParams.delete(VERSION_PARAM)
  else parsed.searchParams.set(VERSION_PARAM, String(version))
  return parsed.href
}

/** The version a URL names, or null when it names none. */
export const versionIn = (url: string): number | null => {
  const match = /[?&]sbv=(\d+)/.exec(url)
  return match ? Number(match[1]) : null
}

/**
 * True for a module of the app: a file outside node_modules and outside `frameworkRoot` (the
 * framework's own modules are never reloaded: two copies of LiveView would split every class).
 */
export const isAppModule = (url: string, frameworkRoot: string): boolean =>
  url.startsWith('file:') && !url.includes('/node_modules/') && !baseOf(url).startsWith(frameworkRoot)
