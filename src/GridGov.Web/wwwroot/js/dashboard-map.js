// GridGov dashboard map (指挥中心): the street's grids coloured by community, drawn with the shared map module
// (grid-map.js), and the open cases as dots: fill colour = stage of the loop, ring = deadline warning.
//
// Driven by the interactive dashboard page (through dashboard-live.js), strict-CSP friendly (no inline script, no
// HTML built from data):
//   <div data-dashboard-map
//        data-grids-url="/api/map/grids"                       grid polygons (grid-map.js properties)
//        data-tile-url="" data-tile-attribution=""             optional tile layer
//        data-labels='{"CaseNumber":"案件编号",…}'></div>       texts in the page's language
//   const view = mountDashboardMap(element, { gridCases: code => … });   view.setCases(featureCollection)
//
// Case properties: number, state, stateCode, category, grid, warning (none|yellow|red), due, supervised, url.
// For tests: dataset.mapState is "loading" | "ready" | "error"; dataset.loadedFeatures = grids drawn,
// dataset.loadedCases = case dots drawn; element._dashboardMap is the Leaflet map, element._dashboardGridLayer the grids.

import { buildPopup, colorFor, readGridLabels } from './grid-map.js';
import { createMap, el, fetchJson, format, leaflet, setStatus, showError, text } from './map.js';

/** Dot fill by stage: waiting for registration, for dispatch, being handled, waiting for verification/archive. */
export const STATE_COLORS = Object.freeze({
  Reported: '#0dcaf0',
  HandledOnSpot: '#0dcaf0',
  Registered: '#1f6feb',
  Returned: '#1f6feb',
  Dispatched: '#6f42c1',
  InProgress: '#6f42c1',
  FeedbackSubmitted: '#198754',
  Verified: '#198754',
});

/** Dot ring by deadline warning. */
export const WARNING_STYLES = Object.freeze({
  none: { color: '#ffffff', weight: 1.5, radius: 6 },
  yellow: { color: '#ffb000', weight: 3.5, radius: 7 },
  red: { color: '#dc3545', weight: 4, radius: 8 },
});

const DEFAULT_LABELS = Object.freeze({
  CaseNumber: '案件编号', CaseState: '状态', CaseCategory: '类别', CaseGrid: '网格', CaseDue: '时限',
  ViewCase: '查看案件', Supervised: '督办中', WarningNone: '正常', WarningYellow: '即将到期', WarningRed: '已超期',
  NoDeadline: '无', GridOpenCasesTitle: '未办结案件', Loading: '加载中…', LoadError: '数据加载失败',
  OpenCases: '未办结案件 {0} 件', Truncated: '仅显示最紧急的 {0} 件', GridNotFound: '未找到该网格',
  GridNoOpenCases: '该网格暂无未办结案件', GridShowAll: '查看全部 {0} 件',
});

function readLabels(element) {
  try {
    return { ...DEFAULT_LABELS, ...JSON.parse(element.dataset.labels || '{}') };
  } catch {
    return { ...DEFAULT_LABELS };
  }
}

/** Only same-site paths become links (the server sends /cases/{number}). */
function safePath(url) {
  const value = text(url);
  return value.startsWith('/') && !value.startsWith('//') ? value : '#';
}

function warningName(warning, labels) {
  if (warning === 'red') return labels.WarningRed;
  if (warning === 'yellow') return labels.WarningYellow;
  return labels.WarningNone;
}

/** Popup of one case, built with DOM APIs only. */
export function buildCasePopup(props, labels = DEFAULT_LABELS) {
  const p = props || {};
  const root = el('div', 'grid-popup dashboard-case-popup');
  const title = el('div', 'grid-popup-title');
  const link = el('a', 'dashboard-case-link', p.number || '—');
  link.setAttribute('href', safePath(p.url));
  title.append(link);
  if (p.supervised) {
    title.append(document.createTextNode(' '));
    title.append(el('span', 'dashboard-grid-case-supervised', labels.Supervised));
  }
  root.append(title);

  const dl = el('dl', 'grid-popup-fields');
  const row = (label, node) => {
    dl.append(el('dt', null, label));
    const dd = el('dd');
    dd.append(node);
    dl.append(dd);
  };
  row(labels.CaseState, el('span', null, p.state || '—'));
  row(labels.CaseCategory, el('span', null, p.category || '—'));
  row(labels.CaseGrid, el('span', 'grid-popup-code', p.grid || '—'));
  const due = el('span', `dashboard-warning dashboard-warning-${p.warning === 'red' || p.warning === 'yellow' ? p.warning : 'none'}`);
  due.textContent = p.due ? `${warningName(p.warning, labels)} · ${text(p.due)}` : labels.NoDeadline;
  row(labels.CaseDue, due);
  root.append(dl);

  const open = el('a', 'dashboard-case-open', labels.ViewCase);
  open.setAttribute('href', safePath(p.url));
  root.append(open);
  return root;
}

