// GridGov grid editor (网格划分): the street's grids on a Leaflet map, drawn and edited with Leaflet-Geoman (free).
// The page (GridEditorPage.razor) owns every decision and every rule; this module only draws and reports shapes:
//
//   const editor = await JS.InvokeAsync<IJSObjectReference>("import", "./js/grid-editor.js");
//   await editor.InvokeVoidAsync("mount", element, { tileUrl, tileAttribution, lang }, dotNetRef);
//   showMap(element, geojsonText, selectedCode)   the grid map of a day (features: kind "community" | "grid")
//   select(element, code)                         draws a grid stronger and brings it into view
//   startDraw(element)                            draw a new polygon (snapped to the neighbours' vertices and edges)
//   startRedraw(element, code, kind)              edit a grid's (or a community's, kind "community") vertices
//   startCut(element)                             draw a line across the selected grid
//   showParts(element, parts, newIndex)           the two parts of a split ([ring, ring]); the new one highlighted
//   markShape(element, ok)                        colours the shape being drawn by the server's verdict
//   cancel(element) / dispose(element)
//
// Calls back: dotNetRef "GridClicked"(code), "ShapeChanged"(ring) with [[lng, lat], …] while drawing and after each
// edit, "CutDrawn"(points). Strict-CSP friendly: no inline script, no eval, no HTML built from data.
// For tests: element.dataset.mapState ("loading" | "ready"), element.dataset.editorMode ("view" | "draw" | "redraw" |
// "cut" | "parts"), element.dataset.loadedGrids, element._gridEditor.map (the Leaflet map).

import { createMap, leaflet, text } from './map.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
const SELECTED = { color: '#c81e1e', weight: 3, opacity: 1, fillOpacity: 0.15 };
const SHAPE_OK = { color: '#1a7f37', weight: 3, fillColor: '#2da44e', fillOpacity: 0.2 };
const SHAPE_BAD = { color: '#c81e1e', weight: 3, fillColor: '#c81e1e', fillOpacity: 0.15, dashArray: '6 4' };
const PART_KEPT = { color: '#1f6feb', weight: 2, fillColor: '#1f6feb', fillOpacity: 0.25 };
const PART_NEW = { color: '#d97706', weight: 3, fillColor: '#f59e0b', fillOpacity: 0.4 };
const SNAP = { snappable: true, snapDistance: 18, allowSelfIntersection: false };

let geomanLoading = null;

/** Leaflet-Geoman's script and stylesheet, loaded once, after Leaflet (it extends window.L). */
function ensureGeoman() {
  const L = leaflet();
  if (L.PM) return Promise.resolve();
  if (!geomanLoading) {
    geomanLoading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = 'lib/leaflet-geoman/leaflet-geoman.css';
      document.head.append(css);
      const script = document.createElement('script');
      script.src = 'lib/leaflet-geoman/leaflet-geoman.min.js';
      script.onload = () => resolve();
      script.onerror = () => {
        geomanLoading = null;
        reject(new Error('grid-editor.js: Leaflet-Geoman did not load'));
      };
      document.head.append(script);
    });
  }
  return geomanLoading;
}

function colorOf(feature) {
  const n = Number.parseInt(feature && feature.properties ? feature.properties.colorIndex : 0, 10);
  return PALETTE[Number.isFinite(n) ? ((n % PALETTE.length) + PALETTE.length) % PALETTE.length : 0];
}

function styleOf(state, feature) {
  const props = feature.properties || {};
  const color = colorOf(feature);
  if (props.kind === 'community') return { color, weight: 2, opacity: 0.8, dashArray: '4 4', fill: false, interactive: false };
  if (props.code === state.selected) return { ...SELECTED, fillColor: color };
  return { color, weight: 1.5, opacity: 0.9, fillColor: color, fillOpacity: 0.12 };
}

function ringOf(layer) {
  const latlngs = layer.getLatLngs();
  const ring = Array.isArray(latlngs[0]) ? latlngs[0] : latlngs;
  return ring.map((p) => [Math.round(p.lng * 1e7) / 1e7, Math.round(p.lat * 1e7) / 1e7]);
}

function call(state, method, ...args) {
  state.dotNet.invokeMethodAsync(method, ...args).catch((error) => console.error('grid-editor.js:', error));
}

function setMode(element, mode) {
  element.dataset.editorMode = mode;
}

export async function mount(element, options, dotNetRef) {
  if (!(element instanceof HTMLElement)) throw new TypeError('grid-editor.js: mount needs an element');
  if (element._gridEditor) return;
  element.dataset.mapState = 'loading';
  await ensureGeoman();
  const L = leaflet();
  const settings = options || {};
  const map = createMap(element, { tileUrl: settings.tileUrl, tileAttribution: settings.tileAttribution, zoomSnap: 0.25 });
  map.pm.setLang(settings.lang === 'en' ? 'en' : 'zh');
  map.pm.setGlobalOptions(SNAP);
  const state = { map, dotNet: dotNetRef, selected: null, grids: null, shape: null, parts: null, fitted: false };
  element._gridEditor = state;
  map.setView([31.3, 120.62], 13);

  map.on('pm:drawstart', ({ workingLayer, shape }) => {
    if (shape !== 'Polygon' || !workingLayer) return;
    // The rules are shown as the person draws: every new corner sends the shape so far (from three corners on).
    workingLayer.on('pm:vertexadded', () => {
      const ring = ringOf(workingLayer);
      if (ring.length >= 3) call(state, 'ShapeChanged', ring);
    });
  });
  map.on('pm:create', ({ layer, shape }) => {
    if (shape === 'Line') {
      const points = layer.getLatLngs().map((p) => [Math.round(p.lng * 1e7) / 1e7, Math.round(p.lat * 1e7) / 1e7]);
      layer.remove();
      call(state, 'CutDrawn', points);
      return;
    }
    state.shape = layer;
    layer.setStyle(SHAPE_OK);
    layer.pm.enable(SNAP);
    layer.on('pm:edit', () => call(state, 'ShapeChanged', ringOf(layer)));
    call(state, 'ShapeChanged', ringOf(layer));
  });

  if (typeof ResizeObserver === 'function') {
    state.observer = new ResizeObserver(() => map.invalidateSize({ debounceMoveend: true }));
    state.observer.observe(element);
  }
  setMode(element, 'view');
  element.dataset.mapState = 'ready';
}

