// The page's hooks: registered in window.Switchboard.hooks before or after the client starts.
;(() => {
  const hooks = { Marker: { mounted() { this.el.dataset.hook = 'v1' } } }
  const sb = (window.Switchboard ??= {})
  sb.hooks = Object.assign(sb.hooks ?? {}, hooks)
  window.hookVersion = 'v1'
})()
