/**
 * Pages ask the app shell to change the URL by dispatching this event; the shell pushes the URL
 * and renders the matching page. Plain same-origin <a href> clicks are routed by the shell too.
 */
export interface NavigateDetail {
  url: string;
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
}

export const NAVIGATE = 'navigate';

export function navigateEvent(url: string, replace = false): CustomEvent<NavigateDetail> {
  return new CustomEvent<NavigateDetail>(NAVIGATE, { detail: { url, replace }, bubbles: true, composed: true });
}

/** Paths the browser must load itself (API, original files) rather than the client router. */
export function isAppPath(pathname: string): boolean {
  return !pathname.startsWith('/api/') && !pathname.startsWith('/files/') && pathname !== '/api';
}
