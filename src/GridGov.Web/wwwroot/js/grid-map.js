// GridGov grid map: draws the grid (网格) polygons of a GeoJSON FeatureCollection on a
// Leaflet map, and lends its palette and popups to the dashboard map (dashboard-map.js). A page imports it (JS
// interop) and calls mountGridMap(element) / unmountGridMap(element) on an element Blazor leaves alone.
//
// The element (strict-CSP friendly: no inline script, no eval, no HTML built from data):
//   <div class="grid-map"
//        data-geojson-url="/api/grids.geojson"
//        data-tile-url=""                       (optional; empty = no tile layer, works offline)
//        data-tile-attribution=""               (optional; plain text)
//        data-grid-labels='{"Code":"Grid code",…}'></div>   (optional; popup texts, Chinese by default)
//
// Feature properties: code, name, communityName, communityCode, colorIndex (int),
//   leader {name, phone} | null, workers [{name, phone, duty}].
//
// For tests: element._gridMap is the Leaflet map, element._gridMapReady a promise that settles
// after loading; element.dataset.mapState is "loading" | "ready" | "error", and
// element.dataset.loadedFeatures is the number of features drawn (set after loading).

import { createMap, el, fetchJson, format, leaflet, setStatus, showError, text } from './map.js';

/** 10 distinguishable fill colours, picked by feature.properties.colorIndex (mod 10). */
export const GRID_PALETTE = Object.freeze([
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f',
]);

const DEFAULT_CENTER = [35.0, 105.0]; // used only when there is nothing to fit
const DEFAULT_ZOOM = 4;

export function colorFor(colorIndex) {
  const n = Number.parseInt(colorIndex, 10);
  const i = Number.isFinite(n) ? ((n % GRID_PALETTE.length) + GRID_PALETTE.length) % GRID_PALETTE.length : 0;
  return GRID_PALETTE[i];
}

/** The popup's texts in Chinese; a page in another language passes its own in data-grid-labels (JSON). */
export const DEFAULT_GRID_LABELS = Object.freeze({
  Grid: '网格', Code: '网格编码', Name: '网格名称', Community: '所属社区', Leader: '网格长', Workers: '网格员',
  WorkersCount: '网格员（{0}）', Duty: '（{0}）', NotSet: '未设置', None: '暂无', Unnamed: '（未填写姓名）',
});

/** The popup texts of a map element: its data-grid-labels over the Chinese defaults. */
export function readGridLabels(element) {
  try {
    return { ...DEFAULT_GRID_LABELS, ...JSON.parse((element && element.dataset.gridLabels) || '{}') };
  } catch {
    return { ...DEFAULT_GRID_LABELS };
  }
}

/** A tel: link for a phone number, or a plain span when the number has no digits. */
function phoneNode(phone) {
  const raw = text(phone).trim();
  const dial = raw.replace(/[^0-9+]/g, '');
  if (!dial) return el('span', 'grid-popup-phone gg-map-muted', raw || '—');
  const a = el('a', 'grid-popup-phone', raw);
  a.setAttribute('href', `tel:${dial}`);
  return a;
}

function personNode(person, labels, extra) {
  const li = el('li', 'grid-popup-person');
  li.append(el('span', 'grid-popup-person-name', person.name || labels.Unnamed));
  if (extra) li.append(el('span', 'grid-popup-duty gg-map-muted', format(labels.Duty, extra)));
  li.append(document.createTextNode(' '));
  li.append(phoneNode(person.phone));
  return li;
}

function row(dl, label, valueNode) {
  dl.append(el('dt', null, label));
  const dd = el('dd');
  dd.append(valueNode);
  dl.append(dd);
}

