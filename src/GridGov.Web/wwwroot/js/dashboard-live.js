// GridGov dashboard (指挥中心), the interactive page's side in the browser: mounts the map (dashboard-map.js on the
// shared grid-map.js) and the charts (dashboard-charts.js, ECharts), and redraws them with what the page sends
// whenever a case changed (the page is told by the server; nothing here polls).
//
//   const view = await start(mapElement, chartsElement, dotNetPage);   // dotNetPage answers GridCases(code)
//   view.update(casesFeatureCollection, chartData);   view.dispose();

import { mountDashboardMap } from './dashboard-map.js';
import { mountCharts } from './dashboard-charts.js';
import { loadECharts } from './echarts-loader.js';

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
