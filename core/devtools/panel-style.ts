/** The inspector's look; the panel adopts it as a constructed stylesheet (no `<style>`, no `style=""`). */
export const PANEL_STYLE = `
.cention-inspector{position:fixed;bottom:12px;left:12px;z-index:2147483647;width:min(720px,55vw);max-height:calc(100vh - 24px);
  display:flex;flex-direction:column;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#0f172a;color:#e2e8f0;
  border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.35);overflow:hidden}
.cention-inspector.right{left:auto;right:12px}
.cention-inspector.dragging{outline:3px dashed #facc15}
.cention-inspector header{display:flex;gap:8px;align-items:center;padding:6px 10px;background:#1e293b;flex-wrap:wrap}
.cention-inspector header strong{flex:1}
.cention-inspector .mode{color:#facc15}
.cention-inspector button,.cention-inspector .file{font:inherit;background:#334155;color:inherit;border:0;border-radius:4px;padding:2px 8px;cursor:pointer}
.cention-inspector .file input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}
.cention-inspector .file:focus-within{outline:2px solid #38bdf8}
.cention-inspector .chart{overflow:auto;background:#fff;height:min(420px,45vh);flex:none}
.cention-inspector .chart svg{display:block;width:100%;height:auto}
.cention-inspector .chart.zoomed svg{width:auto;max-width:none}
.cention-inspector .chart [data-state].active>rect{stroke:#d97706;stroke-width:3}
.cention-inspector .chart [data-state].leaf.active>rect{fill:#fde68a;stroke-width:4}
.cention-inspector .chart [data-state].leaf.active>text{fill:#92400e;font-weight:bold}
.cention-inspector .chart path[data-edge].taken{stroke:#dc2626;stroke-width:4}
.cention-inspector .chart g.label.taken>rect{fill:#fee2e2;stroke:#dc2626}
.cention-inspector .timeline{display:flex;gap:6px;align-items:center;padding:6px 10px;border-top:1px solid #1e293b}
.cention-inspector .timeline input{flex:1}
.cention-inspector .timeline output{white-space:nowrap;color:#94a3b8}
.cention-inspector .body{display:flex;gap:10px;min-height:0;flex:1;padding:0 10px 8px}
.cention-inspector .events{list-style:none;margin:0;padding:0;overflow:auto;flex:1;max-height:220px}
.cention-inspector .events li{display:flex;gap:8px;cursor:pointer;padding:0 4px;border-radius:3px}
.cention-inspector .events li.current{background:#334155}
.cention-inspector .events time{color:#64748b}
.cention-inspector .detail{flex:1;overflow:auto;max-height:220px}
.cention-inspector h3{margin:4px 0;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#94a3b8}
.cention-inspector .states{color:#facc15;margin:0}
.cention-inspector dl{display:grid;grid-template-columns:auto 1fr;gap:0 10px;margin:0}.cention-inspector dt{color:#94a3b8}
.cention-inspector dd{margin:0;overflow-wrap:anywhere}
.cention-inspector pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;color:#cbd5e1}
.cention-inspector .problem{color:#f87171;padding:0 10px}
.cention-inspector .user{color:#38bdf8}.cention-inspector .server{color:#4ade80}.cention-inspector .link{color:#f472b6}
.cention-inspector .reply{color:#a78bfa}.cention-inspector .timer{color:#fb923c}.cention-inspector .check,.cention-inspector .upload{color:#2dd4bf}
.cention-inspector .start,.cention-inspector .other{color:#cbd5e1}
.cention-inspector .handle{display:none}
.cention-inspector.folded{width:auto;border-radius:22px}
.cention-inspector.folded>*{display:none}
.cention-inspector.folded>.handle{display:block;padding:10px 14px;border-radius:22px;background:#0f172a}
@media (max-width:600px){
  .cention-inspector:not(.folded){left:0;right:0;bottom:0;width:100vw;max-height:85vh;border-radius:8px 8px 0 0}
  .cention-inspector .chart{height:40vh}
  .cention-inspector .body{flex-direction:column}
}`;
