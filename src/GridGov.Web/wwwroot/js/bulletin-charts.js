// GridGov monthly bulletin (网格化工作简报) charts with ECharts: per community the problems reported and the hazards
// found and fixed, and per department the on-time closure rate.
//
// Mounted by BulletinDocument.razor (strict-CSP friendly: loaded as a module, ECharts from 'self', no inline script):
//   <div data-labels='{"Reported":"上报问题",…}'> <div data-chart="communities"></div> <div data-chart="departments"></div> </div>
//   const view = await mount(container, { communities: [{name, reported, hazardsFound, hazardsFixed}],
//                                         departments: [{name, due, onTime}] });   view.dispose()
// SVG renderer and no animation: the charts print sharp and complete at once. For tests: dataset.chartsState is
// "loading" | "ready" | "error".

import { loadECharts } from './echarts-loader.js';

const FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
const DEFAULT_LABELS = Object.freeze({ Reported: '上报问题', HazardsFound: '发现隐患', HazardsFixed: '整改隐患', OnTime: '按期结案率', NoData: '本月无数据' });

function readLabels(element) {
  try {
    return { ...DEFAULT_LABELS, ...JSON.parse(element.dataset.labels || '{}') };
  } catch {
    return { ...DEFAULT_LABELS };
  }
}

function empty(message) {
  return {
    animation: false,
    title: { text: message, left: 'center', top: 'middle', textStyle: { color: '#8a94a6', fontSize: 13, fontWeight: 'normal', fontFamily: FONT } },
    xAxis: { show: false }, yAxis: { show: false }, series: [],
  };
}

export function communitiesOption(data, labels) {
  const rows = Array.isArray(data.communities) ? data.communities : [];
  if (!rows.length) return empty(labels.NoData);
  return {
    animation: false,
    color: ['#1f6feb', '#fd7e14', '#198754'],
    textStyle: { fontFamily: FONT },
    legend: { top: 0, right: 8, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 8, top: 26, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => String(r.name)), axisLabel: { interval: 0, fontSize: 10, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } }, axisLabel: { fontSize: 10 } },
    series: [
      { name: labels.Reported, type: 'bar', barMaxWidth: 14, data: rows.map((r) => r.reported) },
      { name: labels.HazardsFound, type: 'bar', barMaxWidth: 14, data: rows.map((r) => r.hazardsFound) },
      { name: labels.HazardsFixed, type: 'bar', barMaxWidth: 14, data: rows.map((r) => r.hazardsFixed) },
    ],
  };
}

export function departmentsOption(data, labels) {
  const rows = Array.isArray(data.departments) ? data.departments : [];
  if (!rows.length) return empty(labels.NoData);
  const pct = (r) => (r.due ? Math.round((r.onTime / r.due) * 1000) / 10 : 0);
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 8, top: 20, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => String(r.name).replace(/（[^）]*）|\([^)]*\)/g, '')), axisLabel: { interval: 0, fontSize: 10, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', fontSize: 10 }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: [{
      name: labels.OnTime, type: 'bar', barMaxWidth: 22,
      data: rows.map((r) => ({ value: pct(r), itemStyle: { color: pct(r) >= 90 ? '#198754' : pct(r) >= 60 ? '#fd7e14' : '#dc3545' } })),
      label: { show: true, position: 'top', fontSize: 10, formatter: (p) => `${p.value}%` },
    }],
  };
}

const BUILDERS = { communities: communitiesOption, departments: departmentsOption };

export async function mount(container, data) {
  if (!(container instanceof HTMLElement)) throw new TypeError('mount: container must be an HTMLElement');
  container.dataset.chartsState = 'loading';
  const charts = [];
  try {
    await loadECharts();
    const labels = readLabels(container);
    for (const node of container.querySelectorAll('[data-chart]')) {
      const build = BUILDERS[node.dataset.chart];
      if (!build) continue;
      const chart = globalThis.echarts.init(node, null, { renderer: 'svg' });
      chart.setOption(build(data || {}, labels), { notMerge: true });
      charts.push(chart);
    }
    container.dataset.chartsState = 'ready';
  } catch (err) {
    console.error('bulletin-charts:', err);
    container.dataset.chartsState = 'error';
  }
  return {
    dispose() {
      charts.forEach((chart) => chart.dispose());
    },
  };
}
