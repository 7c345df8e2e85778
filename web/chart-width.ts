/**
 * The width a chart draws at, in CSS pixels (so labels keep their real size on a phone): the
 * host element's width, kept between 260 and 960, followed as it resizes. A Lit controller.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class ChartWidth implements ReactiveController {
  value = 640;
  private readonly observer = new ResizeObserver((entries) => {
    const w = Math.round(entries[0]?.contentRect.width ?? 0);
    if (w <= 0) return;
    const next = Math.max(260, Math.min(960, w));
    if (next !== this.value) {
      this.value = next;
      this.host.requestUpdate();
    }
  });

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }
}
