import { html } from './html';
import { layout } from './layout';

export function loginPage(failed: boolean, next: string): string {
  return layout(
    'Log in',
    undefined,
    html`<section class="card login">
      <h1>Log in</h1>
      ${failed ? html`<p class="error" data-testid="login-error">Wrong username or password.</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}" />
        <label>Username <input name="username" autocomplete="username" required autofocus /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button class="primary">Log in</button>
      </form>
    </section>`,
    'login',
  );
}
