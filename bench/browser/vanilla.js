// The baseline of the browser benchmark (bench/browser/run.ts): the keyed table written by hand,
// with the DOM API and nothing else. Same markup as the Switchboard view (view.ts); one row
// element per data row, kept in `rows` beside its data, so every operation touches only the
// elements it must.
//
// With `data-echo` on its script tag (a WebSocket URL) it is the round-trip floor instead: each
// click sends one message and does its work when the server's echo arrives, as a page that asks
// a server must wait, with nothing else of a framework around it.
;(() => {
  const echoUrl = document.currentScript && document.currentScript.dataset.echo
  const echo = echoUrl ? new WebSocket(echoUrl) : null
  const waiting = []
  if (echo) {
    echo.onopen = () => document.body.setAttribute('data-echo-open', '')
    echo.onmessage = () => waiting.shift()()
  }
  // Runs `work` now, or on the echo of one round trip.
  const act = (work) => {
    if (!echo) return work()
    waiting.push(work)
    echo.send('1')
  }

  const ADJECTIVES = ['pretty', 'large', 'big', 'small', 'tall', 'short', 'long', 'handsome', 'plain', 'quaint', 'clean', 'elegant', 'easy', 'angry', 'crazy', 'helpful', 'mushy', 'odd', 'unsightly', 'adorable', 'important', 'inexpensive', 'cheap', 'expensive', 'fancy']
  const COLOURS = ['red', 'yellow', 'blue', 'green', 'pink', 'brown', 'purple', 'brown', 'white', 'black', 'orange']
  const NOUNS = ['table', 'chair', 'house', 'bbq', 'desk', 'car', 'pony', 'cookie', 'sandwich', 'burger', 'pizza', 'mouse', 'keyboard']
  const pick = (words) => words[Math.floor(Math.random() * words.length)]

  const tbody = document.getElementById('tbody')
  const proto = document.createElement('template')
  proto.innerHTML =
    '<tr><td class="col-md-1"></td><td class="col-md-4"><a class="lbl"></a></td><td class="col-md-1"><a class="remove"><span class="remove glyphicon glyphicon-remove" aria-hidden="true"></span></a></td><td class="col-md-6"></td></tr>'
  const protoRow = proto.content.firstChild

  /** @type {{ id: number, label: string, el: HTMLTableRowElement, labelText: Text }[]} */
  let rows = []
  let nextId = 1
  let selected = null

  const makeRow = () => {
    const id = nextId++
    const label = `${pick(ADJECTIVES)} ${pick(COLOURS)} ${pick(NOUNS)}`
    const el = protoRow.cloneNode(true)
    const idCell = el.firstChild
    idCell.textContent = String(id)
    const link = idCell.nextSibling.firstChild
    link.textContent = label
    return { id, label, el, labelText: link.firstChild }
  }

  const append = (count) => {
    const fragment = document.createDocumentFragment()
    for (let i = 0; i < count; i++) {
      const row = makeRow()
      rows.push(row)
      fragment.appendChild(row.el)
    }
    tbody.appendChild(fragment)
  }

  const clear = () => {
    rows = []
    selected = null
    tbody.textContent = ''
  }

  const actions = {
    run: () => (clear(), append(1000)),
    runlots: () => (clear(), append(10000)),
    add: () => append(1000),
    clear,
    update: () => {
      for (let i = 0; i < rows.length; i += 10) {
        const row = rows[i]
        row.label += ' !!!'
        row.labelText.nodeValue = row.label
      }
    },
    swaprows: () => {
      if (rows.length <= 998) return
      const a = rows[1]
      const b = rows[998]
      const afterB = b.el.nextSibling
      tbody.insertBefore(b.el, a.el)
      tbody.insertBefore(a.el, afterB)
      rows[1] = b
      rows[998] = a
    },
  }

  for (const id of Object.keys(actions)) {
    document.getElementById(id).addEventListener('click', (e) => {
      e.preventDefault()
      act(actions[id])
    })
  }

  tbody.addEventListener('click', (e) => {
    const link = e.target.closest('a')
    if (!link) return
    e.preventDefault()
    act(() => {
      const el = link.closest('tr')
      const index = rows.findIndex((row) => row.el === el)
      if (index < 0) return
      if (link.classList.contains('remove')) {
        if (selected === rows[index]) selected = null
        rows.splice(index, 1)
        el.remove()
      } else {
        if (selected) selected.el.className = ''
        selected = rows[index]
        el.className = 'danger'
      }
    })
  })
})()
