/** Safe access to records whose keys come from the wire or from users. */

/** Reads an own property only: keys come from the wire and `constructor` must not hit Object's. */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined

/** True for a plain object (`{}` or a null-prototype object), as JSON.parse produces. */
export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
