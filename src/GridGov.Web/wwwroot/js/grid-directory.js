// GridGov grid directory (实名落图): small behaviours of /grids and /grids/{code}/notice.
//
//   <button type="button" data-print>                  prints the page (the notice sheet; print.css hides the rest)
//   <button type="button" data-focus-grid="320508…">   zooms the page's grid map (grid-map.js) to that grid and opens its popup
//
// No inline script or handlers (strict-CSP friendly); no HTML is built here.

function mapElement() {
  return document.querySelector('[data-grid-map]');
}

/** Zooms the grid map to the grid with this code, once the map has loaded its layer. */
export async function focusGrid(code) {
  const element = mapElement();
  if (!element || !code) return false;
  const layer = element._gridMapReady ? await element._gridMapReady : null;
  if (!layer || !element._gridMap) return false;
  let found = null;
  layer.eachLayer((featureLayer) => {
    const props = featureLayer.feature && featureLayer.feature.properties;
    if (!found && props && props.code === code) found = featureLayer;
  });
  if (!found) return false;
  element.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  element._gridMap.fitBounds(found.getBounds(), { padding: [24, 24], maxZoom: 17 });
  found.openPopup();
  return true;
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest('[data-print]')) {
    event.preventDefault();
    window.print();
    return;
  }
  const focus = target.closest('[data-focus-grid]');
  if (focus) {
    event.preventDefault();
    focusGrid(focus.getAttribute('data-focus-grid'));
  }
});
