// GridGov's shared Leaflet module for interactive (Blazor) pages, imported through IJSRuntime:
//
//   const map = await JS.InvokeAsync<IJSObjectReference>("import", "./js/map.js");
//   await map.InvokeVoidAsync("mount", element, options, dotNetRef);
//
// options (all optional):
//   tileUrl, tileAttribution   a tile layer (empty = none, works offline)
//   geojsonUrl                 grid outlines (FeatureCollection whose features carry properties.code)
//   focusCodes                 grid codes to open zoomed on (the person's own grids), drawn stronger;
//                              empty = fit every outline
//   point {longitude, latitude}  a marker to show at start
//   pick                       true: a click (tap) places the marker and calls dotNetRef.invokeMethodAsync(
//                              "PointPicked", longitude, latitude) with WGS-84 coordinates, 7 decimals
//
// Strict-CSP friendly: no inline script, no eval, no HTML built from data.
// For tests: element._map is the Leaflet map; element.dataset.mapState is "loading" | "ready" | "error";
// element.dataset.pointSet is "true" once a point is shown.

const FALLBACK_CENTER = [31.3, 120.62]; // only when there is nothing to fit
const POINT_ZOOM = 17;
const OUTLINE = { color: '#1f6feb', weight: 1, opacity: 0.6, fillColor: '#1f6feb', fillOpacity: 0.04 };
const OWN = { color: '#1a7f37', weight: 3, opacity: 0.9, fillColor: '#2da44e', fillOpacity: 0.1 };

function leaflet() {
  const L = globalThis.L;
  if (!L || typeof L.map !== 'function') throw new Error('map.js: Leaflet (window.L) is not loaded.');
  return L;
}

function round(value) {
  return Math.round(value * 1e7) / 1e7;
}

export function mount(element, options, dotNetRef) {
  if (!(element instanceof HTMLElement)) throw new TypeError('map.js: mount needs an element');
  if (element._map) return;
  const L = leaflet();
  const settings = options || {};
  const map = L.map(element, { zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
  element._map = map;
  element.dataset.mapState = 'loading';

  const tileUrl = (settings.tileUrl || '').trim();
  if (tileUrl) {
    const span = document.createElement('span');
    span.textContent = String(settings.tileAttribution || '').trim();
    L.tileLayer(tileUrl, { attribution: span.innerHTML, maxZoom: 19 }).addTo(map);
  }

  let marker = null;
  const show = (latlng) => {
    if (marker) marker.setLatLng(latlng);
    else {
      marker = L.circleMarker(latlng, {
        radius: 9, color: '#c81e1e', weight: 3, fillColor: '#ffffff', fillOpacity: 0.95, interactive: false,
      }).addTo(map);
    }
    element.dataset.pointSet = 'true';
  };
  element._mapShow = show;

  if (settings.pick && dotNetRef) {
    map.on('click', (event) => {
      const latlng = L.latLng(round(event.latlng.lat), round(event.latlng.lng));
      show(latlng);
      // A tap on the whole-area view is rough: zoom in so the next tap can be exact.
      if (map.getZoom() < POINT_ZOOM - 1) map.setView(latlng, POINT_ZOOM - 1);
      dotNetRef.invokeMethodAsync('PointPicked', latlng.lng, latlng.lat).catch((error) => console.error('map.js:', error));
    });
  }

  const start = settings.point && Number.isFinite(settings.point.longitude) && Number.isFinite(settings.point.latitude)
    ? L.latLng(settings.point.latitude, settings.point.longitude) : null;
  if (start) {
    show(start);
    map.setView(start, POINT_ZOOM);
  } else {
    map.setView(FALLBACK_CENTER, 13);
  }

  // Until the person moves the map or chooses a point, keep the focus in view while the layout settles.
  let focusBounds = null;
  let moved = false;
  map.on('dragstart', () => { moved = true; });
  const refit = () => {
    if (focusBounds && !moved && element.dataset.pointSet !== 'true') map.fitBounds(focusBounds, { padding: [8, 8] });
  };
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(() => {
      map.invalidateSize({ debounceMoveend: true });
      refit();
    });
    observer.observe(element);
    element._mapObserver = observer;
  }

  const url = (settings.geojsonUrl || '').trim();
  if (!url) {
    element.dataset.mapState = 'ready';
    return;
  }
  const focus = new Set(Array.isArray(settings.focusCodes) ? settings.focusCodes : []);
  fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`grids: HTTP ${response.status}`);
      return response.json();
    })
    .then((data) => {
      if (!element._map) return;
      const features = data && Array.isArray(data.features) ? data.features : [];
      const isOwn = (feature) => focus.has(feature && feature.properties ? feature.properties.code : undefined);
      // Outlines only, not interactive: a tap anywhere lands on the map.
      const all = L.geoJSON({ type: 'FeatureCollection', features }, {
        interactive: false,
        style: (feature) => (isOwn(feature) ? OWN : OUTLINE),
      }).addTo(map);
      const own = features.filter(isOwn);
      const bounds = own.length > 0 ? L.geoJSON({ type: 'FeatureCollection', features: own }).getBounds() : all.getBounds();
      if (bounds.isValid()) {
        focusBounds = bounds;
        map.invalidateSize();
        refit();
      }
      element.dataset.focused = String(own.length);
      element.dataset.mapState = 'ready';
    })
    .catch((error) => {
      element.dataset.mapState = 'error';
      console.error('map.js:', error);
    });
}

/** Moves the marker (and the view) to a point chosen outside the map, e.g. by "use my location". */
export function showPoint(element, longitude, latitude) {
  if (!element || !element._map || !element._mapShow) return;
  const latlng = leaflet().latLng(latitude, longitude);
  element._mapShow(latlng);
  element._map.setView(latlng, POINT_ZOOM);
}

/**
 * The device's position, or null when the browser refuses (it allows it on https and localhost only).
 * Resolves to {longitude, latitude} rounded to 7 decimals.
 */
export function locate() {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator) || !globalThis.isSecureContext) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ longitude: round(position.coords.longitude), latitude: round(position.coords.latitude) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
    );
  });
}

/** Whether "use my location" can work here at all. */
export function canLocate() {
  return 'geolocation' in navigator && globalThis.isSecureContext === true;
}

export function dispose(element) {
  if (!element || !element._map) return;
  if (element._mapObserver) element._mapObserver.disconnect();
  element._map.remove();
  delete element._map;
  delete element._mapShow;
  delete element._mapObserver;
}
