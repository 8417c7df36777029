/**
 * The overview: every station in one table, filled and kept current by console.js from
 * /api/stations and the event stream; administrators also get the form to add a station.
 */
import type { User } from '../../store/users';
import { html } from './html';
import { layout } from './layout';

export function overviewPage(user: User): string {
  const admin = user.role === 'admin';
  return layout(
    'Stations',
    user,
    html`<section class="card">
        <div class="card-head">
          <h1>Stations</h1>
          <span class="muted" id="summary"></span>
        </div>
        <div class="table-wrap">
          <table class="stations">
            <thead>
              <tr>
                <th>Station</th>
                <th>Connection</th>
                <th>Connectors</th>
                <th>Charging</th>
                <th class="num">Power</th>
                <th class="num">Energy</th>
                <th>Device</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody id="stations" data-testid="stations">
              <tr>
                <td colspan="8" class="muted">Loading…</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
      ${
        admin
          ? html`<section class="card">
              <h2>Add a station</h2>
              <form class="inline" data-method="POST" data-url="/api/stations" data-after="refresh" data-testid="add-station">
                <label>Identity <input name="identity" required pattern="[A-Za-z0-9._~\\-]+" maxlength="48" /></label>
                <label>Description <input name="description" maxlength="200" /></label>
                <label>Password <input name="password" type="password" minlength="16" maxlength="40" placeholder="16–40 characters, optional" /></label>
                <button class="primary">Add</button>
              </form>
            </section>`
          : ''
      }`,
    'overview',
  );
}
