// GridGov patrol form (登记巡查): draw the route on a Leaflet map with leaflet-geoman, and place the problems found.
//
// <div data-patrol-draw
//      data-grids='{"320508…001":{"type":"Polygon",…},…}'  the patroller's grids (GeoJSON geometries)
//      data-grid-select="#grid"        the <select> of grid codes: its grid is outlined and fitted
//      data-track-input="#track"       hidden input that receives the drawn line as a GeoJSON geometry
//      data-file-input="#file"         file input: once a file is chosen, it is what the form sends
//      data-text-file-chosen="…{0}" data-text-drawn="…" data-text-pick="…"
//      data-tile-url="" data-tile-attribution=""></div>
// Problems: [data-patrol-problems] holds fieldsets [data-patrol-problem] with [data-problem-pick],
// [data-problem-longitude], [data-problem-latitude], [data-problem-remove]; a <template id="patrol-problem-template">
// (index "__i__") makes new ones; field names are renumbered Input.Problems[0…n-1] so the server binds a list.
//
// Needs /lib/leaflet-geoman/leaflet-geoman.min.js (loaded with defer before this module); without it the form
// still works by file upload. No inline script; every text goes in through textContent.
// For tests: element._patrolDrawMap is the map; element.dataset.mapState is "ready"; element._patrolDrawSetTrack(latlngs)
// draws a line as if by hand.

const GRID_STYLE = { color: '#1f6feb', weight: 2, opacity: 0.9, fillOpacity: 0.05 };
const TRACK_STYLE = { color: '#d1242f', weight: 3 };
const FALLBACK_CENTER = [31.3, 120.62];

function format(template, ...values) {
  return String(template || '').replace(/\{(\d+)\}/g, (_, i) => String(values[Number(i)] ?? ''));
}

function query(selector) {
  return selector ? document.querySelector(selector) : null;
}

function mountDrawMap(element) {
  if (element._patrolDrawMap) return element._patrolDrawMap;
  const L = globalThis.L;
  if (!L || typeof L.map !== 'function') throw new Error('patrol-draw.js: Leaflet (window.L) is not loaded.');
  const form = element.closest('form');
  const trackInput = query(element.dataset.trackInput);
  const gridSelect = query(element.dataset.gridSelect);
  const fileInput = query(element.dataset.fileInput);
  const status = form?.querySelector('[data-patrol-draw-status]');
  let grids = {};
  try {
    grids = JSON.parse(element.dataset.grids || '{}') || {};
  } catch {
    grids = {};
  }

  const map = L.map(element, { zoomControl: true, attributionControl: true });
  element._patrolDrawMap = map;
  const tileUrl = (element.dataset.tileUrl || '').trim();
  if (tileUrl) {
    const span = document.createElement('span');
    span.textContent = element.dataset.tileAttribution || '';
    L.tileLayer(tileUrl, { attribution: span.innerHTML, maxZoom: 19 }).addTo(map);
  }
  map.setView(FALLBACK_CENTER, 15);

  // ---- the grid ----
  let gridLayer = null;
  function showGrid(fit) {
    if (gridLayer) gridLayer.remove();
    gridLayer = null;
    const geometry = gridSelect ? grids[gridSelect.value] : null;
    if (!geometry) return;
    gridLayer = L.geoJSON(geometry, { style: GRID_STYLE, interactive: false, pmIgnore: true }).addTo(map);
    if (fit) {
      const bounds = gridLayer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
    }
  }
  gridSelect?.addEventListener('change', () => showGrid(true));
  showGrid(true);

  // ---- the track ----
  let trackLayer = null;
  function say(text) {
    if (status) status.textContent = text;
  }
  function writeTrack() {
    if (!trackInput) return;
    if (!trackLayer) {
      trackInput.value = '';
      return;
    }
    trackInput.value = JSON.stringify(trackLayer.toGeoJSON().geometry);
    if (!fileInput?.files?.length) say(element.dataset.textDrawn || '');
  }
  function adopt(layer) {
    if (trackLayer && trackLayer !== layer) trackLayer.remove();
    trackLayer = layer;
    layer.setStyle?.(TRACK_STYLE);
    layer.on('pm:edit', writeTrack);
    writeTrack();
  }
  element._patrolDrawSetTrack = (latlngs) => {
    adopt(L.polyline(latlngs, TRACK_STYLE).addTo(map));
    return trackInput?.value;
  };

  if (trackInput?.value) {
    try {
      const geometry = JSON.parse(trackInput.value);
      if (geometry?.type === 'LineString' && Array.isArray(geometry.coordinates)) {
        trackLayer = L.polyline(geometry.coordinates.map(([lon, lat]) => [lat, lon]), TRACK_STYLE).addTo(map);
        trackLayer.on('pm:edit', writeTrack);
        const bounds = trackLayer.getBounds();
        if (bounds.isValid()) map.fitBounds(gridLayer ? bounds.extend(gridLayer.getBounds()) : bounds, { padding: [16, 16] });
      }
    } catch {
      trackInput.value = '';
    }
  }

  if (map.pm) {
    if ((document.documentElement.lang || '').startsWith('zh')) map.pm.setLang('zh');
    map.pm.addControls({
      position: 'topleft',
      drawMarker: false,
      drawCircleMarker: false,
      drawPolygon: false,
      drawRectangle: false,
      drawCircle: false,
      drawText: false,
      drawPolyline: true,
      editMode: true,
      dragMode: false,
      cutPolygon: false,
      rotateMode: false,
      removalMode: true,
    });
    map.pm.setPathOptions(TRACK_STYLE);
    map.on('pm:create', (event) => {
      if (event.shape === 'Line') adopt(event.layer);
    });
    map.on('pm:remove', (event) => {
      if (event.layer === trackLayer) {
        trackLayer = null;
        writeTrack();
      }
    });
  }

  fileInput?.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) say(format(element.dataset.textFileChosen, file.name));
    else if (trackLayer) say(element.dataset.textDrawn || '');
  });

  mountProblems(form, map, element);

  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => map.invalidateSize({ debounceMoveend: true }));
    observer.observe(element);
  }
  element.dataset.mapState = 'ready';
  return map;
}

