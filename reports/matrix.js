/* matrix.js - the HTML matrix's behaviour (reports/html.c embeds it). Reads the results
 * embedded in <script id="wm-data" type="application/json">, builds the suites x
 * runtimes table, and adds expand/collapse, filters, the details panel and the theme
 * switch. No network, no libraries: it works from file://. */
(function () {
  'use strict';
  var OUTCOMES = ['pass', 'fail', 'unsupported', 'crash', 'timeout', 'skip', 'xfail', 'xpass', 'error'];
  var SYM = { pass: '\u2713', fail: '\u2717', unsupported: '\u2298', crash: '\u203c', timeout: '\u25f7',
    skip: '\u2013', xfail: '\u2717?', xpass: '\u2713!', error: '\u26a0' };
  var WASI = { 'wasm32-wasip1': 'p1 (core module)', 'wasm32-wasip2': 'p2 (component)', 'wasm32-wasip3': 'p3 (component)' };
  var UNEXPECTED = { fail: 1, unsupported: 1, crash: 1, timeout: 1, xpass: 1, error: 1 };
  var D = JSON.parse(document.getElementById('wm-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  var rts = D.runtimes, tests = D.tests, suites = D.suites;
  var cols = [];                       /* runtime indexes shown as columns: the available ones */
  rts.forEach(function (r, i) { if (r.available) cols.push(i); });
  var rtIndex = {}, testIndex = {}, suiteIndex = {};
  rts.forEach(function (r, i) { rtIndex[r.name] = i; });
  tests.forEach(function (t, i) { testIndex[t.id] = i; });
  suites.forEach(function (s, i) { suiteIndex[s.name] = i; });
  var cells = tests.map(function () { return new Array(rts.length); });
  D.results.forEach(function (x) {
    var t = testIndex[x.test], r = rtIndex[x.runtime];
    if (t !== undefined && r !== undefined) cells[t][r] = x;
  });
  var agree = (D.agreement && D.agreement.tests) || {};
  var bySuite = suites.map(function () { return []; });
  tests.forEach(function (t, i) { var s = suiteIndex[t.suite]; if (s !== undefined) bySuite[s].push(i); });

  // runtime@version, and runtime@version/arch for a column of another architecture
  // ("wasmtime/aarch64", docs/architectures.md)
  function label(r) {
    var n = rts[r].name, i = n.indexOf('/');
    return (i < 0 ? n : n.slice(0, i)) + (rts[r].version ? '@' + rts[r].version : '') + (i < 0 ? '' : n.slice(i));
  }
  function testPass(t) {          /* all runtimes that ran it pass: true, false, or null (none ran) */
    var ran = 0, ok = true;
    cols.forEach(function (r) {
      var x = cells[t][r];
      if (!x || x.outcome === 'skip') return;
      ran++;
      if (x.outcome !== 'pass' && x.outcome !== 'xfail') ok = false;
    });
    return ran ? ok : null;
  }
  function groups(t) { var a = agree[tests[t].id]; return a ? a.groups.length : 0; }
  function ranOn(t) { var a = agree[tests[t].id]; return a ? a.ran : 0; }
  function agg(list, r, unsup) {
    var pass = 0, total = 0, nunsup = 0;
    list.forEach(function (t) {
      var x = cells[t][r];
      if (!x || x.outcome === 'skip') return;
      total++;
      if (x.outcome === 'pass') pass++;
      if (x.outcome === 'unsupported') nunsup++;
    });
    if (!total) return '<td class="agg none" data-r="' + r + '">\u2013</td>';
    if (unsup && nunsup === total)          /* a WASI version row: the runtime runs none of them */
      return '<td class="agg o-unsupported" data-r="' + r + '" title="' + total + ' unsupported: this runtime does not run ' +
        'modules of this WASI version">' + SYM.unsupported + ' unsupported</td>';
    var p = pass / total;
    return '<td class="agg" data-r="' + r + '" style="--p:' + p.toFixed(3) + '" title="' + pass + ' of ' + total +
      ' passed (skips not counted)">' + pass + '/' + total + '</td>';
  }
  function aggRow(cls, attrs, head, list) {
    var h = '<tr class="' + cls + '"' + attrs + '><th>' + head + '</th>';
    cols.forEach(function (r) { h += agg(list, r, cls === 'wasi'); });
    var cmp = 0, same = 0, allp = 0, anyp = 0;
    list.forEach(function (t) {
      if (ranOn(t) >= 2) { cmp++; if (groups(t) === 1) same++; }
      var p = testPass(t); if (p !== null) { anyp++; if (p) allp++; }
    });
    h += '<td class="ag" title="tests behaving the same on every runtime that ran them">' +
      (cmp ? same + '/' + cmp + ' same' : '\u2013') + '</td>';
    h += '<td class="ap" title="tests every runtime passes">' + (anyp ? allp + '/' + anyp : '\u2013') + '</td></tr>';
    return h;
  }

  function build() {
    var h = '<thead><tr><th>Suite / test</th>';
    cols.forEach(function (r) {
      h += '<th class="rt" data-r="' + r + '"' + (rts[r].emulator ? ' title="' + esc(rts[r].arch + ', emulated: ' + rts[r].emulator.join(' ')) + '"' : '') +
        '>' + esc(rts[r].name) + '<small>' + esc(rts[r].version || '') + '</small></th>';
    });
    h += '<th title="number of behaviour groups: 1 = portable">Agreement</th><th>All pass</th></tr></thead><tbody>';
    h += aggRow('total', '', 'All suites (' + tests.length + ' tests)', tests.map(function (_, i) { return i; }));
    /* the WASI versions as a group of rows (core p1, component p2, p3), when there is more
     * than preview1: "runs preview1 but not 0.2" at a glance */
    var byWasi = {}, versions = [];
    tests.forEach(function (tt, i) {
      var w = tt.wasi || 'wasm32-wasip1';
      if (!byWasi[w]) { byWasi[w] = []; versions.push(w); }
      byWasi[w].push(i);
    });
    versions.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
    if (versions.some(function (w) { return w !== 'wasm32-wasip1'; })) {
      versions.forEach(function (w) {
        h += aggRow('wasi', ' data-w="' + esc(w) + '"', 'WASI ' + esc(WASI[w] || w) + '<span class="n">' + byWasi[w].length +
          ' tests</span>', byWasi[w]);
      });
    }
    suites.forEach(function (s, si) {
      h += aggRow('suite', ' data-s="' + si + '"', '<button type="button" aria-expanded="false" data-s="' + si +
        '">\u25b8 ' + esc(s.name) + '</button><span class="n">' + bySuite[si].length + ' tests</span>', bySuite[si]);
      bySuite[si].forEach(function (t) {
        var tt = tests[t];
        h += '<tr class="test" data-s="' + si + '" data-t="' + t + '" hidden><th title="' + esc(tt.id) + '">' + esc(tt.name) + '</th>';
        cols.forEach(function (r) {
          var x = cells[t][r];
          if (!x) { h += '<td class="c o-none" data-r="' + r + '">\u00b7</td>'; return; }
          h += '<td class="c o-' + x.outcome + '" tabindex="0" role="button" data-t="' + t + '" data-r="' + r +
            '" title="' + esc(x.outcome + (x.reason ? ': ' + x.reason : '')) + '">' + SYM[x.outcome] + ' ' + x.outcome + '</td>';
        });
        var g = groups(t), n = ranOn(t), p = testPass(t);
        h += '<td class="ag' + (g > 1 ? ' split' : '') + '">' + (n < 2 ? '\u2013' : g === 1 ? '\u2713 1 group' : '\u2260 ' + g + ' groups') + '</td>';
        h += '<td class="ap">' + (p === null ? '\u2013' : p ? '\u2713 yes' : '\u2717 no') + '</td></tr>';
      });
    });
    $('matrix').innerHTML = h + '</tbody>';
  }

  function controls() {
    var h = '<fieldset id="f-outcome"><legend>Outcome</legend>';
    OUTCOMES.forEach(function (o) {
      h += '<label><input type="checkbox" value="' + o + '" checked> <span class="b o-' + o + '">' + SYM[o] + ' ' + o + '</span></label>';
    });
    h += '</fieldset><fieldset id="f-runtime"><legend>Runtime</legend>';
    cols.forEach(function (r) {
      h += '<label><input type="checkbox" value="' + r + '" checked> ' + esc(label(r)) + '</label>';
    });
    h += '</fieldset><input type="search" id="f-text" placeholder="Filter tests, reasons\u2026" aria-label="filter by text">' +
      '<button type="button" id="b-expand">Expand all</button><button type="button" id="b-collapse">Collapse all</button>' +
      '<button type="button" id="b-unexpected">Only unexpected</button><button type="button" id="b-theme" title="light / dark / system">Theme</button>' +
      '<span id="count"></span>';
    $('controls').innerHTML = h;
  }

  var expanded = {};
  function filterState() {
    var outs = {}, all = true;
    document.querySelectorAll('#f-outcome input').forEach(function (i) { outs[i.value] = i.checked; if (!i.checked) all = false; });
    var shown = {};
    document.querySelectorAll('#f-runtime input').forEach(function (i) { shown[i.value] = i.checked; });
    var text = $('f-text').value.trim().toLowerCase();
    return { outs: outs, allOut: all, shown: shown, text: text, active: !all || text !== '' };
  }
  function matches(t, st) {
    var tt = tests[t];
    var hay = null;
    if (st.text) {
      hay = (tt.id + ' ' + (tt.description || '') + ' ' + (tt.tags || []).join(' ')).toLowerCase();
      var hit = hay.indexOf(st.text) >= 0;
      if (!hit) cols.forEach(function (r) {
        var x = cells[t][r];
        if (st.shown[r] && x && x.reason && x.reason.toLowerCase().indexOf(st.text) >= 0) hit = true;
      });
      if (!hit) return false;
    }
    if (st.allOut) return true;
    var any = false;
    cols.forEach(function (r) { var x = cells[t][r]; if (st.shown[r] && x && st.outs[x.outcome]) any = true; });
    return any;
  }
  function apply() {
    var st = filterState(), visible = 0;
    var suiteHas = {};
    document.querySelectorAll('#matrix tr.test').forEach(function (tr) {
      var t = +tr.getAttribute('data-t'), s = tr.getAttribute('data-s');
      var m = matches(t, st);
      if (m) { suiteHas[s] = true; visible++; }
      tr.hidden = !(m && (st.active || expanded[s]));
    });
    document.querySelectorAll('#matrix tr.suite').forEach(function (tr) {
      var s = tr.getAttribute('data-s');
      tr.hidden = st.active && !suiteHas[s];
      var b = tr.querySelector('button');
      var open = st.active ? !!suiteHas[s] : !!expanded[s];
      b.setAttribute('aria-expanded', open ? 'true' : 'false');
      b.firstChild.nodeValue = (open ? '\u25be ' : '\u25b8 ') + suites[+s].name;
    });
    document.querySelectorAll('#matrix [data-r], #featmatrix [data-r]').forEach(function (el) {
      if (el.tagName === 'BUTTON') return;
      el.classList.toggle('hide-col', !st.shown[el.getAttribute('data-r')]);
    });
    $('count').textContent = visible + ' of ' + tests.length + ' tests match';
  }

  function diffHtml(d) {
    return d.split('\n').map(function (l) {
      var c = l.indexOf('@@') === 0 ? 'hunk' : (l[0] === '+' && l.indexOf('+++') !== 0) ? 'add' :
        (l[0] === '-' && l.indexOf('---') !== 0) ? 'del' : '';
      return c ? '<span class="' + c + '">' + esc(l) + '</span>' : esc(l);
    }).join('\n');
  }
  function matcherText(m) {
    if (!m) return 'anything';
    return m.kind + (m.normalize_newlines ? ' (newlines normalised)' : '') + ': ' + JSON.stringify(m.text);
  }
  function showDetails(t, r, td) {
    var x = cells[t][r], tt = tests[t];
    if (!x) return;
    document.querySelectorAll('td.c.sel').forEach(function (e) { e.classList.remove('sel'); });
    if (td) td.classList.add('sel');
    var h = '<button type="button" class="close" aria-label="close details">\u2715</button>';
    h += '<h2>' + esc(tt.id) + ' on ' + esc(label(r)) + '</h2>';
    h += '<p><span class="badge o-' + x.outcome + '">' + SYM[x.outcome] + ' ' + x.outcome + '</span> ' + esc(x.reason || '') + '</p>';
    h += '<dl>';
    h += '<dt>duration</dt><dd>' + (x.duration != null ? x.duration.toFixed(3) + ' s' : '\u2013') + '</dd>';
    var end = x.trapped ? 'trap' : x.exit_code != null ? 'exit ' + x.exit_code : x.signal ? 'signal ' + x.signal : 'did not exit';
    h += '<dt>ended</dt><dd>' + esc(end) + (x.ran ? '' : ' (not run)') + '</dd>';
    if (tt.file) h += '<dt>defined in</dt><dd><code>' + esc(tt.file) + (tt.line ? ':' + tt.line : '') + '</code></dd>';
    if (tt.description) h += '<dt>test</dt><dd>' + esc(tt.description) + '</dd>';
    if (x.known) h += '<dt>known divergence</dt><dd>' + esc(x.known.reason || '') +
      (x.known.link ? ' <a href="' + esc(x.known.link) + '" rel="noreferrer">' + esc(x.known.link) + '</a>' : '') + '</dd>';
    (tt.links || []).forEach(function (l) { h += '<dt>link</dt><dd><a href="' + esc(l) + '" rel="noreferrer">' + esc(l) + '</a></dd>'; });
    var a = agree[tt.id];
    if (a && a.ran >= 2) {
      var mine = null, others = [];
      a.groups.forEach(function (g) { if (g.runtimes.indexOf(rts[r].name) >= 0) mine = g; else others.push(g); });
      h += '<dt>agreement</dt><dd>' + (a.groups.length === 1 ? 'same behaviour on all ' + a.ran + ' runtimes' :
        a.groups.length + ' behaviours; same as this one: ' + esc(mine ? mine.runtimes.join(', ') : '?') +
        '; different: ' + esc(others.map(function (g) { return g.runtimes.join(', ') + ' (' + g.ending + ', stderr ' + g.stderr + ')'; }).join('; '))) + '</dd>';
    }
    h += '</dl>';
    if (tt.expect) {
      var e = tt.expect;
      h += '<h3>Expected</h3><pre>' + esc('exit ' + (e.exit || []).join(' or ') + (e.trap ? ', trap' : '') + (e.refused ? ', refused' : '') +
        '\nstdout ' + matcherText(e.stdout) + '\nstderr ' + matcherText(e.stderr) +
        (e.files || []).map(function (f) { return '\nfile ' + f.path + (f.exists === false ? ' absent' : '') + (f.content ? ' ' + matcherText(f.content) : ''); }).join('')) + '</pre>';
    }
    if (x.command) h += '<h3>Command <button type="button" id="copy-cmd">copy</button></h3><pre id="cmd">' + esc(x.command) + '</pre>';
    if (x.diff) h += '<h3>Expected vs actual</h3><pre>' + diffHtml(x.diff) + '</pre>';
    h += '<h3>stdout (' + (x.stdout_bytes || 0) + ' bytes' + (x.stdout_truncated ? ', truncated' : '') + ')</h3><pre>' + esc(x.stdout || '') + '</pre>';
    h += '<h3>stderr (' + (x.stderr_bytes || 0) + ' bytes' + (x.stderr_truncated ? ', truncated' : '') + ')</h3><pre>' + esc(x.stderr || '') + '</pre>';
    var p = $('details');
    p.innerHTML = h;
    p.hidden = false;
    p.querySelector('.close').focus();
  }

  function setTheme(t) {
    if (t === 'light' || t === 'dark') document.documentElement.setAttribute('data-theme', t);
    else document.documentElement.removeAttribute('data-theme');
    try { localStorage.setItem('wasmatrix-theme', t); } catch (e) { /* file:// may forbid storage */ }
  }

  controls();
  build();
  try { setTheme(localStorage.getItem('wasmatrix-theme') || 'auto'); } catch (e) { /* no storage */ }
  apply();

  $('matrix').addEventListener('click', function (ev) {
    var b = ev.target.closest('tr.suite button');
    if (b) { var s = b.getAttribute('data-s'); expanded[s] = !expanded[s]; apply(); return; }
    var td = ev.target.closest('td.c[data-t]');
    if (td) showDetails(+td.getAttribute('data-t'), +td.getAttribute('data-r'), td);
  });
  $('matrix').addEventListener('keydown', function (ev) {
    var td = ev.target.closest && ev.target.closest('td.c[data-t]');
    if (td && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); showDetails(+td.getAttribute('data-t'), +td.getAttribute('data-r'), td); }
  });
  $('details').addEventListener('click', function (ev) {
    if (ev.target.closest('.close')) { $('details').hidden = true; return; }
    if (ev.target.id === 'copy-cmd' && navigator.clipboard) {
      navigator.clipboard.writeText($('cmd').textContent).then(function () { ev.target.textContent = 'copied'; }, function () { ev.target.textContent = 'select and copy'; });
    }
  });
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') $('details').hidden = true; });
  $('controls').addEventListener('change', apply);
  $('f-text').addEventListener('input', apply);
  $('b-expand').addEventListener('click', function () { suites.forEach(function (_, i) { expanded[i] = true; }); apply(); });
  $('b-collapse').addEventListener('click', function () { expanded = {}; apply(); });
  $('b-unexpected').addEventListener('click', function () {
    document.querySelectorAll('#f-outcome input').forEach(function (i) { i.checked = !!UNEXPECTED[i.value]; });
    apply();
  });
  /* the feature matrix section (features_html.c), when the run had feature probes */
  var featdis = $('f-featdis');
  if (featdis) featdis.addEventListener('change', function () {
    document.querySelectorAll('#featmatrix tbody tr').forEach(function (tr) {
      tr.hidden = featdis.checked && !tr.querySelector('td.dis');
    });
  });
  $('b-theme').addEventListener('click', function () {
    var cur = document.documentElement.getAttribute('data-theme') || 'auto';
    setTheme(cur === 'auto' ? 'dark' : cur === 'dark' ? 'light' : 'auto');
  });
})();
