// Start-up marks (Unix milliseconds), sent with `ui_ready` so scripts/measure-desktop.sh can say
// where the start's time goes. Cheap: a few numbers kept until the first screen is up.
const marks: [string, number][] = [];

export function mark(stage: string): void {
  marks.push([stage, performance.timeOrigin + performance.now()]);
}

/** The page's own timing (document and scripts fetched, DOM parsed), then the marks above. */
export function startupMarks(): [string, number][] {
  const at = (ms: number): number => performance.timeOrigin + ms;
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const page: [string, number][] = [["page_time_origin", performance.timeOrigin]];
  if (nav) page.push(["page_html_fetched", at(nav.responseEnd)], ["page_dom_interactive", at(nav.domInteractive)]);
  for (const r of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
    if (r.name.endsWith(".js")) page.push(["page_script_fetched", at(r.responseEnd)]);
  }
  return [...page, ...marks];
}
