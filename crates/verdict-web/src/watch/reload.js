// `verdict serve --watch` only: reloads the page once the server has
// reloaded the content, or its errors have changed. The server adds this
// script to each page with the generation the page was made from, and
// sends the current generation on /_watch/events: on connecting, and after
// every change.
"use strict";
(() => {
  const script = document.currentScript;
  const seen = script ? script.dataset.generation : null;
  const events = new EventSource("/_watch/events");
  events.onmessage = (event) => {
    if (event.data !== seen) {
      events.close();
      location.reload();
    }
  };
})();