// ---- problems found: a numbered pin per block, placed by clicking the map ----
function mountProblems(form, map, element) {
  const list = form?.querySelector('[data-patrol-problems]');
  if (!list) return;
  const template = form.querySelector('#patrol-problem-template');
  const addButton = form.querySelector('[data-patrol-add-problem]');
  const max = Number(list.dataset.max) || 5;
  const pins = new Map();
  let armed = null;

  function blocks() {
    return Array.from(list.querySelectorAll('[data-patrol-problem]'));
  }

  function pinFor(block, index) {
    const lon = Number.parseFloat(block.querySelector('[data-problem-longitude]')?.value);
    const lat = Number.parseFloat(block.querySelector('[data-problem-latitude]')?.value);
    pins.get(block)?.remove();
    pins.delete(block);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    const number = document.createElement('span');
    number.textContent = String(index + 1);
    const marker = L.marker([lat, lon], { icon: L.divIcon({ className: 'patrol-report-pin', html: '', iconSize: [22, 22] }), pmIgnore: true }).addTo(map);
    marker.getElement()?.append(number);
    pins.set(block, marker);
  }

  function renumber() {
    const all = blocks();
    all.forEach((block, i) => {
      block.dataset.index = String(i);
      block.querySelectorAll('[name]').forEach((field) => {
        field.name = field.name.replace(/Input\.Problems\[(?:\d+|__i__)\]/, `Input.Problems[${i}]`);
      });
      block.querySelectorAll('[id]').forEach((field) => {
        field.id = field.id.replace(/^problem-(?:\d+|__i__)-/, `problem-${i}-`);
      });
      block.querySelectorAll('label[for]').forEach((label) => {
        label.htmlFor = label.htmlFor.replace(/^problem-(?:\d+|__i__)-/, `problem-${i}-`);
      });
      const number = block.querySelector('[data-problem-number]');
      if (number) number.textContent = String(i + 1);
      const remove = block.querySelector('[data-problem-remove]');
      if (remove) remove.hidden = all.length < 2;
      pinFor(block, i);
    });
    if (addButton) addButton.hidden = all.length >= max || !template;
  }

  function wire(block) {
    const pick = block.querySelector('[data-problem-pick]');
    if (pick) {
      pick.hidden = false;
      pick.addEventListener('click', () => {
        armed = block;
        map.pm?.disableDraw?.();
        element.classList.add('patrol-picking');
        pick.classList.add('active');
      });
    }
    block.querySelectorAll('[data-problem-longitude], [data-problem-latitude]').forEach((field) => {
      field.addEventListener('change', () => pinFor(block, blocks().indexOf(block)));
    });
    block.querySelector('[data-problem-remove]')?.addEventListener('click', () => {
      pins.get(block)?.remove();
      pins.delete(block);
      block.remove();
      renumber();
    });
  }

  map.on('click', (event) => {
    if (!armed || map.pm?.globalDrawModeEnabled?.()) return;
    const block = armed;
    armed = null;
    element.classList.remove('patrol-picking');
    block.querySelector('[data-problem-pick]')?.classList.remove('active');
    const lon = block.querySelector('[data-problem-longitude]');
    const lat = block.querySelector('[data-problem-latitude]');
    if (lon) lon.value = event.latlng.lng.toFixed(7);
    if (lat) lat.value = event.latlng.lat.toFixed(7);
    pinFor(block, blocks().indexOf(block));
  });

  addButton?.addEventListener('click', () => {
    if (!template || blocks().length >= max) return;
    const fragment = template.content.cloneNode(true);
    const block = fragment.querySelector('[data-patrol-problem]');
    list.append(fragment);
    if (block) wire(block);
    renumber();
  });

  blocks().forEach(wire);
  renumber();
}

function mountSubmit(form) {
  form.addEventListener('submit', () => {
    const button = form.querySelector('[type="submit"]');
    if (button instanceof HTMLButtonElement) {
      // Disabled after the browser has collected the fields, so the click still submits once.
      setTimeout(() => {
        button.disabled = true;
        if (button.dataset.busyText) button.textContent = button.dataset.busyText;
      }, 0);
    }
  });
}

function mountAll(root = document) {
  root.querySelectorAll('[data-patrol-draw]').forEach((element) => {
    try {
      mountDrawMap(element);
    } catch (error) {
      element.dataset.mapState = 'error';
      console.error('patrol-draw:', error);
    }
  });
  root.querySelectorAll('form[data-patrol-form]').forEach(mountSubmit);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mountAll(document), { once: true });
else mountAll(document);
