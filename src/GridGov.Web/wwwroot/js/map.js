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
//   draw                       true: clicks serve the mode set by setMode: "track" adds a vertex to the line
//                              (dotNetRef "TrackPointAdded"(longitude, latitude)), "point" calls "PointPicked" once
//                              and returns to "track"; the page owns the line and sends it back with setTrack
//   select                     true: outlines are clickable and call dotNetRef "GridSelected"(code)
//   palette                    true: outlines are filled by properties.colorIndex (a community's colour)
//
// Strict-CSP friendly: no inline script, no eval, no HTML built from data.
// For tests: element._map is the Leaflet map; element.dataset.mapState is "loading" | "ready" | "error";
// element.dataset.pointSet is "true" once a point is shown; element.dataset.loadedFeatures the outlines drawn;
// element.dataset.trackPoints the vertices of the line shown; element.dataset.mapMode the click mode.

const FALLBACK_CENTER = [31.3, 120.62]; // only when there is nothing to fit
const POINT_ZOOM = 17;
const OUTLINE = { color: '#1f6feb', weight: 1, opacity: 0.6, fillColor: '#1f6feb', fillOpacity: 0.04 };
const OWN = { color: '#1a7f37', weight: 3, opacity: 0.9, fillColor: '#2da44e', fillOpacity: 0.1 };
const TRACK = { color: '#d1242f', weight: 3, opacity: 0.9 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

// ---- Building blocks every map module of the app shares (grid-map, dashboard-map, case-map, patrol-map) ----

/** Leaflet, loaded by App.razor before any module runs. */
export function leaflet() {
  const L = globalThis.L;
  if (!L || typeof L.map !== 'function') throw new Error('Leaflet (window.L) is not loaded; App.razor includes /lib/leaflet/leaflet.js.');
  return L;
}

/** A value as text ('' for null/undefined). */
export function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

/** Creates an element whose content is plain text (never parsed as HTML). */
export function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = text(content);
  return node;
}

/** Puts `value` into the {0} of a label. */
export function format(template, value) {
  return text(template).replace('{0}', text(value));
}

/**
 * A Leaflet map on `element` with the configured tile layer (none when tileUrl is empty: the app works offline).
 * Leaflet renders the attribution as HTML: it goes in as text.
 */
export function createMap(element, { tileUrl = '', tileAttribution = '', ...mapOptions } = {}) {
  const L = leaflet();
  const map = L.map(element, { zoomControl: true, attributionControl: true, ...mapOptions });
  const url = text(tileUrl).trim();
  if (url) {
    const attribution = text(tileAttribution).trim();
    L.tileLayer(url, { attribution: attribution ? el('span', null, attribution).innerHTML : '', maxZoom: 19 }).addTo(map);
  }
  return map;
}

/** The map's loading state for tests and assistive technology: "loading" | "ready" | "error". */
export function setStatus(element, state, { count, error } = {}) {
  element.dataset.mapState = state;
  if (count !== undefined) element.dataset.loadedFeatures = String(count);
  if (error) element.dataset.loadError = error;
  else delete element.dataset.loadError;
  element.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
}

/** Shows a load failure inside the map (one box, replaced on the next failure). */
export function showError(element, message) {
  let box = element.querySelector(':scope > .gg-map-error');
  if (!box) {
    box = el('div', 'gg-map-error');
    box.setAttribute('role', 'alert');
    element.append(box);
  }
  box.textContent = message;
}

/** GETs JSON (GeoJSON) from the app with the person's cookie; throws on a non-2xx answer. */
export async function fetchJson(url, { cache = 'default' } = {}) {
  const response = await fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, credentials: 'same-origin', cache });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

// ---- The interactive pages' map (report, patrol, ledgers, grid directory) ----

function round(value) {
  return Math.round(value * 1e7) / 1e7;
}

