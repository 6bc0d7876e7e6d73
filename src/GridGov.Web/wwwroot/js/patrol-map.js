// GridGov patrol map (巡查详情): one patrol's grid, the area its track covers, the track, and the problems it reported.
// The patrol page imports it and calls mountPatrolMap(element) once the circuit renders.
//
// <div data-patrol-map
//      data-geojson-url="/patrols/17/map"     FeatureCollection from PostGIS: features with properties.kind
//                                              "grid" (outline), "covered" (grid ∩ buffer of the track), "track" (the line)
//      data-reports='[{"number":1,"caseNumber":"…","longitude":…,"latitude":…,"description":"…"}]'
//      data-text-start="起点" data-text-end="终点"
//      data-tile-url="" data-tile-attribution=""></div>
//
// Strict-CSP friendly: no inline script, text goes in through textContent / Leaflet tooltips built from nodes.
// For tests: element.dataset.mapState is "loading" | "ready" | "error"; element._patrolMap is the Leaflet map.

import { createMap, el, fetchJson, leaflet } from './map.js';

const STYLES = {
  grid: { color: '#1f6feb', weight: 2, opacity: 0.9, fillOpacity: 0.04 },
  covered: { color: '#1a7f37', weight: 0, fillColor: '#2da44e', fillOpacity: 0.28 },
  track: { color: '#d1242f', weight: 3, opacity: 0.9 },
};

const label = (value) => el('span', null, value);

function parseReports(element) {
  try {
    const reports = JSON.parse(element.dataset.reports || '[]');
    return Array.isArray(reports) ? reports : [];
  } catch {
    return [];
  }
}

export async function mountPatrolMap(element) {
  if (!(element instanceof HTMLElement) || element._patrolMap) return element?._patrolMap;
  const L = leaflet();
  const map = createMap(element, { tileUrl: element.dataset.tileUrl, tileAttribution: element.dataset.tileAttribution, scrollWheelZoom: false });
  element._patrolMap = map;
  element.dataset.mapState = 'loading';
  map.setView([31.3, 120.62], 15);

  try {
    const data = await fetchJson(element.dataset.geojsonUrl);
    const features = Array.isArray(data?.features) ? data.features.filter((f) => f && f.geometry) : [];
    const layer = L.geoJSON({ type: 'FeatureCollection', features }, {
      style: (feature) => STYLES[feature?.properties?.kind] || STYLES.grid,
      interactive: false,
    }).addTo(map);

    const track = features.find((f) => f.properties?.kind === 'track' && f.geometry.type === 'LineString');
    if (track && track.geometry.coordinates.length > 0) {
      const coordinates = track.geometry.coordinates;
      const [startLon, startLat] = coordinates[0];
      const [endLon, endLat] = coordinates[coordinates.length - 1];
      L.circleMarker([startLat, startLon], { radius: 6, color: '#1a7f37', weight: 2, fillColor: '#ffffff', fillOpacity: 1 })
        .bindTooltip(label(element.dataset.textStart || 'Start')).addTo(map);
      L.circleMarker([endLat, endLon], { radius: 6, color: '#d1242f', weight: 2, fillColor: '#d1242f', fillOpacity: 1 })
        .bindTooltip(label(element.dataset.textEnd || 'End')).addTo(map);
    }

    for (const report of parseReports(element)) {
      if (!Number.isFinite(report.latitude) || !Number.isFinite(report.longitude)) continue;
      const tip = document.createElement('span');
      const strong = document.createElement('strong');
      strong.textContent = `${report.number} · ${report.caseNumber ?? ''}`;
      tip.append(strong, document.createElement('br'), label(report.description));
      L.marker([report.latitude, report.longitude], {
        icon: L.divIcon({ className: 'patrol-report-pin', html: '', iconSize: [22, 22] }),
        title: String(report.number),
      }).bindTooltip(tip).addTo(map)
        .getElement()?.append(label(report.number));
    }

    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
    element.dataset.mapState = 'ready';
  } catch (error) {
    element.dataset.mapState = 'error';
    console.error('patrol-map:', error);
  }
  return map;
}

