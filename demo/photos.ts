/**
 * Photos operators attach to a source (an image of the meter, the rack): kept in memory by this
 * node, a few per source, and served at /demo/photos/<id>. A cluster's nodes each keep their own;
 * a real app would put them in object storage (see `external` in docs/guides/uploads.md).
 */
import { readFile } from 'node:fs/promises'

/** A stored photo as the dashboard shows it. */
export type Photo = { readonly id: string; readonly name: string; readonly url: string }

/** Images only, so what /demo/photos serves is never a page or a script. */
export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

const PER_SOURCE = 4
const MAX_PHOTOS = 200

type Stored = { readonly type: string; readonly bytes: Uint8Array<ArrayBuffer> }

/** The node's photos, by tenant and source. */
export class Photos {
  readonly #bytes = new Map<string, Stored>()
  // One frozen list per source, replaced on change: views of a tenant share it by reference.
  readonly #lists = new Map<string, Readonly<Record<string, readonly Photo[]>>>()
  #lastId = 0

  /** The photos of every source of `tenant`, by source id. */
  of(tenant: string): Readonly<Record<string, readonly Photo[]>> {
    return this.#lists.get(tenant) ?? EMPTY
  }

  /** Copies an uploaded file in; the oldest photos go past a few per source. */
  async add(tenant: string, sourceId: string, file: { path: string | null; name: string; type: string }): Promise<Photo> {
    const type = PHOTO_TYPES.find((t) => t === file.type) ?? 'application/octet-stream'
    const id = `p${++this.#lastId}`
    this.#bytes.set(id, { type, bytes: new Uint8Array(await readFile(file.path!)) })
    const photo = { id, name: file.name, url: `/demo/photos/${id}` }
    const lists = this.of(tenant)
    const list = [photo, ...(lists[sourceId] ?? [])]
    for (const old of list.splice(PER_SOURCE)) this.#bytes.delete(old.id)
    this.#lists.set(tenant, Object.freeze({ ...lists, [sourceId]: Object.freeze(list) }))
    for (const oldest of [...this.#bytes.keys()].slice(0, Math.max(0, this.#bytes.size - MAX_PHOTOS))) {
      this.#bytes.delete(oldest)
    }
    return photo
  }

  /** The bytes and type of a photo, for its route. */
  get(id: string): Stored | undefined {
    return this.#bytes.get(id)
  }
}

const EMPTY: Readonly<Record<string, readonly Photo[]>> = Object.freeze({})

/** The pub/sub topic on which a tenant's dashboards hear of a new photo. */
export const photosTopic = (tenant: string): string => `photos:${tenant}`
