// The residents' report page (/r/report, static SSR): the shared map module on [data-resident-map], a tap puts the point
// into the form's hidden inputs; "use my location" asks the phone (navigator.geolocation through map.js's locate) and
// says clearly when it is refused. No inline script, no HTML built from data (CSP).
import { mount, showPoint, locate, canLocate } from './map.js';

function setup() {
  const element = document.querySelector('[data-resident-map]');
  if (!element) return;
  const lon = document.getElementById('resident-lon');
  const lat = document.getElementById('resident-lat');
  const status = document.getElementById('resident-point-status');
  const say = (text) => { if (status && text) status.textContent = text; };
  const put = (longitude, latitude) => {
    lon.value = String(longitude);
    lat.value = String(latitude);
    element.dataset.residentPoint = `${longitude},${latitude}`;
  };
  // map.js talks to a .NET object on interactive pages; here a small stand-in writes the form.
  const form = {
    invokeMethodAsync(name, longitude, latitude) {
      if (name === 'PointPicked') {
        put(longitude, latitude);
        say(element.dataset.picked);
      }
      return Promise.resolve();
    },
  };
  const start = Number.parseFloat(lon.value);
  const startLat = Number.parseFloat(lat.value);
  mount(element, {
    pick: true,
    geojsonUrl: element.dataset.geojson,
    tileUrl: element.dataset.tileUrl || '',
    tileAttribution: element.dataset.tileAttribution || '',
    point: Number.isFinite(start) && Number.isFinite(startLat) ? { longitude: start, latitude: startLat } : undefined,
  }, form);

  const button = document.getElementById('resident-locate');
  if (button) {
    button.addEventListener('click', async () => {
      if (!canLocate()) {
        say(element.dataset.locateUnavailable);
        button.dataset.located = 'unavailable';
        return;
      }
      button.disabled = true;
      const position = await locate();
      button.disabled = false;
      if (!position) {
        say(element.dataset.locateRefused);
        button.dataset.located = 'refused';
        return;
      }
      put(position.longitude, position.latitude);
      showPoint(element, position.longitude, position.latitude);
      say(element.dataset.located);
      button.dataset.located = 'true';
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
else setup();
