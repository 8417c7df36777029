/** Charge tags: the table for everyone; add, edit, block and remove for administrators. */
import type { Tag } from '../../store/tags';
import type { User } from '../../store/users';
import { html } from './html';
import { layout } from './layout';

export function tagsPage(user: User, tags: readonly Tag[]): string {
  const admin = user.role === 'admin';
  const now = Date.now();
  const state = (t: Tag) =>
    t.blocked
      ? html`<span class="badge bad">Blocked</span>`
      : t.expiry && Date.parse(t.expiry) <= now
        ? html`<span class="badge warn">Expired</span>`
        : html`<span class="badge ok">Valid</span>`;
  const rows = tags.map(
    (t) =>
      html`<tr>
        <td><code>${t.idTag}</code></td>
        <td>${t.name}</td>
        <td>${t.expiry ? new Date(t.expiry).toISOString().slice(0, 16).replace('T', ' ') : '—'}</td>
        <td>${t.parent ?? '—'}</td>
        <td>${state(t)}</td>
        ${
          admin
            ? html`<td>
                <div class="actions">
                  <form data-method="PATCH" data-url="/api/tags/${encodeURIComponent(t.idTag)}" data-after="reload">
                    <input type="hidden" name="blocked" value="${t.blocked ? 'false' : 'true'}" data-type="bool" />
                    <button>${t.blocked ? 'Unblock' : 'Block'}</button>
                  </form>
                  <form data-method="DELETE" data-url="/api/tags/${encodeURIComponent(t.idTag)}" data-after="reload" data-confirm="Remove tag ${t.idTag}?">
                    <button class="danger">Remove</button>
                  </form>
                </div>
              </td>`
            : ''
        }
      </tr>`,
  );
  const fields = html`<label>Name <input name="name" maxlength="100" /></label>
    <label>Expires <input name="expiry" type="datetime-local" data-type="date" /></label>
    <label>Parent <input name="parent" maxlength="20" /></label>`;
  return layout(
    'Charge tags',
    user,
    html`<section class="card">
        <h1>Charge tags</h1>
        <div class="table-wrap">
          <table data-testid="tags">
            <thead>
              <tr>
                <th>Id</th>
                <th>Name</th>
                <th>Expires (UTC)</th>
                <th>Parent</th>
                <th>State</th>
                ${admin ? html`<th></th>` : ''}
              </tr>
            </thead>
            <tbody>
              ${
                rows.length
                  ? rows
                  : html`<tr>
                      <td colspan="6" class="muted">No tags yet.</td>
                    </tr>`
              }
            </tbody>
          </table>
        </div>
      </section>
      ${
        admin
          ? html`<section class="card">
                <h2>Add a tag</h2>
                <form class="inline" data-method="POST" data-url="/api/tags" data-after="reload" data-testid="add-tag">
                  <label>Id <input name="idTag" required maxlength="20" /></label>
                  ${fields}
                  <button class="primary">Add</button>
                </form>
              </section>
              <section class="card">
                <h2>Edit a tag</h2>
                <form class="inline" data-method="PATCH" data-url="/api/tags/{idTag}" data-after="reload">
                  <label
                    >Id
                    <select name="idTag">
                      ${tags.map((t) => html`<option>${t.idTag}</option>`)}
                    </select></label
                  >
                  ${fields}
                  <button>Save</button>
                </form>
              </section>`
          : ''
      }`,
    'tags',
  );
}
