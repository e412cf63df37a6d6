// The proof of work of the Meldpunt's flood defence (docs/adr/0006-flood-defence.md).
// Loaded only on the review page of a source over its budget. The widget is the altcha
// build without inline workers or styles (static/vendor/altcha, copied by `make static`),
// so the strict Content-Security-Policy holds: the worker is our own file ('self').
import "./vendor/altcha/altcha.js";
import "./vendor/altcha/nl.js";

const pbkdf2 = new URL("./vendor/altcha/pbkdf2.js", import.meta.url);
globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(pbkdf2));

// "Versturen" before the check is done waits for it, then sends; if the check fails, the
// report is sent all the same (it is then held for the coordinator, never refused).
const widget = document.querySelector("altcha-widget");
const form = widget ? widget.closest("form") : null;
if (form) {
  let settled = false;
  let waiting = null;
  widget.addEventListener("statechange", (event) => {
    const state = event.detail && event.detail.state;
    if (state === "verified" || state === "error" || state === "expired") {
      settled = true;
      if (waiting) {
        const button = waiting;
        waiting = null;
        form.requestSubmit(button);
      }
    }
  });
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (settled || !button || button.value !== "send") return;
    event.preventDefault();
    waiting = button;
    button.setAttribute("aria-busy", "true");
  });
}