export function mount(element, options, dotNetRef) {
  if (!(element instanceof HTMLElement)) throw new TypeError('map.js: mount needs an element');
  if (element._map) return;
  const L = leaflet();
  const settings = options || {};
  const map = createMap(element, { tileUrl: settings.tileUrl, tileAttribution: settings.tileAttribution, zoomSnap: 0.25 });
  element._map = map;
  element.dataset.mapState = 'loading';

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

  if (settings.draw && dotNetRef) {
    setMode(element, settings.mode || 'track');
    map.on('click', (event) => {
      const latlng = L.latLng(round(event.latlng.lat), round(event.latlng.lng));
      if (element.dataset.mapMode === 'point') {
        setMode(element, 'track');
        dotNetRef.invokeMethodAsync('PointPicked', latlng.lng, latlng.lat).catch((error) => console.error('map.js:', error));
      } else if (element.dataset.mapMode === 'track') {
        drawTrack(element, [...(element._mapTrackPoints || []), [latlng.lng, latlng.lat]], false);
        dotNetRef.invokeMethodAsync('TrackPointAdded', latlng.lng, latlng.lat).catch((error) => console.error('map.js:', error));
      }
    });
  } else if (settings.pick && dotNetRef) {
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
  if (Array.isArray(settings.track) && settings.track.length > 0) drawTrack(element, settings.track, true);

  // Until the person moves the map or chooses a point, keep the focus in view while the layout settles.
  let moved = false;
  map.on('dragstart', () => { moved = true; });
  const refit = () => {
    if (element._mapFocusBounds && !moved && element.dataset.pointSet !== 'true') map.fitBounds(element._mapFocusBounds, { padding: [8, 8] });
  };
  element._mapRefit = refit;
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
  element._mapFocus = new Set(Array.isArray(settings.focusCodes) ? settings.focusCodes : []);
  fetch(url, { headers: { Accept: 'application/geo+json, application/json' }, credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error(`grids: HTTP ${response.status}`);
      return response.json();
    })
    .then((data) => {
      if (!element._map) return;
      const features = data && Array.isArray(data.features) ? data.features : [];
      // Outlines only, not interactive unless the page selects grids by them: a tap anywhere else lands on the map.
      const all = L.geoJSON({ type: 'FeatureCollection', features }, {
        interactive: settings.select === true,
        style: (feature) => styleOf(element, feature, settings.palette === true),
        onEachFeature: (feature, layer) => {
          const code = feature && feature.properties ? feature.properties.code : undefined;
          if (settings.select === true && dotNetRef && code) {
            layer.on('click', () => dotNetRef.invokeMethodAsync('GridSelected', String(code)).catch((error) => console.error('map.js:', error)));
          }
        },
      }).addTo(map);
      element._mapOutlines = all;
      element._mapPalette = settings.palette === true;
      element.dataset.loadedFeatures = String(features.length);
      fitFocus(element);
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
  for (const key of ['_map', '_mapShow', '_mapObserver', '_mapRefit', '_mapFocus', '_mapFocusBounds', '_mapOutlines', '_mapPalette',
    '_mapTrack', '_mapTrackPoints', '_mapMarkers']) {
    delete element[key];
  }
  delete element.dataset.mapState;
  delete element.dataset.loadedFeatures;
}

function styleOf(element, feature, palette) {
  const code = feature && feature.properties ? feature.properties.code : undefined;
  if (element._mapFocus && element._mapFocus.has(code)) return OWN;
  if (!palette) return OUTLINE;
  const n = Number.parseInt(feature.properties.colorIndex, 10);
  const color = PALETTE[Number.isFinite(n) ? ((n % PALETTE.length) + PALETTE.length) % PALETTE.length : 0];
  return { color, weight: 1.5, opacity: 0.9, fillColor: color, fillOpacity: 0.3 };
}

/** Fits the map to the focused outlines (or to all of them when none is focused). */
function fitFocus(element) {
  const L = leaflet();
  const all = element._mapOutlines;
  if (!all) return;
  const own = [];
  all.eachLayer((layer) => {
    if (element._mapFocus.has(layer.feature && layer.feature.properties ? layer.feature.properties.code : undefined)) own.push(layer);
  });
  const bounds = own.length > 0 ? L.featureGroup(own).getBounds() : all.getBounds();
  if (bounds.isValid()) {
    element._mapFocusBounds = bounds;
    element._map.invalidateSize();
    element._mapRefit();
  }
  element.dataset.focused = String(own.length);
}

/** Draws the chosen grids stronger and brings them into view (the grid chosen on a form, the row chosen in a list). */
export function setFocus(element, codes) {
  if (!element || !element._map) return;
  element._mapFocus = new Set(Array.isArray(codes) ? codes : []);
  if (!element._mapOutlines) return; // applied once the outlines arrive
  const palette = element._mapPalette;
  element._mapOutlines.setStyle((feature) => styleOf(element, feature, palette));
  const bounds = element._mapFocusBounds;
  fitFocus(element);
  if (element._mapFocusBounds && element._mapFocusBounds !== bounds) {
    element._map.fitBounds(element._mapFocusBounds, { padding: [16, 16], maxZoom: 17 });
  }
}

function drawTrack(element, coordinates, fit) {
  const L = leaflet();
  const points = (Array.isArray(coordinates) ? coordinates : [])
    .filter((c) => Array.isArray(c) && Number.isFinite(c[0]) && Number.isFinite(c[1]));
  element._mapTrackPoints = points;
  const latlngs = points.map(([lng, lat]) => [lat, lng]);
  if (element._mapTrack) element._mapTrack.setLatLngs(latlngs);
  else element._mapTrack = L.polyline(latlngs, { ...TRACK, interactive: false }).addTo(element._map);
  element.dataset.trackPoints = String(points.length);
  if (fit && latlngs.length > 1) element._map.fitBounds(element._mapTrack.getBounds(), { padding: [16, 16] });
}

/** Shows the line [[longitude, latitude], …] the page holds (drawn, undone, cleared or read from a file). */
export function setTrack(element, coordinates, fit) {
  if (!element || !element._map) return;
  drawTrack(element, coordinates, fit === true);
}

/** What a click does on a drawing map: "track" adds a vertex, "point" picks one point (then back to "track"), "none". */
export function setMode(element, mode) {
  if (!element) return;
  element.dataset.mapMode = mode === 'point' || mode === 'track' ? mode : 'none';
  element.classList.toggle('map-picking', mode === 'point');
}

/** Numbered pins [{longitude, latitude, label}] (the problems found on a patrol); the label goes in as text. */
export function setMarkers(element, markers) {
  if (!element || !element._map) return;
  const L = leaflet();
  (element._mapMarkers || []).forEach((marker) => marker.remove());
  element._mapMarkers = (Array.isArray(markers) ? markers : [])
    .filter((m) => m && Number.isFinite(m.longitude) && Number.isFinite(m.latitude))
    .map((m) => {
      const marker = L.marker([m.latitude, m.longitude], {
        icon: L.divIcon({ className: 'map-pin', html: '', iconSize: [22, 22] }), interactive: false, keyboard: false,
      }).addTo(element._map);
      const label = document.createElement('span');
      label.textContent = String(m.label ?? '');
      marker.getElement()?.append(label);
      return marker;
    });
  element.dataset.markers = String(element._mapMarkers.length);
}
