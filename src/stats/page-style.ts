// The stats page's stylesheet. The state colours are HAProxy's (stats-html.c), so operators read
// sluice's page at a glance the way they read HAProxy's: green up, red down, yellow/orange on the
// way, blue draining, brown maintenance, grey not checked.
export const PAGE_STYLE = `body { font-family: arial, helvetica, sans-serif; font-size: 12px; color: black; background: white; }
th, td { font-size: 10px; }
h1 { font-size: x-large; margin-bottom: 0.5em; color: #3030a0; }
h2 { font-size: large; margin-bottom: 0.5em; color: blue; }
h3 { font-size: 16px; margin-bottom: 0.5em; color: blue; background: #e0e0e0; }
a { color: blue; }
.hr { margin-top: 0.25em; border-color: black; border-bottom-style: solid; }
.titre { background: #20d0d0; color: black; font-weight: bold; text-align: center; }
.frontend { background: #e8e8d0; }
.backend { background: #e8e8d0; }
.active_down { background: #ff9090; }
.active_going_up { background: #ffd020; }
.active_going_down { background: #ffffa0; }
.active_up { background: #c0ffc0; }
.active_nolb { background: #20a0ff; }
.active_draining { background: #20a0ff; }
.active_no_check { background: #e0e0e0; }
.backup_down { background: #ff9090; }
.backup_going_up { background: #ff80ff; }
.backup_going_down { background: #c060ff; }
.backup_up { background: #b0d0ff; }
.backup_nolb { background: #90b0e0; }
.backup_draining { background: #cc9900; }
.backup_no_check { background: #e0e0e0; }
.maintain { background: #c07820; }
a.px:link, a.px:visited { color: #ffff40; text-decoration: none; }
a.px:hover { color: white; text-decoration: none; }
a.lfsb:link, a.lfsb:visited { color: black; text-decoration: none; }
a.lfsb:hover { color: #505050; text-decoration: none; }
table.tbl { border-collapse: collapse; border-style: none; }
table.tbl td { text-align: right; border: 1px solid gray; padding: 2px 3px; white-space: nowrap; }
table.tbl td.ac { text-align: center; }
table.tbl th { border: 1px solid gray; }
table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap; }
table.tbl th.empty { border-style: none; background: white; }
table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black; }
table.lgd td { border: 1px solid gray; padding: 2px; }
table.lgd td.noborder { border-style: none; padding: 2px; white-space: nowrap; }
div.adm { margin: 2px 0 8px 0; }
`;
