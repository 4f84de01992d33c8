import { describe, expect, it } from 'vitest'
import { checkFile, decodeFiles, isAccepted, resolveUploadOptions } from '../../../framework/upload/index.ts'

const file = (name: string, type: string, size = 10) => ({ ref: name, name, type, size })

describe('resolveUploadOptions', () => {
  it('fills the defaults when given no options', () => {
    const config = resolveUploadOptions('avatar')
    expect(config).toMatchObject({ maxEntries: 1, maxFileSize: 8_000_000, chunkSize: 64_000, autoUpload: false, accept: [] })
  })

  it.each([
    ['a bad name', 'no spaces', {}],
    ['an unknown option', 'a', { maxFiles: 2 }],
    ['a zero maxEntries', 'a', { maxEntries: 0 }],
    ['a fractional maxFileSize', 'a', { maxFileSize: 1.5 }],
    ['an accept rule that is not a type', 'a', { accept: 'png' }],
    ['an external that is not a function', 'a', { external: 'https://x' }],
  ])('throws upload.bad-option on %s', (_, name, options) => {
    expect(() => resolveUploadOptions(name, options as never)).toThrow(expect.objectContaining({ code: 'upload.bad-option' }))
  })

  it('splits and lowercases a comma-separated accept', () => {
    expect(resolveUploadOptions('a', { accept: '.PNG, image/*' }).accept).toEqual(['.png', 'image/*'])
  })
})

describe('isAccepted', () => {
  it.each([
    [['.png'], 'photo.PNG', '', true],
    [['image/*'], 'x', 'image/jpeg', true],
    [['image/png'], 'x.png', 'image/jpeg', false],
    [['.pdf', 'image/*'], 'doc.txt', 'text/plain', false],
    [[], 'anything', '', true],
  ])('%j takes %s (%s): %s', (accept, name, type, expected) => {
    expect(isAccepted(accept, name, type)).toBe(expected)
  })
})

describe('checkFile', () => {
  const config = resolveUploadOptions('a', { accept: 'image/*', maxEntries: 2, maxFileSize: 100 })

  it('gives no error to a file within every limit', () => {
    expect(checkFile(config, file('a.png', 'image/png'), 0)).toEqual([])
  })

  it('refuses a file too large and of the wrong type with both codes', () => {
    expect(checkFile(config, file('a.exe', 'application/x', 101), 0)).toEqual(['upload.too-large', 'upload.not-accepted'])
  })

  it('refuses a valid file past maxEntries with upload.too-many', () => {
    expect(checkFile(config, file('c.png', 'image/png'), 2)).toEqual(['upload.too-many'])
  })
})

describe('decodeFiles', () => {
  it('throws socket.bad-frame on a missing size or a repeated ref', () => {
    expect(() => decodeFiles([{ ref: 'a', name: 'x', type: '' }])).toThrow(expect.objectContaining({ code: 'socket.bad-frame' }))
    const twice = [file('a', ''), file('a', '')]
    expect(() => decodeFiles(twice)).toThrow(expect.objectContaining({ code: 'socket.bad-frame' }))
  })
})
