/**
 * Styles shared by the components (they live in shadow roots, so page CSS does not reach them).
 * Colours come from custom properties set in styles/global.css; all text/background pairs meet
 * WCAG AA (4.5:1) and focus is always visible.
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    color: var(--text);
    font: inherit;
  }
  *, *::before, *::after { box-sizing: border-box; }
  a { color: var(--link); text-underline-offset: 0.15em; }
  a:visited { color: var(--link-visited); }
  a:hover { text-decoration-thickness: 2px; }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
  button, input, select {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--border-strong);
    background: var(--surface);
    border-radius: 4px;
    padding: 0.35rem 0.7rem;
    min-height: 2.25rem;
  }
  button:hover { background: var(--surface-hover); }
  button.primary {
    background: var(--primary);
    border-color: var(--primary);
    color: var(--on-primary);
    font-weight: 600;
  }
  button.primary:hover { background: var(--primary-hover); }
  button.link {
    border: none;
    background: none;
    color: var(--link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
    padding: 0.25rem 0.1rem;
    min-height: 0;
  }
  button[disabled] { cursor: not-allowed; opacity: 0.6; }
  input[type='search'], input[type='text'], input[type='number'], select {
    border: 2px solid var(--border-strong);
    border-radius: 4px;
    padding: 0.4rem 0.5rem;
    background: var(--surface);
    min-height: 2.5rem;
  }
  mark {
    background: var(--mark);
    color: var(--text);
    padding: 0 0.1em;
    border-radius: 2px;
  }
  .muted { color: var(--muted); }
  .visually-hidden {
    position: absolute !important;
    width: 1px; height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .message {
    border-left: 5px solid var(--primary);
    background: var(--surface-alt);
    padding: 0.75rem 1rem;
    margin: 1rem 0;
  }
  .message.error { border-left-color: var(--error); }
  .message h2 { font-size: 1.1rem; margin: 0 0 0.4rem; }
  .message p { margin: 0.3rem 0; }
  @media print {
    .no-print { display: none !important; }
    a { color: #000; }
  }
`;
