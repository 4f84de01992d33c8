/** The pages of the browser benchmark, with the same markup and the same stylesheet. */
import { BUTTONS } from './data.ts'

/** A small stylesheet in place of the benchmark's Bootstrap: enough to make layout do work. */
export const STYLE = `<style>
body{font:14px/1.4 sans-serif;margin:0}
.container{max-width:1170px;margin:0 auto;padding:0 15px}
.jumbotron{padding:16px;background:#eee}
.row{display:flex;flex-wrap:wrap}
.col-md-6{width:50%}.col-sm-6{width:50%}.smallpad{padding:2px;box-sizing:border-box}
.btn-block{width:100%}
.table{width:100%;border-collapse:collapse}
.table td{border-top:1px solid #ddd;padding:6px}
.table-striped tr:nth-child(odd){background:#f9f9f9}
tr.danger{background:#f2dede}
.col-md-1{width:8%}.col-md-4{width:33%}
.glyphicon-remove::before{content:"x"}
a{color:#337ab7;cursor:pointer}
</style>`

const button = (id: string, text: string): string =>
  `<div class="col-sm-6 smallpad"><button type="button" class="btn btn-primary btn-block" id="${id}">${text}</button></div>`

/**
 * The vanilla page: the markup of view.ts, and its rows built by vanilla.js; with `echo` (a
 * WebSocket URL that echoes each message) every click waits for one round trip first.
 */
export const vanillaPage = (echo?: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>vanilla keyed</title>${STYLE}</head>
<body><div class="container"><div class="jumbotron"><div class="row"><div class="col-md-6"><h1>Vanilla keyed</h1></div><div class="col-md-6"><div class="row">${BUTTONS.map(([id, text]) => button(id, text)).join('')}</div></div></div></div><table class="table table-hover table-striped test-data"><tbody id="tbody"></tbody></table><span class="preloadicon glyphicon glyphicon-remove" aria-hidden="true"></span></div>
<script src="/vanilla.js"${echo ? ` data-echo="${echo}"` : ''}></script></body></html>`
