/** The system dashboard's stylesheet, inlined in its page head so it needs no extra route. */
export const DASHBOARD_STYLE = `<style>
:root { color-scheme: light; --bg:#f4f5f7; --card:#fff; --ink:#1d2330; --dim:#5f6779; --line:#e3e6ec;
  --s1:#2f6fde; --s2:#17a37a; --s3:#e0772b; --bad:#d23c3c; --warn:#c98a12; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.sys { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
.sys-head { display: flex; align-items: baseline; justify-content: space-between; flex-wrap: wrap; gap: 8px; }
.sys-head h1 { margin: 0; font-size: 22px; font-weight: 650; letter-spacing: -0.01em; }
.sys-head h1 span:not(.logo) { color: var(--dim); font-weight: 400; }
.sys-head .logo { color: var(--s1); }
.sys-head .meta { margin: 0; color: var(--dim); font-size: 13px; }
.sys-head .meta b { color: var(--ink); font-weight: 600; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 18px 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.tile span { display: block; color: var(--dim); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile b { display: block; white-space: nowrap; font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; margin-bottom: 18px; }
.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px 10px; }
.chart figcaption { display: flex; justify-content: space-between; font-size: 13px; margin-bottom: 6px; }
.chart-title { font-weight: 600; }
.chart-max { color: var(--dim); font-variant-numeric: tabular-nums; }
.chart svg { display: block; width: 100%; height: 90px; background: linear-gradient(#fafbfc, #fff); border-radius: 6px; }
.chart .grid { stroke: var(--line); stroke-dasharray: 3 3; }
.chart .line { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.line.s1 { stroke: var(--s1); } .line.s2 { stroke: var(--s2); } .line.s3 { stroke: var(--s3); }
.legend { list-style: none; display: flex; gap: 14px; margin: 8px 0 0; padding: 0; font-size: 12px; color: var(--dim); }
.legend b { color: var(--ink); font-variant-numeric: tabular-nums; font-weight: 600; }
.legend i { display: inline-block; width: 10px; height: 3px; border-radius: 2px; margin-right: 5px; vertical-align: middle; }
.legend i.s1 { background: var(--s1); } .legend i.s2 { background: var(--s2); } .legend i.s3 { background: var(--s3); }
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; min-width: 0; }
.panel.wide { grid-column: 1 / -1; }
.panel h2 { font-size: 15px; margin: 0 0 10px; display: flex; justify-content: space-between; gap: 10px; }
.panel h2 small { color: var(--dim); font-weight: 400; font-size: 12px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; color: var(--dim); font-weight: 500; font-size: 12px; border-bottom: 1px solid var(--line); padding: 4px 6px; }
td { border-bottom: 1px solid #f0f1f4; padding: 5px 6px; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
.mono, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #eef1f6; color: var(--dim); }
/* Tag text darker than the chart colours of the same name: 4.5:1 on the tag's tint (WCAG AA). */
.tag.ok { background: #dcf3ea; color: #0e7455; } .tag.warn { background: #fbf1dc; color: #8a5a00; } .tag.bad { background: #fbe4e4; color: #b42b2b; }
.empty { color: var(--dim); margin: 4px 0; font-style: italic; }
.tree, .tree ul { list-style: none; margin: 0; padding-left: 16px; }
.tree { padding-left: 0; }
.tree li { margin: 3px 0; }
.tree .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px; background: var(--s2); }
.tree li.down > .dot { background: var(--bad); }
.incidents { list-style: none; margin: 0; padding: 0; }
.incidents li { border-bottom: 1px solid #f0f1f4; padding: 5px 0; }
.incidents summary { cursor: pointer; }
.incidents time { color: var(--dim); font-variant-numeric: tabular-nums; }
.incidents pre { background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; max-height: 220px; }
@media (max-width: 800px) { .panels { grid-template-columns: 1fr; } }
</style>`
