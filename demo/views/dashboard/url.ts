/** The dashboard's URLs: `/?tenant=south&source=S-012`, with `/t/south` as an entry alias. */

/** What a URL selects: a tenant and maybe one source for the detail panel. */
export type Place = { readonly tenant: string; readonly sourceId: string | null }

const SOURCE_ID = /^[A-Z]-\d{3}$/

/**
 * Reads the place from a URL: `?tenant=` first, then a `/t/<tenant>` path, else the first
 * tenant. The URL is read rather than the route params because after a live patch away from
 * `/t/<tenant>` the signed route params still name the old tenant on a rejoin.
 */
export const placeFrom = (url: URL, tenants: readonly string[]): Place => {
  const fromPath = /^\/t\/([^/]+)/.exec(url.pathname)?.[1]
  const wanted = url.searchParams.get('tenant') ?? fromPath ?? ''
  const tenant = tenants.includes(wanted) ? wanted : (tenants[0] ?? '')
  const source = url.searchParams.get('source')
  return { tenant, sourceId: source !== null && SOURCE_ID.test(source) ? source : null }
}

/** The URL of a tenant's dashboard, or of one source's detail panel. */
export const dashboardHref = (tenant: string, sourceId?: string | null): string =>
  sourceId
    ? `/?tenant=${encodeURIComponent(tenant)}&source=${encodeURIComponent(sourceId)}`
    : `/?tenant=${encodeURIComponent(tenant)}`

/** The URL of one source's own page (a route of the demo's live session). */
export const sourceHref = (tenant: string, sourceId: string): string =>
  `/sources/${encodeURIComponent(sourceId)}?tenant=${encodeURIComponent(tenant)}`
