/**
 * The app frame: header, the page for the current URL, and a footer naming the embedder in use.
 * A tiny router: `/` search, `/mentions` every mention (up to four themes), `/similar` practice like
 * this elsewhere, `/council/<name>` a council's record, `/doc/<id>` reader. It routes same-origin
 * link clicks and `navigate` events through history.pushState, and re-renders on popstate.
 */
import { LitElement, css, html, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { isAppPath, NAVIGATE, type NavigateDetail } from '../navigate.ts';
import { parseState } from '../url-state.ts';
import { sharedStyles } from '../styles/shared.ts';
import './search-page.ts';
import './mentions-page.ts';
import './similar-page.ts';
import './council-page.ts';
import { parseSimilarState } from './similar-page.ts';
import './reader-page.ts';
import './site-footer.ts';

interface Route {
  path: string;
  search: string;
  hash: string;
}

function currentRoute(): Route {
  return { path: location.pathname, search: location.search, hash: decodeURIComponent(location.hash.slice(1)) };
}

@customElement('app-shell')
export class AppShell extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 100vh; }
      .skip {
        position: absolute; left: -999px; top: 0.5rem; z-index: 10;
        background: var(--surface); padding: 0.5rem 1rem;
      }
      .skip:focus { left: 0.5rem; }
      header {
        background: var(--primary);
        color: var(--on-primary);
        padding: 0.6rem 1rem;
        display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem 1.5rem;
      }
      header a { color: var(--on-primary); }
      header a:visited { color: var(--on-primary); }
      header :focus-visible { outline-color: #ffd27f; }
      .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
      nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
      nav a[aria-current='page'] { font-weight: 700; text-decoration-thickness: 3px; }
      main { flex: 1; width: 100%; max-width: 80rem; margin: 0 auto; padding: 0 1rem 2rem; }
      @media (max-width: 600px) { main { padding: 0 0.6rem 1.5rem; } }
      @media print {
        header, .skip { display: none; }
        main { max-width: none; padding: 0; }
      }
    `,
  ];

  @state() private route: Route = currentRoute();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('click', this.onClick);
    this.addEventListener(NAVIGATE, this.onNavigate as EventListener);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.removeEventListener('click', this.onClick);
    this.removeEventListener(NAVIGATE, this.onNavigate as EventListener);
    super.disconnectedCallback();
  }

  private onPopState = (): void => {
    this.route = currentRoute();
  };

  private onNavigate = (e: CustomEvent<NavigateDetail>): void => {
    this.go(e.detail.url, e.detail.replace ?? false);
  };

  /** Routes plain left clicks on same-origin app links (they may sit in any shadow root). */
  private onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || !a.href || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !isAppPath(url.pathname)) return;
    e.preventDefault();
    this.go(url.pathname + url.search + url.hash, false);
  };

  private go(url: string, replace: boolean): void {
    const before = location.pathname;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.route = currentRoute();
    if (location.pathname !== before) window.scrollTo(0, 0);
  }

  private page(): TemplateResult {
    const { path, search, hash } = this.route;
    if (path === '/mentions') {
      return html`<mentions-page .state=${parseState(search)} .themes=${new URLSearchParams(search).getAll('q').filter((q) => q.trim())}></mentions-page>`;
    }
    if (path === '/similar') {
      return html`<similar-page .state=${parseSimilarState(search)}></similar-page>`;
    }
    const council = /^\/council\/([^/]+)$/.exec(path);
    if (council) {
      return html`<council-page .name=${decodeURIComponent(council[1]!)} .query=${new URLSearchParams(search).get('q') ?? ''}></council-page>`;
    }
    const doc = /^\/doc\/(.+)$/.exec(path);
    if (doc) {
      const q = new URLSearchParams(search).get('q') ?? '';
      return html`<reader-page .docId=${decodeURIComponent(doc[1]!)} .query=${q} .anchor=${hash}></reader-page>`;
    }
    if (path === '/' || path === '/index.html') {
      return html`<search-page .state=${parseState(search)}></search-page>`;
    }
    return html`<div class="message error" role="alert">
      <h1>Page not found</h1>
      <p>There is no page at this address. <a href="/">Start a new search</a>.</p>
    </div>`;
  }

  override render(): TemplateResult {
    const path = this.route.path;
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <a class="brand" href="/">Children's services reports</a>
        <nav aria-label="Main">
          <ul>
            <li><a href="/" aria-current=${path === '/' ? 'page' : 'false'}>Search</a></li>
            <li><a href="/mentions" aria-current=${path === '/mentions' ? 'page' : 'false'}>Every mention</a></li>
          </ul>
        </nav>
      </header>
      <main id="main" tabindex="-1">${this.page()}</main>
      <site-footer></site-footer>
    `;
  }

  private skipToMain(e: Event): void {
    e.preventDefault();
    e.stopPropagation();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'app-shell': AppShell;
  }
}
