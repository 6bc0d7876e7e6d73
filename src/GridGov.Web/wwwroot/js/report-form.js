// GridGov report form (问题上报): small enhancements of a form that also works without them.
//
// - [data-report-category-filter="#select"]: a search box that hides the <option>s (and empty
//   <optgroup>s) of the select that do not match; Enter picks the first match.
// - [data-report-filing-standard]: shows the chosen category's filing standard (option data-standard).
// - input[type=file][data-report-photos] → [data-report-previews]: thumbnails through
//   URL.createObjectURL (nothing is uploaded before submit), with size/type/count warnings.
// - form[data-lock-reporter-on-patrol]: on "grid worker patrol" the reporter fields are the signed-in
//   person's own (read-only); any other source (hotline, resident…) makes them editable.
// - On submit: refuses to send without a map point (says why, next to the map), and disables the
//   submit button so a double click sends one request (the server also deduplicates by SubmissionId).
// All text from data goes in through textContent.

const PATROL = 'GridWorkerPatrol';

function format(template, ...values) {
  return String(template || '').replace(/\{(\d+)\}/g, (_, i) => String(values[Number(i)] ?? ''));
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function mountCategoryFilter(form) {
  const filter = form.querySelector('[data-report-category-filter]');
  if (!(filter instanceof HTMLInputElement)) return;
  const select = form.querySelector(filter.dataset.reportCategoryFilter);
  if (!(select instanceof HTMLSelectElement)) return;
  filter.hidden = false;

  const options = Array.from(select.querySelectorAll('option')).filter((o) => o.value !== '');
  const apply = () => {
    const term = filter.value.trim().toLowerCase();
    const visible = [];
    for (const option of options) {
      const haystack = `${option.textContent} ${option.dataset.major || ''}`.toLowerCase();
      const match = term === '' || haystack.includes(term);
      option.hidden = !match;
      if (match) visible.push(option);
    }
    for (const group of select.querySelectorAll('optgroup')) {
      group.hidden = !Array.from(group.querySelectorAll('option')).some((o) => !o.hidden);
    }
    filter.classList.toggle('is-invalid', term !== '' && visible.length === 0);
    return visible;
  };
  filter.addEventListener('input', apply);
  filter.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault(); // Enter in the filter must not submit the report
    const [first] = apply();
    if (first && select.value !== first.value) {
      select.value = first.value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    select.focus();
  });
}

function mountFilingStandard(form) {
  const select = form.querySelector('select[name="Input.CategoryId"]');
  const box = form.querySelector('[data-report-filing-standard]');
  if (!(select instanceof HTMLSelectElement) || !box) return;
  const label = box.dataset.label || '立案标准';
  select.addEventListener('change', () => {
    const option = select.selectedOptions[0];
    const standard = option && option.dataset.standard;
    box.textContent = standard ? `${label}：${standard}` : '';
  });
}

