// GridGov report map: choose where a problem is by clicking (or tapping) a Leaflet map.
//
// Usage (strict-CSP friendly: no inline script, no eval, no HTML built from data):
//   <div data-report-map
//        data-geojson-url="/api/map/grids"          grids drawn as a light outline for orientation
//        data-longitude-input="#lon" data-latitude-input="#lat"   hidden inputs this map fills
//        data-locate-button="#btn" data-locate-message="#msg"     optional "use my location"
//        data-tile-url="" data-tile-attribution=""></div>         optional tile layer (off = offline)
//
// A click sets the two inputs (WGS-84, 7 decimals), moves the marker and dispatches "report:located"
// (bubbling, detail {longitude, latitude}) so htmx fragments (grid, duplicates) refresh.
// Inputs that already hold a point (the form came back with an error) show it at start.
//
// For tests: element._reportMap is the Leaflet map; element._reportMapReady settles after the grids
// load; element.dataset.mapState is "loading" | "ready" | "error"; element.dataset.pointSet is
// "true" once a point is chosen.

const FALLBACK_CENTER = [31.3, 120.62]; // only when there is nothing to fit
const POINT_ZOOM = 17;

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function input(selector) {
  const found = selector ? document.querySelector(selector) : null;
  return found instanceof HTMLInputElement ? found : null;
}

function pointOf(lonInput, latInput) {
  const lon = Number.parseFloat(lonInput.value);
  const lat = Number.parseFloat(latInput.value);
  return Number.isFinite(lon) && Number.isFinite(lat) ? { lon, lat } : null;
}

export function mountReportMap(element) {
  if (!(element instanceof HTMLElement)) throw new TypeError('mountReportMap: element must be an HTMLElement');
  if (element._reportMap) return element._reportMap;

  const L = globalThis.L;
  if (!L || typeof L.map !== 'function') throw new Error('report-map.js: Leaflet (window.L) is not loaded.');
  const lonInput = input(element.dataset.longitudeInput);
  const latInput = input(element.dataset.latitudeInput);
  if (!lonInput || !latInput) throw new Error('report-map.js: data-longitude-input / data-latitude-input must name two inputs.');

  const map = L.map(element, { zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
  element._reportMap = map;
  const tileUrl = (element.dataset.tileUrl || '').trim();
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
  }

  function place(latlng) {
    lonInput.value = latlng.lng.toFixed(7);
    latInput.value = latlng.lat.toFixed(7);
    showMarker(latlng);
    element.dataset.pointSet = 'true';
    element.classList.remove('is-invalid');
    element.dispatchEvent(new CustomEvent('report:located', {
      bubbles: true,
      detail: { longitude: latlng.lng, latitude: latlng.lat },
    }));
  }
  element._reportMapPlace = place;
  map.on('click', (event) => {
    place(event.latlng);
    // A tap on the whole-street view is rough: zoom in so the next tap can be exact.
    if (map.getZoom() < POINT_ZOOM - 1) map.setView(event.latlng, POINT_ZOOM - 1);
  });

  const start = pointOf(lonInput, latInput);
  if (start) {
    showMarker([start.lat, start.lon]);
    element.dataset.pointSet = 'true';
    map.setView([start.lat, start.lon], POINT_ZOOM);
  } else {
    map.setView(FALLBACK_CENTER, 13);
  }

  // Until the user chooses a point or moves the map, keep the whole street in view as the layout settles.
  let streetBounds = null;
  let userMoved = false;
  map.on('dragstart', () => { userMoved = true; });
  const refit = () => {
    if (streetBounds && !userMoved && element.dataset.pointSet !== 'true') map.fitBounds(streetBounds, { padding: [8, 8] });
  };
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => {
      map.invalidateSize({ debounceMoveend: true });
      refit();
    });
    observer.observe(element);
    map.on('unload', () => observer.disconnect());
  }

  mountLocate(element, map, place);

  element.dataset.mapState = 'loading';
  element._reportMapReady = (async () => {
    const url = (element.dataset.geojsonUrl || '').trim();
    if (!url) return null;
    const response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`网格数据加载失败：HTTP ${response.status}`);
    const data = await response.json();
    const features = data && Array.isArray(data.features) ? data.features : [];
    // Outlines only, and not interactive: a click anywhere lands on the map and chooses the point.
    const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      interactive: false,
      style: { color: '#1f6feb', weight: 1, opacity: 0.7, fillColor: '#1f6feb', fillOpacity: 0.06 },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      streetBounds = bounds;
      map.invalidateSize();
      refit();
    }
    element.dataset.mapState = 'ready';
    return layer;
  })().catch((error) => {
    element.dataset.mapState = 'error';
    console.error('report-map:', error);
    return null;
  });
  return map;
}

/** "Use my location": browsers allow it on https (or localhost) only; the button stays hidden otherwise. */
function mountLocate(element, map, place) {
  const button = element.dataset.locateButton ? document.querySelector(element.dataset.locateButton) : null;
  const message = element.dataset.locateMessage ? document.querySelector(element.dataset.locateMessage) : null;
  if (!(button instanceof HTMLButtonElement) || !('geolocation' in navigator) || !globalThis.isSecureContext) return;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = button.dataset.busyText || label;
    if (message) message.textContent = '';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(latlng, POINT_ZOOM);
        place(latlng);
        button.disabled = false;
        button.textContent = label;
      },
      () => {
        if (message) message.textContent = button.dataset.failedText || '';
        button.disabled = false;
        button.textContent = label;
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
    );
  });
}

export function mountAll(root = document) {
  const found = [];
  if (root instanceof HTMLElement && root.matches('[data-report-map]')) found.push(root);
  if (root && typeof root.querySelectorAll === 'function') found.push(...root.querySelectorAll('[data-report-map]'));
  for (const element of found) {
    try {
      mountReportMap(element);
    } catch (error) {
      element.dataset.mapState = 'error';
      console.error('report-map:', error);
    }
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => mountAll(document), { once: true });
} else {
  mountAll(document);
}
