/**
 * One station: its device information and connectors, running and latest transactions (kept
 * current by console.js), the commands as forms, and for administrators its settings.
 */
import { TRIGGER_MESSAGES } from '../../ocpp/commands';
import type { Station } from '../../store/stations';
import type { Tag } from '../../store/tags';
import type { User } from '../../store/users';
import { html } from './html';
import { layout } from './layout';

export function stationPage(user: User, station: Station, tags: readonly Tag[]): string {
  const admin = user.role === 'admin';
  const base = `/api/stations/${encodeURIComponent(station.identity)}`;
  const triggers = TRIGGER_MESSAGES[station.protocol === 'ocpp1.6' ? '1.6' : '2.x'];
  const commands = html`<section class="card">
    <h2>Commands</h2>
    <p class="muted">Each is sent to the station; its own reply is shown below.</p>
    <div class="commands">
      ${
        admin
          ? html`<form data-method="POST" data-url="${base}/remote-start" data-testid="remote-start">
                <label
                  >Tag
                  <select name="idTag">
                    ${tags.map((t) => html`<option value="${t.idTag}">${t.idTag}${t.name ? ` · ${t.name}` : ''}</option>`)}
                  </select></label
                >
                <label>Connector <input name="connectorId" type="number" min="1" value="1" data-type="int" /></label>
                <button class="primary">Start charging</button>
              </form>
              <form data-method="POST" data-url="${base}/remote-stop" data-testid="remote-stop">
                <button class="danger">Stop charging</button>
              </form>
              <form data-method="POST" data-url="${base}/reset">
                <label
                  >Reset
                  <select name="type">
                    <option value="soft">Soft</option>
                    <option value="hard">Hard</option>
                  </select></label
                >
                <button>Reset</button>
              </form>
              <form data-method="POST" data-url="${base}/unlock">
                <label>Connector <input name="connectorId" type="number" min="1" value="1" data-type="int" /></label>
                <button>Unlock</button>
              </form>
              <form data-method="POST" data-url="${base}/availability">
                <label
                  >Availability
                  <select name="available" data-type="bool">
                    <option value="true">Operative</option>
                    <option value="false">Inoperative</option>
                  </select></label
                >
                <label>Connector <input name="connectorId" type="number" min="0" value="0" data-type="int" title="0: the whole station" /></label>
                <button>Change</button>
              </form>
              <form data-method="POST" data-url="${base}/trigger">
                <label
                  >Trigger
                  <select name="message">
                    ${triggers.map((m) => html`<option>${m}</option>`)}
                  </select></label
                >
                <button>Trigger</button>
              </form>
              <form data-method="PUT" data-url="${base}/local-list">
                <label>List version <input name="listVersion" type="number" min="1" value="1" data-type="int" required /></label>
                <button>Send all tags as local list</button>
              </form>`
          : ''
      }
      <form data-method="GET" data-url="${base}/local-list">
        <button>Local list version</button>
      </form>
      <form data-method="GET" data-url="${base}/configuration">
        <label>Key <input name="key" placeholder="all" /></label>
        <button>Get configuration</button>
      </form>
    </div>
    <h3>Station's reply</h3>
    <pre id="result" data-testid="result" class="muted">Nothing sent yet.</pre>
  </section>`;

  const settings = admin
    ? html`<section class="card">
        <h2>Settings</h2>
        <form class="inline" data-method="PATCH" data-url="${base}" data-after="reload">
          <label>Description <input name="description" value="${station.description}" maxlength="200" /></label>
          <label
            >Admission
            <select name="admission">
              <option value="accepted" ${station.admission === 'accepted' ? 'selected' : ''}>accepted</option>
              <option value="pending" ${station.admission === 'pending' ? 'selected' : ''}>pending</option>
            </select></label
          >
          <button>Save</button>
        </form>
        <form class="inline" data-method="PATCH" data-url="${base}" data-after="reload" data-testid="set-password">
          <label>New password <input name="password" type="password" minlength="16" maxlength="40" required /></label>
          <button>Set password</button>
        </form>
        <form class="inline" data-method="DELETE" data-url="${base}" data-after="home" data-confirm="Remove ${station.identity}?">
          <button class="danger">Remove station</button>
        </form>
      </section>`
    : '';

  return layout(
    station.identity,
    user,
    html`<div class="title-row">
        <h1>${station.identity}</h1>
        <span id="connection" class="badge"></span>
        <span class="muted">${station.description}</span>
      </div>
      <div class="grid" data-station="${station.identity}">
        <section class="card">
          <h2>Device</h2>
          <dl id="device" class="facts"></dl>
        </section>
        <section class="card">
          <h2>Connectors</h2>
          <div id="connectors" data-testid="connectors"></div>
          <div id="running"></div>
        </section>
      </div>
      ${commands}
      <section class="card">
        <div class="card-head">
          <h2>Latest transactions</h2>
          <a class="button" href="${base}/transactions.csv" download data-testid="csv">Download CSV</a>
        </div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Id</th>
                <th>Connector</th>
                <th>Tag</th>
                <th>Started</th>
                <th>Stopped</th>
                <th class="num">Energy</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody id="transactions" data-testid="transactions"></tbody>
          </table>
        </div>
      </section>
      ${settings}`,
    'station',
  );
}