function mountPhotos(form) {
  const inputs = Array.from(form.querySelectorAll('input[type=file][data-report-photos]'));
  const box = form.querySelector('[data-report-previews]');
  if (inputs.length === 0 || !box) return () => true;
  const maxPhotos = Number.parseInt(box.dataset.maxPhotos, 10) || 9;
  const maxBytes = Number.parseInt(box.dataset.maxBytes, 10) || 10 * 1024 * 1024;
  let urls = [];

  const render = () => {
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    box.replaceChildren();
    const files = inputs.flatMap((i) => Array.from(i.files || []));
    let ok = files.length <= maxPhotos;
    for (const file of files) {
      const figure = document.createElement('figure');
      figure.className = 'report-preview';
      const isImage = (file.type || '').startsWith('image/');
      let problem = '';
      if (!isImage) problem = box.dataset.textNotImage || '';
      else if (file.size > maxBytes) problem = box.dataset.textTooLarge || '';
      if (isImage) {
        const img = document.createElement('img');
        const url = URL.createObjectURL(file);
        urls.push(url);
        img.src = url;
        img.alt = file.name;
        figure.append(img);
      } else {
        const icon = document.createElement('div');
        icon.className = 'report-preview-file';
        icon.textContent = '?';
        figure.append(icon);
      }
      const caption = document.createElement('figcaption');
      caption.textContent = problem ? `${file.name} · ${problem}` : `${file.name} · ${formatSize(file.size)}`;
      figure.append(caption);
      if (problem) {
        figure.classList.add('is-invalid');
        ok = false;
      }
      box.append(figure);
    }
    if (files.length > maxPhotos) {
      const warning = document.createElement('div');
      warning.className = 'report-previews-warning text-danger small w-100';
      warning.textContent = format(box.dataset.textTooMany, files.length, maxPhotos);
      box.append(warning);
    }
    if (files.length > 0) {
      const clear = document.createElement('button');
      clear.type = 'button';
      clear.className = 'btn btn-link btn-sm p-0 w-100 text-start';
      clear.textContent = box.dataset.textClear || '×';
      clear.addEventListener('click', () => {
        for (const i of inputs) i.value = '';
        render();
      });
      box.append(clear);
    }
    box.dataset.photoCount = String(files.length);
    return ok;
  };
  for (const i of inputs) i.addEventListener('change', render);
  render();
  return () => {
    const ok = render();
    if (!ok) box.scrollIntoView({ block: 'center', behavior: 'smooth' });
    return ok;
  };
}

function mountReporterLock(form) {
  if (form.dataset.lockReporterOnPatrol !== 'true') return;
  const source = form.querySelector('[data-report-source]');
  const fields = Array.from(form.querySelectorAll('[data-report-reporter]'));
  if (!(source instanceof HTMLSelectElement) || fields.length === 0) return;
  const apply = () => {
    const patrol = source.value === PATROL;
    for (const field of fields) {
      if (patrol) field.value = field.dataset.default || '';
      field.readOnly = patrol;
    }
  };
  source.addEventListener('change', apply);
  apply();
}

function mountSubmit(form, photosOk) {
  const button = form.querySelector('[data-report-submit]');
  const missing = form.querySelector('[data-report-point-missing]');
  const map = form.querySelector('[data-report-map]');
  const lon = form.querySelector('input[name="Input.Longitude"]');
  const lat = form.querySelector('input[name="Input.Latitude"]');
  const original = button ? Array.from(button.childNodes, (node) => node.cloneNode(true)) : [];

  document.addEventListener('report:located', () => {
    if (missing) missing.hidden = true;
  });

  form.addEventListener('submit', (event) => {
    if (form.dataset.submitting === 'true') {
      event.preventDefault();
      return;
    }
    if (lon && lat && (lon.value.trim() === '' || lat.value.trim() === '')) {
      event.preventDefault();
      if (missing) missing.hidden = false;
      if (map) {
        map.classList.add('is-invalid');
        map.scrollIntoView({ block: 'center', behavior: 'smooth' });
      }
      return;
    }
    if (!photosOk()) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = 'true';
    if (button instanceof HTMLButtonElement) {
      // Disabled after this event, so the browser still sends the form once.
      setTimeout(() => {
        button.disabled = true;
        button.textContent = button.dataset.busyText || button.textContent;
      }, 0);
    }
  });

  // Back/forward cache: a page restored after submitting must be usable again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    delete form.dataset.submitting;
    if (button instanceof HTMLButtonElement) {
      button.disabled = false;
      button.replaceChildren(...original.map((node) => node.cloneNode(true)));
    }
  });
}

export function mountReportForm(form) {
  if (!(form instanceof HTMLFormElement) || form.dataset.reportFormMounted === 'true') return;
  form.dataset.reportFormMounted = 'true';
  mountCategoryFilter(form);
  mountFilingStandard(form);
  const photosOk = mountPhotos(form);
  mountReporterLock(form);
  mountSubmit(form, photosOk);
}

function mountAll() {
  for (const form of document.querySelectorAll('form[data-report-form]')) mountReportForm(form);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', mountAll, { once: true });
} else {
  mountAll();
}
