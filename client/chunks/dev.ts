/**
 * The dev client: loaded only into pages of a server running under the dev server (the server
 * prints its tag then, never otherwise), it listens on the dev socket (docs/protocol.md, "Dev
 * socket") and shows in the page what the developer needs: a server error as an overlay with its
 * stack, notices (a view that remounted), and stylesheets and scripts reloaded in place, with no
 * page load. It is a script of its own, not part of the core client, and imports nothing of it.
 */

type DevMessage =
  | { t: 'error'; title: string; message: string; stack: string }
  | { t: 'clear' }
  | { t: 'notice'; text: string }
  | { t: 'css' | 'script'; file: string }

const RETRY_MS = 500
const NOTICE_MS = 8000
const OVERLAY_ID = 'sb-dev-overlay'
const NOTICE_ID = 'sb-dev-notice'

const script = document.currentScript as HTMLScriptElement | null
const path = script?.dataset.sbDev ?? '/switchboard/dev'
// A page that is nothing but an error (a page request that threw) loads again once it is fixed.
const isErrorPage = script?.hasAttribute('data-sb-dev-reload') ?? false
let reloads = 0

const connect = (): void => {
  const url = new URL(path, location.href)
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? ''
  url.searchParams.set('csrf', csrf)
  const ws = new WebSocket(url)
  ws.onmessage = (event) => {
    try {
      apply(JSON.parse(String(event.data)) as DevMessage)
    } catch (error) {
      console.error('[switchboard dev]', error)
    }
  }
  // The server restarts (a change above the views) or is down: try again, quietly.
  ws.onclose = () => setTimeout(connect, RETRY_MS)
}

const apply = (message: DevMessage): void => {
  if (message.t === 'error') return showError(message)
  if (message.t === 'clear') {
    document.getElementById(OVERLAY_ID)?.remove()
    if (isErrorPage) location.reload()
    return
  }
  if (message.t === 'notice') return showNotice(message.text)
  if (message.t === 'css') return reloadStyles(message.file)
  reloadScripts(message.file)
}

const element = (tag: string, style: string, text = ''): HTMLElement => {
  const el = document.createElement(tag)
  el.setAttribute('style', style)
  el.textContent = text
  return el
}

const showError = ({ title, message, stack }: { title: string; message: string; stack: string }): void => {
  console.error(`[switchboard dev] ${title}: ${message}\n${stack}`)
  document.getElementById(OVERLAY_ID)?.remove()
  const overlay = element(
    'div',
    'position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.92);color:#f3f3f3;' +
      'font:14px/1.5 ui-monospace,monospace;padding:32px;overflow:auto',
  )
  overlay.id = OVERLAY_ID
  overlay.setAttribute('role', 'alert')
  const close = element('button', 'float:right;font:inherit;cursor:pointer', 'Close (Esc)')
  close.onclick = () => overlay.remove()
  overlay.append(
    close,
    element('div', 'color:#ff8a8a;font-weight:bold;margin-bottom:8px', `Server error · ${title}`),
    element('div', 'white-space:pre-wrap;margin-bottom:16px', message),
    element('pre', 'white-space:pre-wrap;color:#c8c8c8;margin:0', stack),
    element('div', 'margin-top:16px;color:#9a9a9a', 'Fix the code and save: this goes once it reloads.'),
  )
  document.body.append(overlay)
}

addEventListener('keydown', (event) => {
  if (event.key === 'Escape') document.getElementById(OVERLAY_ID)?.remove()
})

const showNotice = (text: string): void => {
  console.info(`[switchboard dev] ${text}`)
  document.getElementById(NOTICE_ID)?.remove()
  const notice = element(
    'div',
    'position:fixed;right:16px;bottom:16px;z-index:2147483646;max-width:420px;padding:10px 14px;' +
      'background:#1f2937;color:#fff;font:13px/1.4 system-ui,sans-serif;border-radius:6px',
    text,
  )
  notice.id = NOTICE_ID
  notice.setAttribute('role', 'status')
  document.body.append(notice)
  setTimeout(() => notice.remove(), NOTICE_MS)
}

// Same-origin URLs whose file name is the changed file's: `/demo/style.css` for `public/style.css`.
const named = (href: string, file: string): URL | null => {
  const url = new URL(href, location.href)
  const name = file.slice(file.lastIndexOf('/') + 1)
  return url.origin === location.origin && url.pathname.endsWith(`/${name}`) ? url : null
}

const fresh = (url: URL): string => {
  url.searchParams.set('sbdev', String(++reloads))
  return url.href
}

// Swaps each matching stylesheet for a fresh copy; the old one goes once the new one applies,
// so the page never shows unstyled. No stylesheet by that name: every same-origin one reloads.
const reloadStyles = (file: string): void => {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"][href]')]
  const matching = links.filter((link) => named(link.href, file))
  const isOwn = (link: HTMLLinkElement): boolean => new URL(link.href).origin === location.origin
  const targets = matching.length > 0 ? matching : links.filter(isOwn)
  for (const link of targets) {
    const next = link.cloneNode() as HTMLLinkElement
    next.href = fresh(new URL(link.href))
    next.onload = next.onerror = () => link.remove()
    link.after(next)
  }
  console.info(`[switchboard dev] reloaded ${file}`)
}

// Runs each matching script again (hook files: their new definitions replace the old ones for
// hooks mounted from now on). The client's own scripts never match: they are the core's URL.
const reloadScripts = (file: string): void => {
  for (const old of document.querySelectorAll<HTMLScriptElement>('script[src]')) {
    const url = named(old.src, file)
    if (!url || url.searchParams.has('chunk') || old.hasAttribute('data-sb-dev')) continue
    const next = document.createElement('script')
    next.src = fresh(url)
    next.onload = next.onerror = () => old.remove()
    old.after(next)
  }
  console.info(`[switchboard dev] re-ran ${file}`)
}

connect()
