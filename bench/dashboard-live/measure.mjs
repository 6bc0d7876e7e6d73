// The dashboard's first visit and its live update, measured in Debian's Chromium against a running GridGov with
// the demo street (./run.sh). Usage: node measure.mjs [baseUrl] [runs]
//
// First visit (a fresh signed-in tab each run, the dispatcher):
//   html      the counters are in the prerendered HTML (responseEnd of the navigation)
//   live      the circuit has taken over the page ([data-render=interactive])
//   map       the map has drawn the grids and open cases ([data-map-state=ready])
//   charts    the charts are drawn ([data-charts-state=ready])
// Live update: a grid worker submits a report in another browser context; the time from the click on 提交上报 to
// the dispatcher's open dashboard showing the "awaiting registration" counter one higher.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:5080';
const runs = Number(process.argv[3] ?? 5);
const password = process.env.GRIDGOV_DEMO_PASSWORD ?? 'GridGov@2026';

const browser = await chromium.launch({
  executablePath: process.env.GRIDGOV_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

async function signedIn(user, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/account/login');
  await page.fill('#username', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/account/login')), page.click('[data-testid=login-submit]')]);
  return page;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const row = (name, values) => console.log(`${name.padEnd(28)} median ${String(Math.round(median(values))).padStart(5)} ms   (${values.map((v) => Math.round(v)).join(', ')})`);

// ---- First visit ----
const visits = { html: [], live: [], map: [], charts: [] };
for (let i = 0; i < runs; i++) {
  const page = await signedIn('dispatcher1');
  const started = Date.now();
  await page.goto('/dashboard', { waitUntil: 'commit' });
  await page.locator('[data-counter=awaiting-registration]').first().waitFor({ state: 'attached' });
  const responseEnd = await page.evaluate(() => performance.getEntriesByType('navigation')[0].responseEnd);
  visits.html.push(responseEnd);
  const at = async (selector) => {
    await page.locator(selector).first().waitFor({ state: 'attached', timeout: 30_000 });
    return Date.now() - started;
  };
  visits.live.push(await at('[data-render=interactive]'));
  visits.map.push(await at('[data-testid=dashboard-map][data-map-state=ready]'));
  visits.charts.push(await at('[data-testid=dashboard-charts][data-charts-state=ready]'));
  await page.context().close();
}
console.log(`GridGov dashboard at ${base}, ${runs} runs each`);
row('first visit: counters (HTML)', visits.html);
row('first visit: circuit live', visits.live);
row('first visit: map drawn', visits.map);
row('first visit: charts drawn', visits.charts);

// ---- Live update: a report in one browser, the counter on another's dashboard ----
const dispatcher = await signedIn('dispatcher1');
await dispatcher.goto('/dashboard');
await dispatcher.locator('[data-render=interactive]').waitFor({ timeout: 30_000 });
const counter = dispatcher.locator('[data-counter=awaiting-registration]').first();
const worker = await signedIn('worker1', { width: 390, height: 844 });
const updates = [];
for (let i = 0; i < runs; i++) {
  await worker.goto('/cases/report');
  await worker.locator('[data-render=interactive]').waitFor({ timeout: 30_000 });
  await worker.locator('[data-testid=report-map][data-map-state=ready]').waitFor({ timeout: 30_000 });
  await worker.fill('#report-category', '0801');
  await worker.locator('.mud-popover-open [data-category]').first().click();
  await worker.fill('#report-description', `测量实时推送 ${new Date().toISOString()} 第${i + 1}次`);
  await worker.fill('#report-address', '测量用地址');
  // A point in the middle of the worker's first own grid (the map opens zoomed to them, drawn stronger).
  await worker.locator('[data-testid=report-map]').evaluate((element) => {
    let point = null;
    element._mapOutlines.eachLayer((layer) => {
      if (!point && element._mapFocus.has(layer.feature?.properties?.code)) point = layer.getCenter();
    });
    element._map.fire('click', { latlng: point ?? element._map.getCenter() });
  });
  await worker.locator('[data-testid=report-where][data-grid-code]').waitFor({ timeout: 10_000 });
  const before = Number(await counter.getAttribute('data-value'));
  const clicked = Date.now();
  await worker.click('[data-testid=report-submit]');
  try {
    await dispatcher.waitForFunction((expected) => Number(document.querySelector('[data-counter=awaiting-registration]')?.dataset.value) >= expected,
      before + 1, { timeout: 30_000, polling: 20 });
  } catch (error) {
    const said = await worker.locator('.mud-alert, .mud-input-helper-text.mud-input-error, [role=alert]').allInnerTexts();
    console.error(`no update on the dashboard; the report page is at ${worker.url()} and says: ${said.join(' | ')}`);
    throw error;
  }
  updates.push(Date.now() - clicked);
  await worker.locator('[data-testid=done-number]').waitFor({ timeout: 30_000 });
}
row('report → other dashboard', updates);
await browser.close();