function caseStyle(props) {
  const warning = WARNING_STYLES[props && props.warning] || WARNING_STYLES.none;
  const fill = STATE_COLORS[props && props.stateCode] || '#6c757d';
  return { radius: warning.radius, color: warning.color, weight: warning.weight, fillColor: fill, fillOpacity: 0.95, opacity: 1 };
}

/** A grid's open cases in the popup, as the page answers them ({ total, cases: [...], allUrl }), built with DOM APIs. */
export function buildGridCases(data, labels = DEFAULT_LABELS) {
  const root = el('div');
  if (!data || data.notFound) {
    root.append(el('p', 'dashboard-grid-cases-none', labels.GridNotFound));
    return root;
  }
  if (!data.total) {
    root.append(el('p', 'dashboard-grid-cases-none', labels.GridNoOpenCases));
    return root;
  }
  const ul = el('ul', 'dashboard-grid-cases');
  ul.dataset.total = String(data.total);
  for (const row of Array.isArray(data.cases) ? data.cases : []) {
    const li = el('li');
    li.dataset.caseNumber = text(row.number);
    const link = el('a', 'dashboard-grid-case-number', row.number);
    link.setAttribute('href', safePath(row.url));
    li.append(link, document.createTextNode(' '), el('span', 'dashboard-grid-case-state', row.state));
    if (row.supervised) li.append(document.createTextNode(' '), el('span', 'dashboard-grid-case-supervised', labels.Supervised));
    const meta = el('div', 'dashboard-grid-case-meta');
    meta.append(el('span', null, row.category));
    if (row.due) meta.append(el('span', `dashboard-warning dashboard-warning-${row.warning === 'red' || row.warning === 'yellow' ? row.warning : 'none'}`, row.due));
    li.append(meta);
    ul.append(li);
  }
  root.append(ul);
  if (data.total > ul.children.length && data.allUrl) {
    const all = el('a', 'dashboard-grid-cases-all', format(labels.GridShowAll, data.total));
    all.setAttribute('href', safePath(data.allUrl));
    root.append(all);
  }
  return root;
}

async function loadGridCases(target, code, gridCases, popup, labels) {
  try {
    target.replaceChildren(buildGridCases(await gridCases(code), labels));
  } catch (err) {
    console.error('dashboard-map:', err);
    target.textContent = labels.LoadError;
  }
  target.dataset.loaded = 'true';
  if (popup && popup.isOpen()) popup.update();
}

function gridPopupContent(props, labels, gridLabels) {
  const root = el('div', 'dashboard-grid-popup');
  root.append(buildPopup(props, gridLabels));
  const section = el('div', 'dashboard-grid-popup-cases');
  section.append(el('div', 'dashboard-grid-popup-heading', labels.GridOpenCasesTitle));
  const target = el('div', 'dashboard-grid-popup-list gg-map-muted', labels.Loading);
  section.append(target);
  root.append(section);
  return root;
}

/**
 * Mounts the dashboard map on `element` (idempotent) and loads the grids from data-grids-url. The page hands it the
 * case dots (setCases, again whenever a case changed) and answers a grid's open cases (options.gridCases(code)).
 */