/** Replaces the grids shown (today's map, or the map of a past day) and keeps the view unless it is the first. */
export function showMap(element, geojsonText, selectedCode) {
  const state = element && element._gridEditor;
  if (!state) return;
  const L = leaflet();
  cancel(element);
  if (state.grids) state.grids.remove();
  state.selected = selectedCode || null;
  const data = JSON.parse(text(geojsonText) || '{"type":"FeatureCollection","features":[]}');
  const features = Array.isArray(data.features) ? data.features : [];
  state.grids = L.geoJSON({ type: 'FeatureCollection', features }, {
    style: (feature) => styleOf(state, feature),
    onEachFeature: (feature, layer) => {
      const props = feature.properties || {};
      if (props.kind !== 'grid') return;
      layer.bindTooltip(`${text(props.code)} ${text(props.name)}`, { sticky: true });
      layer.on('click', () => {
        if (element.dataset.editorMode === 'view') call(state, 'GridClicked', String(props.code));
      });
    },
  }).addTo(state.map);
  element.dataset.loadedGrids = String(features.filter((f) => f.properties && f.properties.kind === 'grid').length);
  const bounds = state.grids.getBounds();
  if (!state.fitted && bounds.isValid()) {
    state.map.fitBounds(bounds, { padding: [8, 8] });
    state.fitted = true;
  }
  if (state.selected) select(element, state.selected);
}

function layerOf(state, code, kind = 'grid') {
  let found = null;
  if (state.grids) {
    state.grids.eachLayer((layer) => {
      const props = layer.feature && layer.feature.properties;
      if (props && props.kind === kind && props.code === code) found = layer;
    });
  }
  return found;
}

export function select(element, code) {
  const state = element && element._gridEditor;
  if (!state || !state.grids) return;
  state.selected = code || null;
  state.grids.setStyle((feature) => styleOf(state, feature));
  const layer = code ? layerOf(state, code) : null;
  if (layer) {
    layer.bringToFront();
    // At once, not animated: the map is where it will stay as soon as the grid is chosen (drawing starts from there).
    state.map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 17, animate: false });
  }
}

export function startDraw(element) {
  const state = element && element._gridEditor;
  if (!state) return;
  cancel(element);
  setMode(element, 'draw');
  state.map.pm.enableDraw('Polygon', { ...SNAP, templineStyle: { color: '#1a7f37' }, hintlineStyle: { color: '#1a7f37', dashArray: '5 5' } });
}

/** Edits a copy of a grid (or of a community's outline, kind "community"): the map stays as it is until the page saves. */
export function startRedraw(element, code, kind = 'grid') {
  const state = element && element._gridEditor;
  const L = leaflet();
  const layer = state ? layerOf(state, code, kind) : null;
  if (!layer) return;
  cancel(element);
  setMode(element, 'redraw');
  const copy = L.polygon(layer.getLatLngs(), SHAPE_OK).addTo(state.map);
  state.shape = copy;
  layer.setStyle({ opacity: 0.3, fillOpacity: 0.05 });
  copy.pm.enable(SNAP);
  copy.on('pm:edit', () => call(state, 'ShapeChanged', ringOf(copy)));
}

export function startCut(element) {
  const state = element && element._gridEditor;
  if (!state) return;
  cancel(element);
  setMode(element, 'cut');
  state.map.pm.enableDraw('Line', { snappable: true, snapDistance: 18, templineStyle: { color: '#d97706' } });
}

export function showParts(element, parts, newIndex) {
  const state = element && element._gridEditor;
  if (!state || !Array.isArray(parts)) return;
  const L = leaflet();
  if (state.parts) state.parts.remove();
  state.parts = L.featureGroup(parts.map((ring, i) =>
    L.polygon(ring.map(([lng, lat]) => [lat, lng]), i === newIndex ? PART_NEW : PART_KEPT))).addTo(state.map);
  setMode(element, 'parts');
}

export function markShape(element, ok) {
  const state = element && element._gridEditor;
  if (state && state.shape) state.shape.setStyle(ok ? SHAPE_OK : SHAPE_BAD);
  if (element) element.dataset.shapeOk = ok ? 'true' : 'false';
}

/** Ends any drawing or editing and removes what was drawn; the grids stay as they are. */
export function cancel(element) {
  const state = element && element._gridEditor;
  if (!state) return;
  state.map.pm.disableDraw();
  if (state.shape) {
    state.shape.pm.disable();
    state.shape.remove();
    state.shape = null;
  }
  if (state.parts) {
    state.parts.remove();
    state.parts = null;
  }
  if (state.grids) state.grids.setStyle((feature) => styleOf(state, feature));
  delete element.dataset.shapeOk;
  setMode(element, 'view');
}

export function dispose(element) {
  const state = element && element._gridEditor;
  if (!state) return;
  if (state.observer) state.observer.disconnect();
  state.map.remove();
  delete element._gridEditor;
  delete element.dataset.mapState;
}
