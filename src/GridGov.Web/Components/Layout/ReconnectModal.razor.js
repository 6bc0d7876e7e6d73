// Shows the reconnect dialog in the state blazor.web.js reports; the CSS shows the text of that state.
const modal = document.getElementById("components-reconnect-modal");

modal.addEventListener("components-reconnect-state-changed", event => {
  const state = event.detail.state;
  modal.className = "gg-reconnect gg-reconnect-state-" + state;
  if (state === "show" || state === "retrying" || state === "failed" || state === "rejected") {
    if (!modal.open) {
      modal.showModal();
    }
  } else if (modal.open) {
    modal.close();
  }
});

document.getElementById("components-reconnect-button").addEventListener("click", async () => {
  const resumed = await Blazor.reconnect();
  if (!resumed) {
    location.reload();
  }
});

document.getElementById("components-reload-button").addEventListener("click", () => location.reload());