export function mountDashboardMap(element, options = {}) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountDashboardMap: element must be an HTMLElement');
  if (element._dashboardView) return element._dashboardView;

  const L = leaflet();
  const labels = readLabels(element);
  const gridLabels = readGridLabels(element);
  const gridsUrl = (element.dataset.gridsUrl || '').trim();
  const gridCases = typeof options.gridCases === 'function' ? options.gridCases : null;
  const tileUrl = (element.dataset.tileUrl || '').trim();
  const tileAttribution = (element.dataset.tileAttribution || '').trim();
  const status = element.closest('.panel')?.querySelector('[data-map-status]') || null;

  const map = createMap(element, { tileUrl, tileAttribution });
  map.setView([35.0, 105.0], 4);
  element._dashboardMap = map;
  // Case dots above the grid polygons, below popups.
  map.createPane('cases').style.zIndex = '450';
  // The street stays fitted while the panel settles (charts beside it set its height), until the user moves the map.
  let gridBounds = null;
  let fitting = false;
  let userMoved = false;
  const fit = () => {
    if (!gridBounds || userMoved) return;
    fitting = true;
    map.fitBounds(gridBounds, { padding: [12, 12], animate: false });
    fitting = false;
  };
  map.on('dragstart', () => { userMoved = true; });
  map.on('zoomstart', () => { if (!fitting) userMoved = true; });
  let ro = null;
  if (typeof ResizeObserver === 'function') {
    ro = new ResizeObserver(() => {
      map.invalidateSize({ debounceMoveend: true });
      fit();
    });
    ro.observe(element);
  }

  const casesLayer = L.featureGroup().addTo(map);
  let gridsDrawn = false;
  let casesDrawn = false;
  const settle = () => { if (gridsDrawn && casesDrawn) setStatus(element, 'ready'); };

  function drawCases(data) {
    const features = data && Array.isArray(data.features) ? data.features : [];
    casesLayer.clearLayers();
    let drawn = 0;
    for (const feature of features) {
      const coords = feature && feature.geometry && feature.geometry.coordinates;
      if (!Array.isArray(coords) || !Number.isFinite(coords[0]) || !Number.isFinite(coords[1])) continue;
      const props = feature.properties || {};
      const marker = L.circleMarker([coords[1], coords[0]], { ...caseStyle(props), pane: 'cases' });
      marker.bindPopup(() => buildCasePopup(props, labels), { maxWidth: 300, minWidth: 200 });
      marker.bindTooltip(el('span', 'grid-tooltip-code', props.number || ''), { direction: 'top' });
      marker.addTo(casesLayer);
      drawn += 1;
    }
    element.dataset.loadedCases = String(drawn);
    if (status) {
      status.textContent = format(labels.OpenCases, drawn) + (data && data.truncated ? `（${format(labels.Truncated, drawn)}）` : '');
    }
    casesDrawn = true;
    settle();
    element.dispatchEvent(new CustomEvent('dashboardmap:cases', { bubbles: true, detail: { count: drawn } }));
  }

  // Redrawing every dot would close a case popup being read: the newest dots wait until it is closed.
  let waiting = null;
  const reading = () => {
    let open = false;
    casesLayer.eachLayer((layer) => { open = open || layer.isPopupOpen(); });
    return open;
  };
  casesLayer.on('popupclose', () => {
    if (!waiting) return;
    const next = waiting;
    waiting = null;
    setTimeout(() => drawCases(next), 0);
  });

  async function loadGrids() {
    const data = await fetchJson(gridsUrl, { cache: 'no-store' });
    const features = data && Array.isArray(data.features) ? data.features : [];
    const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      style(feature) {
        const color = colorFor(feature && feature.properties ? feature.properties.colorIndex : 0);
        return { color, weight: 1.2, opacity: 0.9, fillColor: color, fillOpacity: 0.25 };
      },
      onEachFeature(feature, featureLayer) {
        const props = feature.properties || {};
        // Leaflet calls a content function again on every popup.update(): keep one node per opening.
        let content = null;
        featureLayer.bindPopup(() => (content ||= gridPopupContent(props, labels, gridLabels)), { maxWidth: 340, minWidth: 240 });
        featureLayer.on('popupclose', () => { content = null; });
        featureLayer.bindTooltip(el('span', 'grid-tooltip-code', props.code || ''), { sticky: true, direction: 'top' });
        featureLayer.on('mouseover', () => featureLayer.setStyle({ weight: 2.5, fillOpacity: 0.4 }));
        featureLayer.on('mouseout', () => layer.resetStyle(featureLayer));
        featureLayer.on('popupopen', (event) => {
          const target = event.popup.getElement()?.querySelector('.dashboard-grid-popup-list');
          if (!target || target.dataset.loaded || !gridCases || !props.code) return;
          loadGridCases(target, props.code, gridCases, event.popup, labels);
        });
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      gridBounds = bounds;
      fit();
    }
    element._dashboardGridLayer = layer;
    element.dataset.loadedFeatures = String(features.length);
    gridsDrawn = true;
    settle();
  }

  setStatus(element, 'loading');
  loadGrids().catch((err) => {
    const message = `${labels.LoadError}（${err && err.message ? err.message : String(err)}）`;
    setStatus(element, 'error', { error: message });
    showError(element, message);
    console.error('dashboard-map:', err);
  });

  const view = {
    map,
    setCases(data) {
      if (casesDrawn && reading()) {
        waiting = data;
        return;
      }
      drawCases(data);
    },
    dispose() {
      if (ro) ro.disconnect();
      map.remove();
      delete element._dashboardView;
      delete element._dashboardMap;
    },
  };
  element._dashboardView = view;
  return view;
}
