/**
 * Reads a template's static strings once and decides, for every hole between them, which
 * output context the value lands in. The result is cached per strings array, so a call site
 * is analysed on first use only.
 */
import { LiveError } from '../errors.ts'
import {
  attributeKind,
  BOOLEAN_ATTRIBUTES,
  RAW_TEXT_ELEMENTS,
  RCDATA_ELEMENTS,
  VOID_ELEMENTS,
} from './html-names.ts'

/** Where a dynamic value sits, which decides how it is escaped. */
export type HoleKind =
  | 'text' // element content (also textarea/title: escaped text is safe there)
  | 'attr' // inside a quoted attribute value
  | 'attr-unquoted' // the whole unquoted value of an attribute: rendered with quotes
  | 'attr-boolean' // the whole value of a boolean attribute: the slot is the attribute, or nothing
  | 'url' // a URL attribute (href, src, ...): the assembled value is checked for schemes
  | 'raw-only' // script/style body, event handler, srcdoc, comment: only raw() is accepted
  | 'spread' // between attributes inside a tag: takes an attribute object

/** One hole's context; URL holes of one attribute share a group for the scheme check. */
export type Hole = {
  readonly kind: HoleKind
  /** Attribute name for attribute contexts, tag name for raw text bodies. */
  readonly name: string
  /** For 'url': index of the first hole of the attribute and the statics between its holes. */
  readonly group?: UrlGroup
  /** For 'url' and 'attr-unquoted': whether the value is rendered wrapped in quotes. */
  readonly isQuoted: boolean
}

/** The holes and static text forming one URL attribute value. */
export type UrlGroup = {
  readonly holes: number[]
  /** Static text before the first hole, between holes, and after the last (within the value). */
  readonly parts: string[]
  readonly isAnimation: boolean
}

/** The analysis of one template: its holes and, if it is one element, where to mark it. */
export type TemplateInfo = {
  /** Process-wide id of this call site: the same template has the same id on every socket. */
  readonly id: number
  /**
   * The call site's statics, except that a boolean attribute whose whole value is one hole
   * (`disabled=${busy}`, `disabled="${busy}"`) has its name, `=` and quotes moved into that hole.
   */
  readonly statics: readonly string[]
  readonly holes: readonly Hole[]
  /** Offset in statics[0] just after the root tag name when the template is one element. */
  readonly rootOffset: number | null
}

type State =
  | 'text'
  | 'tag-open' // just after '<'
  | 'tag-name'
  | 'end-tag'
  | 'in-tag' // between attributes
  | 'attr-name'
  | 'after-attr-name'
  | 'before-value'
  | 'value-dq'
  | 'value-sq'
  | 'value-uq'
  | 'comment'
  | 'raw-text' // script, style, ...: up to the end tag nothing is markup
  | 'rcdata' // textarea, title: text up to the end tag
  | 'bogus' // <!DOCTYPE ...> and <? ... >

const isNameChar = (c: string): boolean => /[A-Za-z0-9\-_:.]/.test(c)
const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f'

// `</name` ends raw text only when followed by whitespace, '/' or '>': `</scriptx>` is text.
// At the end of a chunk the next character is a value's, unknown here: not an end.
const isEndTagOf = (name: string, chunk: string, i: number): boolean => {
  if (chunk[i + 1] !== '/') return false
  const after = chunk[i + 2 + name.length]
  return (
    chunk.slice(i + 2, i + 2 + name.length).toLowerCase() === name &&
    after !== undefined &&
    (isSpace(after) || after === '/' || after === '>')
  )
}

const cache = new WeakMap<TemplateStringsArray, TemplateInfo>()
let nextId = 1

/** Returns the (cached) analysis of a template's statics; throws on a misplaced hole. */
export const analyse = (statics: TemplateStringsArray): TemplateInfo => {
  let info = cache.get(statics)
  if (!info) {
    info = { id: nextId++, ...new Analyser(statics).run() }
    cache.set(statics, info)
  }
  return info
}

/** A small HTML tokenizer that only tracks what decides escaping and the root element. */
class Analyser {
  readonly #statics: readonly string[]
  #state: State = 'text'
  #tag = ''
  #attr = ''
  #valueHasStatic = false
  #rawEnd = ''
  #depth = 0
  #rootOffset: number | null = null
  #isSingleRoot = true
  #hasRootClosed = false
  #holes: Hole[] = []
  /** Where each 'attr-boolean' attribute starts: in the chunk before its hole, at `start`. */
  #cuts: { index: number; start: number; isQuoted: boolean }[] = []
  #attrStart = 0
  #valueHasHole = false
  #group: { holes: number[]; parts: string[]; isAnimation: boolean } | null = null
  #pendingHole: number | null = null

  constructor(statics: readonly string[]) {
    this.#statics = statics
  }

