// A small map of one case: its grid's boundary and the reported point. An ES module: the case page imports it and
// calls mount(element) after its first render.
// <div data-case-map data-longitude="…" data-latitude="…" data-grid-geojson='{"type":"Polygon",…}'>
import { createMap, leaflet } from './map.js';

export function mount(element) {
  if (!element || element._caseMap) return;
  const L = leaflet();
  const longitude = Number(element.dataset.longitude);
  const latitude = Number(element.dataset.latitude);
  const map = createMap(element, { tileUrl: element.dataset.tileUrl, scrollWheelZoom: false, attributionControl: false });
  element._caseMap = map;
  let outline = null;
  if (element.dataset.gridGeojson) {
    try {
      outline = L.geoJSON(JSON.parse(element.dataset.gridGeojson), {
        style: { color: '#2563eb', weight: 2, fillOpacity: 0.08 },
      });
    } catch {
      // A malformed boundary only costs the outline; the point still shows.
    }
  }
  const point = L.latLng(latitude, longitude);
  // The view first: Leaflet cannot draw vector layers on a map that has none yet.
  const bounds = outline ? outline.getBounds() : null;
  if (bounds && bounds.isValid()) map.fitBounds(bounds.extend(point), { padding: [12, 12] });
  else map.setView(point, 17);
  if (outline) outline.addTo(map);
  L.circleMarker(point, { radius: 8, color: '#dc2626', weight: 2, fillColor: '#ef4444', fillOpacity: 0.9 }).addTo(map);
  element.dataset.mapState = 'ready';
}