/** Popup content for one grid, built with DOM APIs only (all data is escaped by textContent). */
export function buildPopup(props, labels = DEFAULT_GRID_LABELS) {
  const p = props || {};
  const root = el('div', 'grid-popup');
  root.append(el('div', 'grid-popup-title', p.name || p.code || labels.Grid));

  const dl = el('dl', 'grid-popup-fields');
  row(dl, labels.Code, el('span', 'grid-popup-code', p.code || '—'));
  row(dl, labels.Name, el('span', null, p.name || '—'));
  const community = p.communityName
    ? (p.communityCode ? `${text(p.communityName)}（${text(p.communityCode)}）` : p.communityName)
    : (p.communityCode || '—');
  row(dl, labels.Community, el('span', null, community));

  const leader = p.leader && typeof p.leader === 'object' ? p.leader : null;
  if (leader) {
    const ul = el('ul', 'grid-popup-people');
    ul.append(personNode(leader, labels));
    row(dl, labels.Leader, ul);
  } else {
    row(dl, labels.Leader, el('span', 'gg-map-muted', labels.NotSet));
  }

  const workers = Array.isArray(p.workers) ? p.workers.filter((w) => w && typeof w === 'object') : [];
  if (workers.length) {
    const ul = el('ul', 'grid-popup-people');
    for (const w of workers) ul.append(personNode(w, labels, w.duty));
    row(dl, format(labels.WorkersCount, workers.length), ul);
  } else {
    row(dl, labels.Workers, el('span', 'gg-map-muted', labels.None));
  }

  root.append(dl);
  return root;
}

function styleFor(feature) {
  const color = colorFor(feature && feature.properties ? feature.properties.colorIndex : 0);
  return { color, weight: 1.5, opacity: 0.9, fillColor: color, fillOpacity: 0.35 };
}

/**
 * Mounts a grid map on `element` (idempotent) and starts loading data-geojson-url.
 * Returns the Leaflet map; `element._gridMapReady` resolves with the GeoJSON layer (or null on error).
 */
export function mountGridMap(element) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountGridMap: element must be an HTMLElement');
  if (element._gridMap) return element._gridMap;

  const L = leaflet();
  const geojsonUrl = (element.dataset.geojsonUrl || '').trim();
  const labels = readGridLabels(element);

  const map = createMap(element, { tileUrl: element.dataset.tileUrl, tileAttribution: element.dataset.tileAttribution });
  map.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
  element._gridMap = map;

  // Keep the map sized correctly when its container changes (sidebar toggles, phone rotation).
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => map.invalidateSize({ debounceMoveend: true }));
    ro.observe(element);
    map.on('unload', () => ro.disconnect());
  }

  setStatus(element, 'loading');
  element._gridMapReady = (async () => {
    if (!geojsonUrl) throw new Error('未配置网格数据地址（data-geojson-url）');
    const data = await fetchJson(geojsonUrl).catch((err) => { throw new Error(`网格数据加载失败：${err.message}`); });
    const features = data && Array.isArray(data.features) ? data.features : [];

    const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      style: styleFor,
      onEachFeature(feature, featureLayer) {
        const props = feature.properties || {};
        featureLayer.bindPopup(() => buildPopup(props, labels), { maxWidth: 320, minWidth: 200 });
        featureLayer.bindTooltip(el('span', 'grid-tooltip-code', props.code || ''), { sticky: true, direction: 'top' });
        featureLayer.on('mouseover', () => featureLayer.setStyle({ weight: 3, fillOpacity: 0.55 }));
        featureLayer.on('mouseout', () => layer.resetStyle(featureLayer));
      },
    }).addTo(map);

    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    element._gridLayer = layer;
    setStatus(element, 'ready', { count: features.length });
    element.dispatchEvent(new CustomEvent('gridmap:loaded', { bubbles: true, detail: { count: features.length } }));
    return layer;
  })().catch((err) => {
    const message = err && err.message ? err.message : String(err);
    setStatus(element, 'error', { count: 0, error: message });
    showError(element, message);
    console.error('grid-map:', err);
    return null;
  });

  return map;
}

/** Removes the map of `element` (an interactive page leaving). */
export function unmountGridMap(element) {
  if (!(element instanceof HTMLElement) || !element._gridMap) return;
  element._gridMap.remove();
  delete element._gridMap;
  delete element._gridMapReady;
  delete element._gridLayer;
}
