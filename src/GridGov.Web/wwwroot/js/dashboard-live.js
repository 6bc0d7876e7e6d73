// GridGov dashboard (指挥中心), the interactive page's side in the browser: mounts the map (dashboard-map.js on the
// shared grid-map.js) and the charts (dashboard-charts.js, ECharts), and redraws them with what the page sends
// whenever a case changed (the page is told by the server; nothing here polls).
//
//   const view = await start(mapElement, chartsElement, dotNetPage);   // dotNetPage answers GridCases(code)
//   view.update(casesFeatureCollection, chartData);   view.dispose();

import { mountDashboardMap } from './dashboard-map.js';
import { mountCharts } from './dashboard-charts.js';

const ECHARTS = '/lib/echarts/echarts.min.js';

/** Loads ECharts once per page (a script element from 'self': no inline script under the CSP). */
function loadECharts() {
  if (globalThis.echarts) return Promise.resolve();
  return (globalThis.__ggEChartsLoading ||= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = ECHARTS;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener('error', () => {
      globalThis.__ggEChartsLoading = null;
      reject(new Error(`${ECHARTS} did not load`));
    }, { once: true });
    document.head.append(script);
  }));
}

export async function start(mapElement, chartsElement, page) {
  const map = mountDashboardMap(mapElement, { gridCases: (code) => page.invokeMethodAsync('GridCases', code) });
  let charts = null;
  try {
    await loadECharts();
    charts = mountCharts(chartsElement);
  } catch (err) {
    console.error('dashboard-charts:', err);
    chartsElement.dataset.chartsState = 'error';
  }
  return {
    update(cases, chartData) {
      map.setCases(cases);
      if (charts) charts.setData(chartData);
    },
    dispose() {
      map.dispose();
      if (charts) charts.dispose();
    },
  };
}
