// Shows the reconnect dialog in the state blazor.web.js reports; the CSS shows the text of that state.
const modal = document.getElementById("components-reconnect-modal");

// A change made while the connection was down never reached the circuit (Blazor cannot send it), though the field
// still shows it: opening this dialog alone takes the focus from the field being typed in, which fires its change
// then. Once the page is back on its circuit, every text field says its value again, so what the person sees in a
// field is what the server has. Autocompletes are left alone (a change there starts a search).
function resendTypedValues() {
  for (const field of document.querySelectorAll("input, textarea")) {
    if (field.disabled || field.readOnly || modal.contains(field) || field.closest(".mud-autocomplete")) continue;
    if (field.tagName === "INPUT" && ["hidden", "file", "checkbox", "radio", "button", "submit"].includes(field.type)) continue;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

modal.addEventListener("components-reconnect-state-changed", event => {
  const state = event.detail.state;
  if (state === "hide" && modal.open) {
    resendTypedValues();
  }
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
