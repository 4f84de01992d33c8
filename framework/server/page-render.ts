/**
 * A page route's dead render: each view on the page mounts disconnected and renders into a live
 * root, an element carrying the signed token its join presents over the socket; the layout wraps
 * the roots. A mount that redirects answers 302 and nothing of the page reaches the browser.
 */
import { randomBytes } from 'node:crypto'
import type { Context, Handler } from 'hono'
import { routePath } from 'hono/route'
import { LiveError } from '../errors.ts'
import { html, renderToString, type Rendered } from '../template/index.ts'
import { latestClass, renderDead, type DeadRender, type MountContext, type ViewClass } from '../view/index.ts'
import { devClientTag } from './dev-socket.ts'
import { putFlashCookie, takeFlashCookie } from './flash-cookie.ts'
import { defaultLayout, pageTitle, renderFlash, type Layout } from './layout.ts'
import { DEFAULT_SOCKET_PATH, type ServerConfig } from './server-config.ts'
import { csrfBinding, signToken } from './token.ts'

/** Options of one page route. */
export type PageOptions = {
  /** The page title when no view on the page has a `title()`. */
  readonly title?: string | ((c: Context) => string)
  /** Trusted markup for <head>: stylesheets, meta tags. */
  readonly head?: string
  readonly layout?: Layout
  /** Session data for the view, e.g. the signed-in user; signed into the page token. */
  readonly session?: (c: Context) => Record<string, unknown> | Promise<Record<string, unknown>>
  /**
   * What the page shows, inside its layout, when a view's mount or handleParams threw
   * `notFound(message)`; it is answered 404, titled "Not found". Default: a heading and the
   * message. `html` escapes the message as any value.
   *
   * ```ts
   * notFound: ({ message }) => html`<h1>Nothing here</h1><p>${message}</p><a href="/">Home</a>`
   * ```
   */
  readonly notFound?: (page: NotFoundPage) => Rendered
}

/** What a page's `notFound` option is given: notFound()'s message and the URL requested. */
export type NotFoundPage = { readonly message: string; readonly url: URL }

/** What a page's render needs of its server. */
export type PageServer = {
  readonly config: ServerConfig
  /** Under the dev server: pages load its client too. */
  readonly isDev: boolean
  /** The request's CSRF token (cookie read or issued), printed in the page. */
  csrfToken(c: Context): string
}

/** One page: which views (by their registered names), its options, its live session if any. */
export type PageSpec = {
  readonly views: readonly ViewClass[]
  readonly names: readonly string[]
  readonly options: PageOptions
  readonly liveSession: string | undefined
}

/** The hono handler rendering `page` dead. */
export const renderPage = (server: PageServer, page: PageSpec): Handler => {
  const { config } = server
  const { options, names, liveSession } = page
  return async (c) => {
    const csrf = server.csrfToken(c)
    const url = new URL(c.req.url)
    const routeParams = c.req.param() as Record<string, string>
    const route = routePath(c)
    // Route params win over the query, here and on every later URL (issue 10, item 12).
    const params = { ...Object.fromEntries(url.searchParams), ...routeParams }
    const session = (await options.session?.(c)) ?? {}
    // Flash the page before sent (a redirect); each view may show it, the layout prints it once.
    const given = takeFlashCookie(c, config.secret)
    const context: MountContext = {
      ...{ params, session, isConnected: false, url, form: {} },
      ...(given ? { flash: given } : {}),
    }
    // latestClass: under the dev server, a reloaded class replaces the one routed here.
    const renders = await Promise.all(page.views.map((View) => renderDead(latestClass(View), context)))
    const roots: string[] = []
    const issuedAt = Date.now()
    for (const [n, render] of renders.entries()) {
      // Nothing of a page whose mount redirected may reach the browser (issue 10, item 9).
      if (render.kind === 'redirect') {
        if (render.flash) putFlashCookie(c, config.secret, render.flash)
        return c.redirect(render.location, 302)
      }
      // Nor of a page one of whose views names nothing: the layout and the message, 404.
      if (render.kind === 'not-found') {
        const page = { message: render.message, url }
        const body = renderToString(options.notFound?.(page) ?? defaultNotFound(page))
        return c.html(pageDocument(server, options, { title: 'Not found', body, csrf, renders: [render] }), 404)
      }
      const claims = { routeParams, route, liveSession, issuedAt }
      roots.push(liveRoot(config, names[n] as string, render.rendered, context, claims, csrf))
    }
    const title = pageTitle(renders, () =>
      typeof options.title === 'function' ? options.title(c) : (options.title ?? names.join(' ')),
    )
    return c.html(pageDocument(server, options, { title, body: roots.join('\n'), csrf, renders }))
  }
}

// What the layout needs besides the page's options.
type DocumentParts = { title: string; body: string; csrf: string; renders: readonly DeadRender[] }

// The page's document: its layout around `body`, with the flash of `renders`.
const pageDocument = (server: PageServer, options: PageOptions, { title, body, csrf, renders }: DocumentParts): string => {
  const { config } = server
  const layout = options.layout ?? defaultLayout
  const document = layout({
    title,
    head: server.isDev ? `${options.head ?? ''}${devClientTag(config.scriptUrl)}` : (options.head ?? ''),
    body,
    csrfToken: csrf,
    scriptUrl: config.scriptUrl,
    socketPath: config.socketPath,
    flash: renderFlash(renders),
  })
  // Without the meta the client dials the default path and the page hangs in sb-loading.
  if (config.socketPath !== DEFAULT_SOCKET_PATH && !document.includes('sb-socket')) {
    throw new LiveError(
      'server.bad-config',
      `socketPath is ${config.socketPath} but the layout prints no <meta name="sb-socket">; add it from LayoutParts.socketPath`,
    )
  }
  return document
}

// The body of a page whose view threw notFound(), when the page has no `notFound` option.
const defaultNotFound = ({ message }: NotFoundPage): Rendered =>
  html`<section class="sb-not-found"><h1>Not found</h1><p>${message}</p></section>`

// What a page's root token signs beside the view, session and browser.
type RootClaims = {
  readonly routeParams: Record<string, string>
  readonly route: string
  readonly liveSession: string | undefined
  readonly issuedAt: number
}

// A live root: the dead-rendered HTML in an element carrying the token its join presents.
const liveRoot = (
  config: ServerConfig,
  name: string,
  rendered: Rendered,
  context: MountContext,
  { routeParams, route, liveSession, issuedAt }: RootClaims,
  csrf: string,
): string => {
  const id = `sb-${randomBytes(6).toString('base64url')}`
  const token = signToken(config.secret, {
    v: name,
    i: id,
    s: context.session as Record<string, unknown>,
    p: routeParams,
    u: context.url.pathname,
    ...(route ? { r: route } : {}),
    ...(liveSession ? { l: liveSession } : {}),
    c: csrfBinding(config.secret, csrf),
    t: issuedAt,
    exp: issuedAt + config.tokenMaxAgeMs,
  })
  // The root of a live session's page is the one a live navigate replaces (`data-sb-main`).
  const main = liveSession ? ' data-sb-main' : ''
  const html = renderToString(rendered)
  return `<div id="${id}" data-sb-root data-sb-token="${token}"${main}>${html}</div>`
}
