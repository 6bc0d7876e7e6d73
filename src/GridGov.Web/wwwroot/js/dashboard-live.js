// GridGov dashboard: keeps the htmx-polled counters honest. When the sign-in has expired (the poll was
// redirected to the sign-in page), the page reloads instead of showing that page inside the counters.
//
// Usage: <section hx-get="/dashboard/counters" hx-trigger="every 5s" data-live-path="/dashboard/counters">…</section>
//        <script type="module" src="/js/dashboard-live.js"></script>

document.addEventListener('htmx:beforeSwap', (event) => {
  const target = event.detail && event.detail.target;
  const expected = target && target.dataset ? target.dataset.livePath : null;
  const xhr = event.detail.xhr;
  if (!expected || !xhr || !xhr.responseURL) return;
  if (new URL(xhr.responseURL).pathname !== expected) {
    event.detail.shouldSwap = false;
    window.location.reload();
  }
});
