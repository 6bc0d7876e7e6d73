// ECharts for the pages that draw charts (dashboard, bulletin): loaded once per page, on first need.

const ECHARTS = '/lib/echarts/echarts.min.js';

/** Loads ECharts once per page (a script element from 'self': no inline script under the CSP). */
export function loadECharts() {
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
