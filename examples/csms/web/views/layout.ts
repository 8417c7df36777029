/** The page frame: header with navigation and the user, the main column, the script. */
import type { User } from '../../store/users';
import { html, type Html } from './html';

export function layout(title: string, user: User | undefined, body: Html, page = ''): string {
  const nav = user
    ? html`<nav>
          <a href="/">Stations</a>
          <a href="/tags">Charge tags</a>
          <a href="/api/openapi.json">API</a>
        </nav>
        <form class="who" method="post" action="/logout">
          <span data-testid="user">${user.username} <small class="role">${user.role}</small></span>
          <button class="link">Log out</button>
        </form>`
    : html``;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · CSMS</title>
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body data-page="${page}" data-role="${user?.role ?? ''}">
        <header>
          <a class="brand" href="/"><span class="bolt">⚡</span> CSMS</a>
          ${nav}
        </header>
        <main>${body}</main>
        <div id="toast" role="status" aria-live="polite"></div>
        <script src="/assets/console.js" defer></script>
      </body>
    </html>`.text;
}
