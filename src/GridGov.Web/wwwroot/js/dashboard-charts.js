// GridGov dashboard charts (指挥中心) with ECharts: this month's cases by category, the daily trend of
// reported vs closed, and the closure rate by department.
//
// Driven by the interactive dashboard page through dashboard-live.js (strict-CSP friendly: no inline script;
// tooltips render on the canvas, never as HTML); ECharts (window.echarts) must be loaded first:
//   <div data-dashboard-charts data-labels='{"SeriesReported":"上报",…}'>
//     <div data-chart="category"></div> <div data-chart="trend"></div> <div data-chart="departments"></div>
//   </div>
//   const view = mountCharts(container);   view.setData(data)
//
// Data: { month, today, byCategory: [{code, name, cases}], daily: [{day, reported, closed}],
//         departments: [{departmentId, name, due, closed, rate}] }
// For tests: dataset.chartsState is "loading" | "ready" | "error"; dataset.categories = category bars drawn.

const DEFAULT_LABELS = Object.freeze({
  SeriesReported: '上报', SeriesClosed: '结案', SeriesCases: '案件数', SeriesRate: '结案率', SeriesDue: '应结',
  NoData: '本月暂无数据', OtherCategories: '其余类别', LoadError: '数据加载失败',
});

const COLORS = ['#1f6feb', '#20c997', '#fd7e14', '#6f42c1', '#dc3545', '#0dcaf0', '#198754', '#d63384', '#6c757d', '#ffc107'];
const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

function echartsLib() {
  const echarts = globalThis.echarts;
  if (!echarts || typeof echarts.init !== 'function') {
    throw new Error('dashboard-charts.js: ECharts (window.echarts) is not loaded; include /lib/echarts/echarts.min.js before this module.');
  }
  return echarts;
}

function readLabels(element) {
  try {
    return { ...DEFAULT_LABELS, ...JSON.parse(element.dataset.labels || '{}') };
  } catch {
    return { ...DEFAULT_LABELS };
  }
}

function empty(message) {
  return {
    title: { text: message, left: 'center', top: 'middle', textStyle: { color: '#8a94a6', fontSize: 13, fontWeight: 'normal', fontFamily: FONT } },
    xAxis: { show: false }, yAxis: { show: false }, series: [],
  };
}

const tooltip = (trigger) => ({ trigger, renderMode: 'richText', confine: true });

export function categoryOption(data, labels) {
  const all = Array.isArray(data.byCategory) ? data.byCategory : [];
  if (!all.length) return empty(labels.NoData);
  // At most 16 bars: the 15 largest classes and the rest together.
  const rows = all.length <= 16 ? all.slice()
    : [...all.slice(0, 15), { code: '', name: labels.OtherCategories, cases: all.slice(15).reduce((sum, r) => sum + (r.cases || 0), 0) }];
  const ordered = rows.reverse(); // largest on top of a horizontal bar chart
  return {
    textStyle: { fontFamily: FONT },
    tooltip: tooltip('axis'),
    grid: { left: 8, right: 36, top: 6, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } }, axisLabel: { fontSize: 11 } },
    yAxis: { type: 'category', data: ordered.map((r) => String(r.name)), axisLabel: { interval: 0, fontSize: 11, width: 96, overflow: 'truncate' } },
    series: [{
      name: labels.SeriesCases, type: 'bar', barMaxWidth: 16, barCategoryGap: '30%',
      data: ordered.map((r, i) => ({ value: r.cases, itemStyle: { color: COLORS[(ordered.length - 1 - i) % COLORS.length] } })),
      label: { show: true, position: 'right', fontSize: 11 },
    }],
  };
}

export function trendOption(data, labels) {
  const rows = Array.isArray(data.daily) ? data.daily : [];
  if (!rows.some((r) => r.reported > 0 || r.closed > 0)) return empty(labels.NoData);
  return {
    color: ['#1f6feb', '#20c997'],
    textStyle: { fontFamily: FONT },
    tooltip: tooltip('axis'),
    legend: { top: 0, right: 8, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: rows.map((r) => String(r.day).slice(5)) },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: [
      { name: labels.SeriesReported, type: 'line', symbolSize: 5, areaStyle: { opacity: 0.12 }, data: rows.map((r) => r.reported) },
      { name: labels.SeriesClosed, type: 'line', symbolSize: 5, areaStyle: { opacity: 0.12 }, data: rows.map((r) => r.closed) },
    ],
  };
}

/** Height for a horizontal bar chart of n rows, so that every bar stays readable. */
export function barChartHeight(n) {
  return Math.max(160, n * 22 + 36);
}

/** "城管执法中队（综合行政执法）" → "城管执法中队": the axis needs the short name; tooltips keep the full one. */
function shortName(name) {
  return String(name).replace(/（[^）]*）|\([^)]*\)/g, '') || String(name);
}

