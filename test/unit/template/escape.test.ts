import { describe, expect, it } from 'vitest'
import { html, raw, renderToString } from '../../../framework/template/index.ts'
import { codeOf } from '../code-of.ts'

// Whatever the payload, text and attribute output must contain no markup a parser would act on.
const BREAKOUTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '<!--',
  '--><script>alert(1)</script>',
  ']]><script>alert(1)</script>',
  '\u0000<script>',
  '&lt;script&gt;',
  '<\u200Bscript>',
]

describe('html escaping', () => {
  it.each(BREAKOUTS)('escapes %j in text', (payload) => {
    const out = renderToString(html`<p>${payload}</p>`)
    expect(out.slice(3, -4)).not.toMatch(/[<>"'\0]/)
  })

  it.each(BREAKOUTS)('escapes %j in a double-quoted attribute', (payload) => {
    const out = renderToString(html`<p title="${payload}">x</p>`)
    expect(out).toMatch(/^<p title="[^"<>]*">x<\/p>$/)
  })

  it.each(BREAKOUTS)('escapes %j in a single-quoted attribute', (payload) => {
    const out = renderToString(html`<p title='${payload}'>x</p>`)
    expect(out).toMatch(/^<p title='[^'<>]*'>x<\/p>$/)
  })

  it.each(BREAKOUTS)('quotes and escapes %j in an unquoted attribute', (payload) => {
    const out = renderToString(html`<p title=${payload}>x</p>`)
    expect(out).toMatch(/^<p title="[^"<>]*">x<\/p>$/)
  })

  it('escapes in textarea and title (RCDATA)', () => {
    expect(renderToString(html`<textarea>${'</textarea><b>'}</textarea>`)).toBe(
      '<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>',
    )
    expect(renderToString(html`<title>${'</title><b>'}</title>`)).toBe('<title>&lt;/title&gt;&lt;b&gt;</title>')
  })

  it('replaces null bytes with U+FFFD', () => {
    expect(renderToString(html`<p>${'a\u0000b'}</p>`)).toBe('<p>a\uFFFDb</p>')
  })

  it('keeps unicode text as it is', () => {
    expect(renderToString(html`<p>${'Grüße 👋 \u202Eabc'}</p>`)).toBe('<p>Grüße 👋 \u202Eabc</p>')
  })
})

describe('URL attributes', () => {
  const DANGEROUS = [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:image/svg+xml,<svg onload=alert(1)>',
  ]

  it.each(DANGEROUS)('neutralises %j in href, src, action and formaction', (url) => {
    for (const out of [
      renderToString(html`<a href="${url}">x</a>`),
      renderToString(html`<img src="${url}">`),
      renderToString(html`<form action="${url}"></form>`),
      renderToString(html`<button formaction=${url}></button>`),
      renderToString(html`<svg><a xlink:href="${url}">x</a></svg>`),
    ]) {
      expect(out).toContain('about:invalid#blocked')
      expect(out.toLowerCase()).not.toContain('script:')
    }
  })

  it('neutralises a scheme assembled from several values', () => {
    expect(renderToString(html`<a href="${'java'}${'script:alert(1)'}">x</a>`)).toBe(
      '<a href="about:invalid#blocked">x</a>',
    )
  })

  it('neutralises script URLs in SVG animation values', () => {
    const out = renderToString(html`<svg><animate attributeName="href" values="${'x;javascript:alert(1)'}"/></svg>`)
    expect(out).toContain('about:invalid#blocked')
    const set = renderToString(html`<svg><set attributeName="href" to=${'javascript:alert(1)'} /></svg>`)
    expect(set).toContain('about:invalid#blocked')
  })

  it('keeps safe URLs, escaping their ampersands', () => {
    expect(renderToString(html`<a href="${'/a?b=1&c=2'}">x</a>`)).toBe('<a href="/a?b=1&amp;c=2">x</a>')
    expect(renderToString(html`<a href="/users/${'javascript:x'}">x</a>`)).toBe('<a href="/users/javascript:x">x</a>')
    expect(renderToString(html`<img src="${'data:image/png;base64,AAAA'}">`)).toBe('<img src="data:image/png;base64,AAAA">')
  })
})

describe('refused contexts', () => {
  it('refuses a value in a <script> or <style> body unless raw', () => {
    expect(codeOf(() => renderToString(html`<script>var a = ${'1'}</script>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<style>p { color: ${'red'} }</style>`))).toBe('template.unsafe-context')
    expect(renderToString(html`<script>${raw('var a = 1')}</script>`)).toBe('<script>var a = 1</script>')
  })

  it('refuses a value in an event handler attribute unless raw', () => {
    expect(codeOf(() => renderToString(html`<p onclick="${'alert(1)'}">x</p>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<p ONMOUSEOVER=${'alert(1)'}>x</p>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<iframe srcdoc="${'<script>alert(1)</script>'}"></iframe>`))).toBe(
      'template.unsafe-context',
    )
  })

  it('refuses a value inside a comment', () => {
    expect(codeOf(() => renderToString(html`<!-- ${'--><script>alert(1)</script>'} -->`))).toBe(
      'template.unsafe-context',
    )
  })

  it('refuses a value as a tag or attribute name when the template is defined', () => {
    expect(codeOf(() => html`<${'script'}>x</p>`)).toBe('template.unsafe-context')
    expect(codeOf(() => html`<p ${'on'}click="x">x</p>`)).toBe('template.unsafe-context')
    expect(codeOf(() => html`<p data-${'x'}="1">x</p>`)).toBe('template.unsafe-context')
  })

  it('refuses an unquoted attribute value joined to static text', () => {
    expect(codeOf(() => html`<p class=a${'b'}>x</p>`)).toBe('template.unsafe-context')
  })

  it('refuses a template that ends inside a tag or attribute', () => {
    expect(codeOf(() => html`<p class="${'a'}`)).toBe('template.unclosed')
  })

  it('refuses a nested template inside an attribute', () => {
    expect(codeOf(() => renderToString(html`<p title="${html`<b>x</b>`}">x</p>`))).toBe('template.node-in-attribute')
  })

  it('refuses a function or plain object in text', () => {
    expect(codeOf(() => renderToString(html`<p>${() => 1}</p>`))).toBe('template.bad-value')
    expect(codeOf(() => renderToString(html`<p>${{ a: 1 }}</p>`))).toBe('template.bad-value')
  })

  it('refuses html called as a function', () => {
    expect(codeOf(() => (html as unknown as (s: string) => unknown)('<p>x</p>'))).toBe('template.not-a-literal')
  })
})

describe('raw text and RCDATA ends', () => {
  const payload = 'alert(1)'

  it.each(['script', 'style', 'textarea', 'title', 'SCRIPT', 'iframe'])(
    'refuses <%s/>, which HTML does not close, so a value after it cannot run as its body',
    (tag) => {
      const strings = Object.assign([`<${tag}/>`, ''], { raw: [`<${tag}/>`, ''] })
      expect(codeOf(() => html(strings, payload))).toBe('template.unsafe-context')
    },
  )

  it('keeps a value after </scriptx> in the script body: only </script + space, / or > ends it', () => {
    expect(codeOf(() => renderToString(html`<script></scriptx>${payload}</script>`))).toBe('template.unsafe-context')
    expect(codeOf(() => renderToString(html`<style></style-x>${payload}</style>`))).toBe('template.unsafe-context')
  })

  it('ends a raw text body at </script followed by whitespace, / or >, in any case', () => {
    expect(renderToString(html`<script></script\t>${'<b>'}`)).toBe('<script></script\t>&lt;b&gt;')
    expect(renderToString(html`<script></SCRIPT/>${'<b>'}`)).toBe('<script></SCRIPT/>&lt;b&gt;')
    expect(renderToString(html`<style></style >${'<b>'}`)).toBe('<style></style >&lt;b&gt;')
  })

  it('refuses a raw text end the template leaves to a value', () => {
    expect(codeOf(() => renderToString(html`<script></script${'>'}<p>${payload}</p></script>`))).toBe(
      'template.unsafe-context',
    )
  })

  it('treats iframe, xmp, noembed and noframes bodies as raw text that ends only at their end tag', () => {
    const out = renderToString(html`<noframes><p title="</noframes><a href=${'javascript:alert(1)'}>x</a>"></p></noframes>`)
    expect(out).toContain('about:invalid#blocked')
    expect(out).not.toContain('javascript:')
    for (const tag of ['iframe', 'xmp', 'noembed', 'noframes']) {
      const strings = Object.assign([`<${tag}>`, `</${tag}>`], { raw: [`<${tag}>`, `</${tag}>`] })
      expect(codeOf(() => renderToString(html(strings, payload)))).toBe('template.unsafe-context')
    }
  })

  it('refuses markup inside textarea and title, where HTML would end the element early', () => {
    expect(
      codeOf(() => html`<textarea><a title="</textarea><script>${payload}</script>"></a></textarea>`),
    ).toBe('template.unsafe-context')
    expect(codeOf(() => html`<title></titlex><p>${payload}</p></title>`)).toBe('template.unsafe-context')
    expect(codeOf(() => html`<title>a <${'b'}</title>`)).toBe('template.unsafe-context')
  })

  it('escapes values in textarea and title, also inside SVG, and ends them at their end tag', () => {
    expect(renderToString(html`<textarea name="t">${'</textarea>'}</TEXTAREA >`)).toBe(
      '<textarea name="t">&lt;/textarea&gt;</TEXTAREA >',
    )
    expect(renderToString(html`<svg><title>${'a < b'} &amp; c</title></svg>`)).toBe(
      '<svg><title>a &lt; b &amp; c</title></svg>',
    )
  })
})

describe('attribute spread', () => {
  it('renders booleans, strings and drops false', () => {
    expect(renderToString(html`<input ${{ checked: true, disabled: false, value: '"x' }}>`)).toBe(
      '<input  checked value="&quot;x">',
    )
  })

  it('refuses event handler and malformed attribute names', () => {
    expect(codeOf(() => renderToString(html`<p ${{ onclick: 'alert(1)' }}>x</p>`))).toBe('template.bad-attribute')
    expect(codeOf(() => renderToString(html`<p ${{ 'a"><script>': '1' }}>x</p>`))).toBe('template.bad-attribute')
  })

  it('sanitises URL attributes given through a spread', () => {
    expect(renderToString(html`<a ${{ href: 'javascript:alert(1)' }}>x</a>`)).toBe('<a  href="about:invalid#blocked">x</a>')
  })

  // Every attribute a quoted value is checked in, a spread value is checked in too.
  it.each([
    'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'cite', 'background', 'data',
    'srcset', 'ping', 'manifest', 'codebase', 'longdesc', 'usemap', 'lowsrc', 'dynsrc', 'icon',
    'archive', 'classid', 'profile', 'DATA',
  ])('blocks a javascript: URL spread into %s, as in a quoted value', (name) => {
    const url = 'javascript:alert(1)'
    const strings = Object.assign([`<object ${name}="`, '"></object>'], { raw: [`<object ${name}="`, '"></object>'] })
    expect(renderToString(html(strings, url))).toContain('about:invalid#blocked')
    expect(renderToString(html`<object ${{ [name]: url }}></object>`)).toBe(
      `<object  ${name}="about:invalid#blocked"></object>`,
    )
  })

  it('checks SVG animation values and refuses srcdoc in a spread, in any case', () => {
    expect(renderToString(html`<svg><set ${{ To: 'javascript:alert(1)' }}/></svg>`)).toContain('about:invalid#blocked')
    expect(codeOf(() => renderToString(html`<iframe ${{ SrcDoc: '<script>alert(1)</script>' }}></iframe>`))).toBe(
      'template.bad-attribute',
    )
  })

  it('refuses a string where attributes are expected', () => {
    expect(codeOf(() => renderToString(html`<p ${'onclick=alert(1)'}>x</p>`))).toBe('template.unsafe-context')
  })
})

describe('rendering values', () => {
  it('renders nothing for null, undefined and booleans', () => {
    expect(renderToString(html`<p>${null}${undefined}${false}${true}</p>`)).toBe('<p></p>')
  })

  it('renders nested templates and arrays of them', () => {
    const li = (n: number) => html`<li>${n}</li>`
    expect(renderToString(html`<ul>${[1, 2].map(li)}</ul>`)).toBe('<ul><li>1</li><li>2</li></ul>')
  })

  it('passes raw markup through unchanged', () => {
    expect(renderToString(html`<div>${raw('<b>bold</b>')}</div>`)).toBe('<div><b>bold</b></div>')
  })
})
