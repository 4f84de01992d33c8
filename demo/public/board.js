/*
 * The team board's browser code, a plain script: the Board hook (arrow keys and drag and drop
 * move cards, Enter opens one, focus follows the moved card) and the CardDialog hook (focus
 * into the dialog when it opens, back to its card when it closes).
 *
 * Load order: like hooks.js, this may run before or after the client; the client takes over the
 * hooks in `window.Switchboard.hooks` when it starts.
 */
;(() => {
  const cardsIn = (list) => [...list.children].filter((el) => el.classList.contains('bcard'))

  // Clears a form's text field once the client has read it (its submit listener runs later).
  const clearAfterSubmit = (form) => {
    const field = form.querySelector('input[name="title"], input[name="text"]')
    if (field) setTimeout(() => (field.value = ''), 0)
  }

  const focusCard = (id) => {
    const card = id && document.getElementById(`card-${id}`)
    if (card && document.activeElement !== card) card.focus({ preventScroll: false })
  }

  // Where a card dropped at `y` goes: its index among the other cards of the list.
  const dropIndex = (list, y, dragged) => {
    const others = cardsIn(list).filter((el) => el.dataset.card !== dragged)
    const at = others.findIndex((el) => {
      const box = el.getBoundingClientRect()
      return y < box.top + box.height / 2
    })
    return at === -1 ? others.length : at
  }

  // The shared description editor (dist/demo/card-text.js, with Yjs) loads once, when first needed.
  let editor = null
  const loadEditor = () => {
    editor ??= new Promise((resolve, reject) => {
      const script = document.createElement('script')
      script.src = '/demo/card-text.js'
      script.async = true
      script.onload = () => resolve(window.BoardText)
      script.onerror = () => reject(new Error('could not load /demo/card-text.js'))
      document.head.append(script)
    })
    return editor
  }

  const hooks = {
    Board: {
      mounted() {
        this.move = (card, column, index) => {
          this.focused = card
          this.pushEvent('move', { card, column, index })
            .then(() => requestAnimationFrame(() => focusCard(this.focused)))
            .catch(() => {})
        }
        this.onKey = (e) => {
          const card = e.target
          if (!card.classList?.contains('bcard') || e.altKey || e.ctrlKey || e.metaKey) return
          if (e.key === 'Enter') {
            e.preventDefault()
            card.querySelector('.bcard-title')?.click()
            return
          }
          const list = card.parentElement
          const lists = [...this.el.querySelectorAll('.bcards')]
          const i = cardsIn(list).indexOf(card)
          const count = cardsIn(list).length
          let to = list
          let index = i
          if (e.key === 'ArrowUp') index = i - 1
          else if (e.key === 'ArrowDown') index = i + 1
          else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
            to = lists[lists.indexOf(list) + (e.key === 'ArrowLeft' ? -1 : 1)]
            if (!to) return
            index = Math.min(i, cardsIn(to).length)
          } else return
          e.preventDefault()
          if (index < 0 || (to === list && index >= count)) return
          this.move(card.dataset.card, to.dataset.column, index)
        }
        this.onFocus = (e) => {
          if (e.target.classList?.contains('bcard')) this.focused = e.target.dataset.card
        }
        this.onSubmit = (e) => {
          if (e.target.classList.contains('add-card')) clearAfterSubmit(e.target)
        }
        this.onDragStart = (e) => {
          const card = e.target.closest?.('.bcard')
          if (!card) return
          this.dragged = card.dataset.card
          e.dataTransfer.effectAllowed = 'move'
          e.dataTransfer.setData('text/plain', this.dragged)
          card.classList.add('is-dragging')
        }
        this.onDragEnd = (e) => {
          e.target.closest?.('.bcard')?.classList.remove('is-dragging')
          this.dragged = null
        }
        this.onDragOver = (e) => {
          if (this.dragged && e.target.closest?.('.bcol')) e.preventDefault()
        }
        this.onDrop = (e) => {
          const column = e.target.closest?.('.bcol')
          const list = column?.querySelector('.bcards')
          if (!this.dragged || !list) return
          e.preventDefault()
          this.move(this.dragged, list.dataset.column, dropIndex(list, e.clientY, this.dragged))
        }
        for (const [type, fn] of this.listeners()) this.el.addEventListener(type, fn)
        // A scripting handle on the element (tests and the load benchmark drive the board with
        // it): pushes an event of this view and resolves with the server's reply.
        this.el.boardPush = (event, payload) => this.pushEvent(event, payload)
      },
      updated() {
        // A patch that moved the focused card took focus with it; give it back.
        if (this.focused && document.activeElement === document.body) focusCard(this.focused)
      },
      destroyed() {
        for (const [type, fn] of this.listeners()) this.el.removeEventListener(type, fn)
      },
      listeners() {
        return [
          ['keydown', this.onKey],
          ['focusin', this.onFocus],
          ['submit', this.onSubmit],
          ['dragstart', this.onDragStart],
          ['dragend', this.onDragEnd],
          ['dragover', this.onDragOver],
          ['drop', this.onDrop],
        ]
      },
    },

    /** Binds the description textarea to the card's shared document. */
    CardText: {
      mounted() {
        this.topic = this.el.dataset.topic
        this.unbind = loadEditor()
          .then((BoardText) => BoardText.bind(this.el, this.topic))
          .catch((error) => {
            console.error(error)
            return () => {}
          })
      },
      // The dialog moved to another card (the same textarea, patched): bind to that one's text.
      updated() {
        if (this.el.dataset.topic === this.topic) return
        this.destroyed()
        this.mounted()
      },
      destroyed() {
        this.unbind.then((unbind) => unbind())
      },
    },

    CardDialog: {
      mounted() {
        this.card = this.el.dataset.card
        this.el.querySelector('#f-title')?.focus()
        this.onSubmit = (e) => {
          if (e.target.classList.contains('comment-form')) clearAfterSubmit(e.target)
        }
        this.el.addEventListener('submit', this.onSubmit)
      },
      updated() {
        this.card = this.el.dataset.card
      },
      destroyed() {
        const card = this.card
        requestAnimationFrame(() => focusCard(card))
      },
    },
  }

  const sb = (window.Switchboard = window.Switchboard || {})
  sb.hooks = Object.assign(sb.hooks || {}, hooks)
})()
