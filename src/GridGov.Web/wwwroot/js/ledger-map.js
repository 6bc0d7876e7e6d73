// GridGov ledger map: shows where a unit or component is, and lets an editor choose a new place by clicking.
//
// Usage (strict-CSP friendly: no inline script, no eval, no HTML built from data):
//   <div data-ledger-map
//        data-longitude="120.61" data-latitude="31.30"      the current point (optional)
//        data-grid-geojson='{"type":"Polygon",…}'           the own grid's outline, framed (optional)
//        data-geojson-url="/api/map/grids"                  every grid's outline, for orientation (optional)
//        data-longitude-input="#lon" data-latitude-input="#lat"   pick mode: hidden inputs a click fills
//        data-tile-url="" data-tile-attribution=""></div>   optional tile layer (off = offline)
//
// In pick mode a click sets the two inputs (WGS-84, 7 decimals), moves the marker and dispatches
// "ledger:located" (bubbling, detail {longitude, latitude}), so an htmx box can show the grid.
// For tests: element._ledgerMap is the Leaflet map, element._ledgerMapReady settles after loading,
// element.dataset.mapState is "loading" | "ready" | "error", element.dataset.pointSet is "true" once a point is set.

const FALLBACK_CENTER = [31.3, 120.62];
const POINT_ZOOM = 17;

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function input(selector) {
  const found = selector ? document.querySelector(selector) : null;
  return found instanceof HTMLInputElement ? found : null;
}

function numberPair(lonText, latText) {
  const lon = Number.parseFloat(text(lonText));
  const lat = Number.parseFloat(text(latText));
  return Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
}

export function mountLedgerMap(element) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountLedgerMap: element must be an HTMLElement');
  if (element._ledgerMap) return element._ledgerMap;
  const L = globalThis.L;
  if (!L || typeof L.map !== 'function') throw new Error('ledger-map.js: Leaflet (window.L) is not loaded.');

  const lonInput = input(element.dataset.longitudeInput);
  const latInput = input(element.dataset.latitudeInput);
  const picking = Boolean(lonInput && latInput);

  const map = L.map(element, { scrollWheelZoom: picking, attributionControl: true, tap: true });
  element._ledgerMap = map;
  const tileUrl = text(element.dataset.tileUrl).trim();
  if (tileUrl) {
    const span = document.createElement('span');
    span.textContent = text(element.dataset.tileAttribution).trim();
    L.tileLayer(tileUrl, { attribution: span.innerHTML, maxZoom: 19 }).addTo(map);
  }

  let marker = null;
  function showMarker(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, {
        radius: 9, color: '#c81e1e', weight: 3, fillColor: '#ffffff', fillOpacity: 0.95, interactive: false,
      }).addTo(map);
    }
    element.dataset.pointSet = 'true';
  }

  const start = (picking ? numberPair(lonInput.value, latInput.value) : null)
    || numberPair(element.dataset.longitude, element.dataset.latitude);
  if (start) {
    showMarker([start.lat, start.lon]);
    map.setView([start.lat, start.lon], POINT_ZOOM);
  } else {
    map.setView(FALLBACK_CENTER, 13);
  }

  if (picking) {
    map.on('click', (event) => {
      lonInput.value = event.latlng.lng.toFixed(7);
      latInput.value = event.latlng.lat.toFixed(7);
      showMarker(event.latlng);
      element.classList.remove('is-invalid');
      element.dispatchEvent(new CustomEvent('ledger:located', {
        bubbles: true,
        detail: { longitude: event.latlng.lng, latitude: event.latlng.lat },
      }));
    });
  }

  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => map.invalidateSize({ debounceMoveend: true }));
    observer.observe(element);
    map.on('unload', () => observer.disconnect());
  }

  const outline = { color: '#1f6feb', weight: 1.5, opacity: 0.8, fillColor: '#1f6feb', fillOpacity: 0.06 };
  element.dataset.mapState = 'loading';
  element._ledgerMapReady = (async () => {
    let focus = null;
    const inline = text(element.dataset.gridGeojson).trim();
    if (inline) {
      focus = L.geoJSON(JSON.parse(inline), { interactive: false, style: { ...outline, weight: 2.5, fillOpacity: 0.1 } }).addTo(map);
    }
    const url = text(element.dataset.geojsonUrl).trim();
    let all = null;
    if (url) {
      const response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, credentials: 'same-origin' });
      if (!response.ok) throw new Error(`网格数据加载失败：HTTP ${response.status}`);
      const data = await response.json();
      const features = data && Array.isArray(data.features) ? data.features : [];
      // Outlines only, not interactive: a click anywhere lands on the map and chooses the point.
      all = L.geoJSON({ type: 'FeatureCollection', features }, { interactive: false, style: outline }).addTo(map);
      if (focus) focus.bringToFront();
    }
    // The own grid (when given) frames the map, with the point; otherwise the point alone, or every grid.
    const frame = focus || (start ? null : all);
    if (frame) {
      const bounds = frame.getBounds();
      if (start) bounds.extend([start.lat, start.lon]);
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    }
    element.dataset.mapState = 'ready';
    return focus || all;
  })().catch((error) => {
    element.dataset.mapState = 'error';
    console.error('ledger-map:', error);
    return null;
  });
  return map;
}

export function mountAll(root = document) {
  const found = [];
  if (root instanceof HTMLElement && root.matches('[data-ledger-map]')) found.push(root);
  if (root && typeof root.querySelectorAll === 'function') found.push(...root.querySelectorAll('[data-ledger-map]'));
  for (const element of found) {
    try {
      mountLedgerMap(element);
    } catch (error) {
      element.dataset.mapState = 'error';
      console.error('ledger-map:', error);
    }
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => mountAll(document), { once: true });
} else {
  mountAll(document);
}
