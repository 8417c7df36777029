// The console's browser side, plain JavaScript with no build step: it fills the live parts of
// the overview and station pages from the REST API, re-reads them when the server's event
// stream says a station changed, and sends every form marked data-method/data-url as JSON.
'use strict';

const $ = (selector, root = document) => root.querySelector(selector);
const page = document.body.dataset.page;

/** Text for the DOM: every value from a station goes through here or textContent. */
function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
const kwh = (wh) => (wh == null ? '—' : `${(wh / 1000).toFixed(2)} kWh`);
const kw = (w) => (w == null ? '—' : `${(w / 1000).toFixed(1)} kW`);
function ago(iso) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(iso).toLocaleString();
}
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const STATUS_CLASS = {
  Available: 'ok',
  Charging: 'live',
  Occupied: 'live',
  Preparing: 'warn',
  SuspendedEV: 'warn',
  SuspendedEVSE: 'warn',
  Finishing: 'warn',
  Reserved: 'warn',
  Unavailable: 'off',
  Faulted: 'bad',
};
const badge = (text, cls) => `<span class="badge ${cls}">${esc(text)}</span>`;

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) throw Object.assign(new Error(json?.message ?? res.statusText), { body: json, status: res.status });
  return json;
}

function toast(text, bad = false) {
  const el = $('#toast');
  el.textContent = text;
  el.className = bad ? 'show bad' : 'show';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.className = ''), 4000);
}

// ---- the overview

function connectorBadges(station) {
  if (!station.connectors.length) return '<span class="muted">—</span>';
  return station.connectors.map((c) => badge(`${c.connector}: ${c.status}`, STATUS_CLASS[c.status] ?? 'off')).join(' ');
}

function stationRow(s) {
  const tx = s.transactions[0];
  const conn = s.connected ? badge('Online', 'ok') : badge('Offline', 'off');
  const adm = s.admission === 'pending' ? ` ${badge('Pending', 'warn')}` : '';
  const device = s.device
    ? `${esc(s.device.vendor)} ${esc(s.device.model)}${s.device.firmware ? ` <small class="muted nw">fw ${esc(s.device.firmware)}</small>` : ''}`
    : '<span class="muted">not booted</span>';
  return `<tr data-identity="${esc(s.identity)}">
    <td data-label="Station"><a href="/stations/${encodeURIComponent(s.identity)}"><strong>${esc(s.identity)}</strong></a><br><small class="muted">${esc(s.protocol ?? '')} ${esc(s.description)}</small></td>
    <td data-label="Connection">${conn}${adm}</td>
    <td data-label="Connectors">${connectorBadges(s)}</td>
    <td data-label="Charging">${tx ? `${badge('Charging', 'live')} <small class="nw">${esc(tx.idTag ?? '')}</small>` : '<span class="muted">—</span>'}</td>
    <td data-label="Power" class="num" data-field="power">${tx ? kw(tx.powerW) : '—'}</td>
    <td data-label="Energy" class="num" data-field="energy">${tx ? kwh(tx.energyWh) : '—'}</td>
    <td data-label="Device">${device}</td>
    <td data-label="Last seen"><small>${ago(s.lastSeen)}</small></td>
  </tr>`;
}

async function renderOverview() {
  const stations = await api('GET', '/api/stations');
  const body = $('#stations');
  body.innerHTML = stations.length ? stations.map(stationRow).join('') : '<tr><td colspan="8" class="muted">No stations yet.</td></tr>';
  const online = stations.filter((s) => s.connected).length;
  const charging = stations.filter((s) => s.transactions.length).length;
  $('#summary').textContent = `${stations.length} stations · ${online} online · ${charging} charging`;
}

// ---- one station

