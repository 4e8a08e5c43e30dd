// The crisis alert's live channel: on every page, the banner of an alert raised after
// the page was rendered appears without reloading. Each server-sent event carries the
// banner's markup (the same template the page renders, with its one-click acknowledge
// form); its "next" field is pointed back at this page. EventSource reconnects by itself
// with the last event id, and the stream replays the alerts the page missed meanwhile.
(function () {
  "use strict";
  var box = document.querySelector("[data-alerts-live]");
  if (!box || !window.EventSource) {
    return;
  }
  var base = box.getAttribute("data-alerts-live");
  var lastId = box.getAttribute("data-last-event") || "0";
  var here = window.location.pathname + window.location.search;
  var opened = false;
  var delay = 2000;

  function show(message) {
    if (message.lastEventId) {
      lastId = message.lastEventId;
    }
    var event = JSON.parse(message.data);
    if (box.querySelector('[data-alert="' + event.alert + '"]')) {
      return;
    }
    var holder = document.createElement("template");
    holder.innerHTML = event.html.trim();
    var banner = holder.content.firstElementChild;
    if (!banner) {
      return;
    }
    var next = banner.querySelector('input[name="next"]');
    if (next) {
      next.value = here;
    }
    box.insertBefore(banner, box.firstChild); // newest first, as the page lists them
  }

  function connect() {
    var source = new EventSource(base + "?last=" + encodeURIComponent(lastId));
    source.onopen = function () {
      opened = true;
      delay = 2000;
      box.setAttribute("data-live", "connected");
    };
    source.onmessage = show;
    source.onerror = function () {
      // A dropped stream reconnects by itself (sending the last event id); a refused one
      // (signed out, server restarting) is closed for good: try again, less and less often.
      if (source.readyState === EventSource.CLOSED && opened) {
        window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60000);
      }
    };
  }

  connect();
})();