  run(): Pick<TemplateInfo, 'statics' | 'holes' | 'rootOffset'> {
    const last = this.#statics.length - 1
    this.#statics.forEach((chunk, index) => {
      this.#scan(chunk, index)
      if (index < last) this.#hole(index)
    })
    this.#closeGroup()
    if (this.#state !== 'text') {
      throw new LiveError(
        'template.unclosed',
        `template ends in state "${this.#state}" after ${JSON.stringify(this.#statics[last])}; ` +
          'close every tag, attribute and comment inside the template that opens it',
      )
    }
    const isRooted = this.#isSingleRoot && this.#hasRootClosed && this.#depth === 0
    return {
      statics: this.#cutStatics(),
      holes: this.#holes,
      rootOffset: isRooted ? this.#rootOffset : null,
    }
  }

  // A whole-value boolean attribute leaves the statics for its slot, which writes the attribute
  // or nothing: its chunk loses the name, '=' and an opening quote at its end, and the next chunk
  // the closing quote it starts with. Ends are cut first, at the offsets the scan saw. The root
  // tag's name comes before any of its attributes, so rootOffset stays where it was.
  #cutStatics(): string[] {
    const statics = [...this.#statics]
    for (const { index, start } of this.#cuts) {
      statics[index] = (statics[index] as string).slice(0, start)
    }
    for (const { index, isQuoted } of this.#cuts) {
      if (isQuoted) statics[index + 1] = (statics[index + 1] as string).slice(1)
    }
    return statics
  }

  #fail(detail: string): never {
    throw new LiveError('template.unsafe-context', detail)
  }

  #hole(index: number): void {
    const where = JSON.stringify(this.#statics.slice(0, index + 1).join('${…}'))
    switch (this.#state) {
      case 'text':
        if (this.#depth === 0) this.#isSingleRoot = false
        return void this.#holes.push({ kind: 'text', name: '', isQuoted: false })
      case 'raw-text':
        return void this.#holes.push({ kind: 'raw-only', name: this.#rawEnd, isQuoted: false })
      case 'rcdata':
        return void this.#holes.push({ kind: 'text', name: '', isQuoted: false })
      case 'comment':
        return void this.#holes.push({ kind: 'raw-only', name: '!--', isQuoted: false })
      case 'in-tag': {
        const next = this.#statics[index + 1]?.[0]
        if (next !== undefined && !isSpace(next) && next !== '>' && next !== '/') {
          return this.#fail(`a value is part of an attribute name: ${where}`)
        }
        return void this.#holes.push({ kind: 'spread', name: this.#tag, isQuoted: false })
      }
      case 'value-dq':
      case 'value-sq':
        return void this.#holes.push(this.#valueHole(index, true))
      case 'before-value':
        this.#state = 'value-uq'
        this.#pendingHole = index
        return void this.#holes.push(this.#valueHole(index, false))
      case 'value-uq':
        return this.#fail(`a value is joined to static text in an unquoted attribute: ${where}; quote it`)
      case 'after-attr-name':
      case 'attr-name':
        return this.#fail(`a value is part of an attribute name: ${where}`)
      case 'tag-open':
      case 'tag-name':
      case 'end-tag':
        return this.#fail(`a value is part of a tag name: ${where}`)
      case 'bogus':
        return this.#fail(`a value sits inside a doctype or processing instruction: ${where}`)
    }
  }

  #valueHole(index: number, isQuoted: boolean): Hole {
    const name = this.#attr.toLowerCase()
    const isWhole = this.#isWholeValue(index, isQuoted)
    this.#valueHasHole = true
    if (isWhole && BOOLEAN_ATTRIBUTES.has(name)) {
      this.#cuts.push({ index, start: this.#attrStart, isQuoted })
      return { kind: 'attr-boolean', name, isQuoted }
    }
    const kind = attributeKind(name)
    if (kind === 'code') return { kind: 'raw-only', name, isQuoted }
    if (kind === 'plain') return { kind: isQuoted ? 'attr' : 'attr-unquoted', name, isQuoted }
    const isAnimation = kind === 'animation'
    if (!this.#group) {
      this.#group = { holes: [], parts: [this.#valueSoFar], isAnimation }
    } else {
      this.#group.parts.push(this.#valueSoFar)
    }
    this.#valueSoFar = ''
    this.#group.holes.push(index)
    return { kind: 'url', name, group: this.#group, isQuoted }
  }

  // Unquoted, a hole is the whole value or the template is refused; quoted, nothing else may sit
  // between the quotes.
  #isWholeValue(index: number, isQuoted: boolean): boolean {
    if (!isQuoted) return true
    const quote = this.#state === 'value-dq' ? '"' : "'"
    return !this.#valueHasStatic && !this.#valueHasHole && this.#statics[index + 1]?.[0] === quote
  }

  #valueSoFar = ''

  #closeGroup(): void {
    if (this.#group) this.#group.parts.push(this.#valueSoFar)
    this.#group = null
    this.#valueSoFar = ''
  }

  #scan(chunk: string, index: number): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string
      switch (this.#state) {
        case 'text':
          if (c === '<') this.#state = 'tag-open'
          else if (this.#depth === 0 && !isSpace(c)) this.#isSingleRoot = false
          break
        case 'tag-open':
          if (c === '/') {
            this.#state = 'end-tag'
            this.#tag = ''
          } else if (c === '!' && chunk.startsWith('!--', i)) {
            this.#state = 'comment'
            i += 2
          } else if (c === '!' || c === '?') {
            this.#state = 'bogus'
          } else if (/[A-Za-z]/.test(c)) {
            this.#state = 'tag-name'
            this.#tag = c
          } else {
            this.#state = 'text' // a lone '<' is text
          }
          break
        case 'tag-name':
          if (isNameChar(c)) this.#tag += c
          else {
            this.#openTag(index, i)
            this.#state = 'in-tag'
            i--
          }
          break
        case 'end-tag':
          if (c === '>') this.#closeTag()
          else if (isNameChar(c)) this.#tag += c
          break
        case 'in-tag':
          if (c === '>') this.#endOfStartTag(false)
          else if (c === '/' && chunk[i + 1] === '>') {
            this.#endOfStartTag(true)
            i++
          } else if (!isSpace(c) && c !== '/') {
            this.#state = 'attr-name'
            this.#attr = c
            this.#attrStart = i
          }
          break
        case 'attr-name':
          if (c === '=') this.#beginValue()
          else if (isSpace(c)) this.#state = 'after-attr-name'
          else if (c === '>' || c === '/') {
            this.#state = 'in-tag'
            i--
          } else this.#attr += c
          break
        case 'after-attr-name':
          if (c === '=') this.#beginValue()
          else if (!isSpace(c)) {
            this.#state = 'in-tag'
            i--
          }
          break
        case 'before-value':
          if (c === '"') this.#state = 'value-dq'
          else if (c === "'") this.#state = 'value-sq'
          else if (c === '>') this.#endOfStartTag(false)
          else if (!isSpace(c)) {
            this.#state = 'value-uq'
            this.#valueHasStatic = true
          }
          break
        case 'value-dq':
        case 'value-sq':
          if (c === (this.#state === 'value-dq' ? '"' : "'")) {
            this.#closeGroup()
            this.#state = 'in-tag'
          } else {
            this.#valueHasStatic = true
            this.#valueSoFar += c
          }
          break
        case 'value-uq':
          if (isSpace(c) || c === '>') {
            this.#closeGroup()
            this.#pendingHole = null
            this.#state = 'in-tag'
            i--
          } else if (this.#pendingHole !== null) {
            this.#fail(
              `static text follows a value in an unquoted attribute "${this.#attr}"; quote it`,
            )
          } else this.#valueHasStatic = true
          break
        case 'comment':
          if (c === '-' && chunk.startsWith('-->', i)) {
            this.#state = 'text'
            i += 2
          }
          break
        case 'raw-text':
        case 'rcdata':
          if (c !== '<') break
          if (isEndTagOf(this.#rawEnd, chunk, i)) {
            this.#state = 'end-tag'
            this.#tag = ''
            i += 1
          } else if (this.#state === 'rcdata') this.#refuseMarkupIn(chunk, i)
          break
        case 'bogus':
          if (c === '>') this.#state = 'text'
          break
      }
    }
  }

  #beginValue(): void {
    this.#state = 'before-value'
    this.#valueHasStatic = false
    this.#valueHasHole = false
    this.#valueSoFar = ''
    this.#pendingHole = null
  }

  #openTag(index: number, offset: number): void {
    if (this.#depth === 0) {
      if (this.#hasRootClosed || this.#rootOffset !== null || index !== 0) this.#isSingleRoot = false
      else this.#rootOffset = offset
    }
  }

  #endOfStartTag(isSelfClosing: boolean): void {
    const tag = this.#tag.toLowerCase()
    const isRaw = RAW_TEXT_ELEMENTS.has(tag)
    if (isSelfClosing && (isRaw || RCDATA_ELEMENTS.has(tag))) {
      // HTML ignores the slash here: <script/> opens a script that runs to the next </script>.
      this.#fail(`<${this.#tag}/> is not self-closing in HTML; write <${this.#tag}></${this.#tag}>`)
    }
    this.#state = 'text'
    if (isSelfClosing || VOID_ELEMENTS.has(tag)) {
      if (this.#depth === 0) this.#hasRootClosed = true
      return
    }
    this.#depth++
    if (isRaw || RCDATA_ELEMENTS.has(tag)) {
      this.#state = isRaw ? 'raw-text' : 'rcdata'
      this.#rawEnd = tag
    }
  }

  // Markup inside <textarea> or <title> is text to HTML but markup inside an SVG <title>; with
  // none there, both read the content, and its holes, the same way. A '<' the chunk ends on
  // would be followed by a value: refused too.
  #refuseMarkupIn(chunk: string, i: number): void {
    const next = chunk[i + 1]
    if (next === undefined || /[A-Za-z/!?]/.test(next)) {
      const seen = JSON.stringify(chunk.slice(i, i + 20))
      this.#fail(`markup inside <${this.#rawEnd}>: ${seen}; write &lt; for a literal "<"`)
    }
  }

  #closeTag(): void {
    this.#state = 'text'
    if (this.#depth > 0) this.#depth--
    if (this.#depth === 0) this.#hasRootClosed = true
  }
}
