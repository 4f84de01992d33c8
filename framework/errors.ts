/**
 * The one error class of Switchboard and its catalogue of codes.
 *
 * Codes are shaped `area.problem`. Tests assert on `code`, never on wording; the message says
 * what happened, the value seen and the fix.
 */
export const ERRORS = {
  // template
  'template.not-a-literal': 'html must be used as a tag on a template literal',
  'template.unsafe-context': 'a dynamic value sits where it cannot be escaped safely',
  'template.node-in-attribute': 'a nested template sits inside a tag or attribute',
  'template.unclosed': 'the template ends inside a tag, attribute or comment',
  'template.bad-value': 'a dynamic value has a type the template cannot render',
  'template.bad-attribute': 'an attribute name given in a tag spread is invalid or unsafe',
  // diff
  'diff.duplicate-key': 'a keyed list holds the same key twice',
  // stream
  'stream.bad-options': 'a stream option (at, limit, reset, domId) is invalid',
  'stream.no-id': 'a stream item has no dom id: give it an id or configure domId',
  'stream.bad-render': 'a stream is placed where it cannot be sent (twice, in memo(), a row that is not one element)',
  'stream.overflow': 'a stream holds more changes than its client has taken; the view is mounted afresh',
  // runtime
  'runtime.process-down': 'the process is not running',
  'runtime.call-timeout': 'the process did not reply in time',
  'runtime.crashed': 'the process crashed while handling the message',
  'runtime.max-restarts': 'a supervisor exceeded its restart intensity and gave up',
  'runtime.name-taken': 'a process is already registered under this name',
  'runtime.no-handler': 'the process received a kind of message its behaviour does not handle',
  'runtime.child-exists': 'a supervisor already has a running child with this id',
  'runtime.bad-options': 'the supervisor options or child specs are invalid',
  // pubsub / presence
  'pubsub.bad-topic': 'a topic must be a non-empty string',
  'pubsub.bad-option': 'a pubsub or adapter option is invalid',
  'pubsub.closed': 'the pubsub was closed and cannot subscribe or broadcast',
  'pubsub.not-serializable': 'the message cannot be encoded as JSON for another node',
  'pubsub.bad-message': 'a message from the transport is not a valid pubsub envelope',
  'presence.bad-option': 'a presence tracker option is invalid',
  'presence.bad-meta': 'presence meta must be a plain JSON object',
  'presence.already-tracked': 'this owner already tracks a presence for the topic and key',
  'presence.not-tracked': 'this owner tracks no presence for the topic and key',
  'presence.closed': 'the presence tracker was closed',
  'presence.owner-exited': 'a process that has exited cannot track a presence',
  // store
  'store.stale-write': 'the write carries an older fencing token than the stored state',
  'store.version-conflict': 'the write expected another version of the stored state',
  'store.bad-value': 'the state cannot be stored as JSON',
  'store.bad-key': 'a store key must be a non-empty string',
  'store.bad-option': 'a store option is invalid',
  'store.unavailable': 'the store did not answer',
  'store.closed': 'the store was closed',
  // cluster
  'cluster.bad-option': 'a cluster option is invalid',
  'cluster.unavailable': 'the cluster coordinator (Redis or the primary) did not answer',
  'cluster.not-owner': 'this node does not hold the lease of the named process',
  'cluster.no-owner': 'no node runs the named process and none could start it',
  'cluster.unknown-kind': 'no process kind is defined under this name on the node',
  'cluster.call-timeout': 'the named process did not reply in time',
  'cluster.fenced': 'the node lost the lease of the named process and stopped it',
  'cluster.closed': 'the cluster node was closed',
  'cluster.store-in-use':
    "another cluster (another process's own coordinator) uses this store: give each its own store, or run them as one cluster",
  // view
  'view.no-handler': 'the view received an event it does not handle',
  'view.invalid-payload': 'the event payload failed its schema, or the schema threw on it',
  'view.not-mounted': 'the view is not mounted',
  'view.bad-render': 'render() must return an html template',
  'view.crashed': 'the view crashed and was terminated',
  'view.bad-reply': "a handler's reply (a view's { reply }, what a channel's handleIn returned) cannot be sent as JSON",
  'view.bad-redirect': 'a redirect target is neither a same-site path nor an http(s) URL',
  'view.not-found': 'mount or handleParams threw notFound(): the URL names nothing; its page answers 404',
  'view.not-serializable': "a durable view's snapshot cannot be stored as JSON",
  // router
  'router.bad-routes': 'the routes of a live session are invalid',
  'router.outside-session': 'the URL is not a route of the live session the page belongs to',
  // component
  'component.outside-render': 'a component was rendered outside a view or component render',
  'component.in-memo': 'a component was rendered inside memo(), whose result other views reuse',
  'component.bad-id': 'a component needs an id: a non-empty string or a number',
  'component.duplicate-id': 'two components of one class have the same id in one view',
  'component.bad-render': "a component's render() must return one html element",
  'component.unknown-target': 'the event names a component the view does not render',
  // testing (docs/guides/testing.md)
  'testing.no-match': 'no element on the page matches the query',
  'testing.many-matches': 'more than one element matches a query that wants one',
  'testing.not-fillable': 'fill() needs an enabled, editable input, textarea or select',
  'testing.not-settled': 'the page and its views were still busy when settled() gave up',
  'testing.no-dom': 'mount() needs happy-dom installed (a dev dependency) to open the page',
  // upload
  'upload.bad-option': 'allowUpload was given an invalid option',
  'upload.not-allowed': 'the view allows no upload of this name',
  'upload.too-large': 'the file is larger than the upload allows (maxFileSize)',
  'upload.not-accepted': 'the file type is not one the upload accepts (accept)',
  'upload.too-many': 'more files than the upload allows (maxEntries)',
  'upload.unknown-entry': 'a chunk names an upload entry this socket does not have',
  'upload.bad-chunk': 'a chunk broke the flow control: too long, or sent before the last ack',
  'upload.cancelled': 'the upload entry was cancelled',
  'upload.failed': 'the server could not store the chunk, or the external target hook threw',
  // socket / protocol
  'socket.bad-frame': 'the frame is not a valid protocol message',
  'socket.unknown-topic': 'the topic is not joined on this socket',
  'socket.unknown-view': 'no view is routed for this join',
  'socket.join-refused': 'the join was refused',
  'socket.too-many-topics': 'the socket joined more topics than allowed',
  'socket.rate-limited': 'too many events per second on this connection',
  // server / security
  'session.bad-token': 'the session token is malformed or its signature does not match',
  'session.expired': 'the session token has expired',
  'session.wrong-view': 'the session token was issued for another view',
  'server.bad-config': 'the server options are invalid',
  'server.bad-origin': 'the WebSocket upgrade came from an origin that is not allowed',
  'server.bad-csrf': 'the CSRF token is missing or does not match',
  'server.unauthorized': 'an operator route (metrics, dashboard) refused the request in authorize',
  // dev server (docs/guides/dev-server.md)
  'dev.remount': "a reloaded view class no longer fits the view's state; the view mounts afresh",
  'dev.bad-setup': 'the dev server cannot run here (production, or no entry module)',
} as const

export type ErrorCode = keyof typeof ERRORS

/** The error every Switchboard module throws; `code` names the problem in the catalogue. */
export class LiveError extends Error {
  readonly code: ErrorCode
  /** The message without the code: what a client sees as `reason` (a channel's refusal verbatim). */
  readonly detail: string
  constructor(code: ErrorCode, detail: string, options?: ErrorOptions) {
    super(`${detail} (${code})`, options)
    this.name = 'LiveError'
    this.code = code
    this.detail = detail
  }
}

/** The message of a thrown value: an Error's own message, else the value as a string. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * A value a client sent, as an error message shows it: short, and read without recursion. One
 * frame can nest arrays deeper (`[[[…]]]`) than JSON.stringify or String can walk, and a reason
 * that threw RangeError while it described the value would crash the view that was to answer.
 */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value)
  }
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** True when `value` is a LiveError, optionally with the given code. */
export const isLiveError = (value: unknown, code?: ErrorCode): value is LiveError =>
  value instanceof LiveError && (code === undefined || value.code === code)

/** Marks a branch the type checker proves unreachable; throws if reached at run time. */
export const unreachable = (value: never): never => {
  throw new Error(`unreachable: ${JSON.stringify(value)}`)
}