/** Columns when the chart is wide enough for every department's name, horizontal bars otherwise (phones). */
export function departmentOption(data, labels, width = 1000) {
  const rows = Array.isArray(data.departments) ? data.departments : [];
  if (!rows.length) return empty(labels.NoData);
  const share = (r) => `${Math.round((r.rate || 0) * 1000) / 10}%`;
  const columns = width / rows.length >= 56;
  // The server sends the lowest rate first: first column on the left, or top bar when horizontal.
  const ordered = columns ? rows.slice() : rows.slice().reverse();
  const values = { type: 'value', max: 100, axisLabel: { formatter: '{value}%', fontSize: 11 }, splitLine: { lineStyle: { color: '#eef1f5' } } };
  const names = {
    type: 'category',
    data: ordered.map((r) => shortName(r.name)),
    axisLabel: columns ? { interval: 0, fontSize: 11, width: Math.max(48, width / rows.length - 6), overflow: 'break', lineHeight: 13 }
      : { interval: 0, fontSize: 11, width: 112, overflow: 'truncate' },
  };
  return {
    textStyle: { fontFamily: FONT },
    tooltip: {
      ...tooltip('item'),
      formatter: (p) => {
        const r = ordered[p.dataIndex] || {};
        return `${r.name}\n${labels.SeriesRate} ${share(r)}（${r.closed}/${r.due}）`;
      },
    },
    grid: columns ? { left: 8, right: 8, top: 28, bottom: 4, containLabel: true } : { left: 8, right: 82, top: 6, bottom: 4, containLabel: true },
    xAxis: columns ? names : values,
    yAxis: columns ? values : names,
    series: [{
      name: labels.SeriesRate, type: 'bar', barMaxWidth: columns ? 28 : 14,
      data: ordered.map((r) => {
        const pct = Math.round((r.rate || 0) * 1000) / 10;
        return { value: pct, itemStyle: { color: pct >= 90 ? '#198754' : pct >= 60 ? '#fd7e14' : '#dc3545' } };
      }),
      label: {
        show: true, position: columns ? 'top' : 'right', fontSize: 11, color: '#4a5a6e',
        formatter: (p) => {
          const r = ordered[p.dataIndex] || {};
          return columns ? `${share(r)}\n${r.closed}/${r.due}` : `${share(r)} ${r.closed}/${r.due}`;
        },
      },
    }],
  };
}

const BUILDERS = { category: categoryOption, trend: trendOption, departments: departmentOption };

/** Mounts the three charts inside `container`; the page hands them their data (setData), again after each change. */
export function mountCharts(container) {
  if (!(container instanceof HTMLElement)) throw new TypeError('mountCharts: container must be an HTMLElement');
  if (container._dashboardChartsView) return container._dashboardChartsView;
  const echarts = echartsLib();
  const labels = readLabels(container);
  const charts = new Map();
  for (const node of container.querySelectorAll('[data-chart]')) {
    if (BUILDERS[node.dataset.chart]) charts.set(node.dataset.chart, echarts.init(node, null, { renderer: 'canvas' }));
  }
  container._dashboardCharts = charts;

  let lastData = null;
  let lastWidth = 0;

  // Bar charts get a height from their number of bars; the department chart turns on narrow screens.
  function draw() {
    if (!lastData) return;
    charts.forEach((chart, name) => {
      const node = chart.getDom();
      const width = node.clientWidth;
      if (name === 'category') {
        const n = Math.min(Array.isArray(lastData.byCategory) ? lastData.byCategory.length : 0, 16);
        node.style.height = `${n ? barChartHeight(n) - 8 : 160}px`;
      } else if (name === 'departments') {
        const n = Array.isArray(lastData.departments) ? lastData.departments.length : 0;
        node.style.height = !n ? '160px' : width / n < 56 ? `${barChartHeight(n)}px` : '';
      }
      chart.resize();
      chart.setOption(BUILDERS[name](lastData, labels, width), { notMerge: true });
    });
    lastWidth = container.clientWidth;
  }

  let ro = null;
  if (typeof ResizeObserver === 'function') {
    ro = new ResizeObserver(() => {
      if (Math.abs(container.clientWidth - lastWidth) > 1) draw();
      else charts.forEach((chart) => chart.resize());
    });
    ro.observe(container);
  }

  container.dataset.chartsState = 'loading';
  const view = {
    setData(data) {
      lastData = data || {};
      draw();
      container.dataset.categories = String(Array.isArray(lastData.byCategory) ? lastData.byCategory.length : 0);
      container.dataset.chartsState = 'ready';
    },
    fail() {
      container.dataset.chartsState = 'error';
      charts.forEach((chart) => chart.setOption(empty(labels.LoadError), { notMerge: true }));
    },
    dispose() {
      if (ro) ro.disconnect();
      charts.forEach((chart) => chart.dispose());
      delete container._dashboardChartsView;
    },
  };
  container._dashboardChartsView = view;
  return view;
}