async function renderStation() {
  const id = $('[data-station]').dataset.station;
  const base = `/api/stations/${encodeURIComponent(id)}`;
  const [s, txs] = await Promise.all([api('GET', base), api('GET', `${base}/transactions?limit=20`)]);
  $('#connection').outerHTML =
    `<span id="connection">${s.connected ? badge('Online', 'ok') : badge('Offline', 'off')}${s.admission === 'pending' ? ` ${badge('Pending', 'warn')}` : ''}</span>`;
  const d = s.device ?? {};
  const facts = [
    ['Protocol', s.protocol],
    ['Vendor', d.vendor],
    ['Model', d.model],
    ['Serial', d.serialNumber],
    ['Firmware', d.firmware],
    ['ICCID', d.iccid],
    ['IMSI', d.imsi],
    ['Booted', time(s.bootedAt)],
    ['Last seen', ago(s.lastSeen)],
    ['Password', s.hasPassword ? 'set' : 'none'],
  ];
  $('#device').innerHTML = facts.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v ?? '—')}</dd>`).join('');
  $('#connectors').innerHTML = connectorBadges(s);
  $('#running').innerHTML = s.transactions
    .map(
      (t) => `<div class="running" data-testid="running">
        <div><small class="muted">Transaction ${esc(t.txId)} · ${esc(t.idTag ?? '')}</small></div>
        <div class="meters"><span><small>Power</small><strong data-field="power">${kw(t.powerW)}</strong></span>
        <span><small>Energy</small><strong data-field="energy" data-wh="${t.energyWh ?? ''}">${kwh(t.energyWh)}</strong></span></div>
      </div>`,
    )
    .join('');
  $('#transactions').innerHTML = txs.length
    ? txs
        .map(
          (t) => `<tr><td><code>${esc(t.txId)}</code></td><td>${esc(t.connector ?? '')}</td><td>${esc(t.idTag ?? '')}</td>
          <td>${time(t.startedAt)}</td><td>${t.stoppedAt ? time(t.stoppedAt) : badge('running', 'live')}</td>
          <td class="num">${kwh(t.energyWh)}</td><td>${esc(t.stopReason ?? '')}</td></tr>`,
        )
        .join('')
    : '<tr><td colspan="7" class="muted">No transactions yet.</td></tr>';
}

// ---- forms: data-method, data-url ("{field}" is taken from the form), data-after

function formBody(form) {
  const body = {};
  for (const el of form.elements) {
    if (!el.name || el.value === '') continue;
    const type = el.dataset.type;
    body[el.name] =
      type === 'int' ? Number(el.value) : type === 'bool' ? el.value === 'true' : type === 'date' ? new Date(el.value + 'Z').toISOString() : el.value;
  }
  return body;
}

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!form.dataset.url) return;
  event.preventDefault();
  if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
  const method = form.dataset.method;
  const body = formBody(form);
  const url = form.dataset.url.replace(/\{(\w+)\}/g, (_, name) => {
    const value = body[name];
    delete body[name];
    return encodeURIComponent(value);
  });
  const button = form.querySelector('button');
  button.disabled = true;
  const result = $('#result');
  try {
    const query = method === 'GET' ? new URLSearchParams(body).toString() : '';
    const json = await api(method, query ? `${url}?${query}` : url, method === 'GET' || method === 'DELETE' ? undefined : body);
    if (result && json && json.action) {
      result.textContent = `${json.action}\n${JSON.stringify(json.response, null, 2)}`;
      result.className = '';
    }
    toast(json && json.response && json.response.status ? `${json.action}: ${json.response.status}` : 'Done');
    if (form.dataset.after === 'reload') location.reload();
    if (form.dataset.after === 'home') location.href = '/';
    if (form.dataset.after === 'refresh') (form.reset(), refresh());
  } catch (error) {
    const b = error.body ?? {};
    if (result) {
      result.textContent = `${b.error ?? 'Error'}${b.code ? ` (${b.code})` : ''}: ${error.message}`;
      result.className = 'bad';
    }
    toast(`${b.error ?? 'Error'}${b.code ? ` ${b.code}` : ''}: ${error.message}`, true);
  } finally {
    button.disabled = false;
  }
});

// ---- live: re-read on change, at most every 250 ms

const render = page === 'overview' ? renderOverview : page === 'station' ? renderStation : undefined;
let pending;
function refresh() {
  if (!render || pending) return;
  pending = setTimeout(() => {
    pending = undefined;
    render().catch((error) => toast(error.message, true));
  }, 250);
}

if (render) {
  render().catch((error) => toast(error.message, true));
  const events = new EventSource('/api/events');
  events.addEventListener('change', (e) => {
    const { identity } = JSON.parse(e.data);
    if (page === 'overview' || identity === $('[data-station]')?.dataset.station) refresh();
  });
  // "Last seen" ages even when nothing happens.
  setInterval(refresh, 30_000);
}
