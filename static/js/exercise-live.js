// The exercise pages' live channel: server-sent events from the exercise's stream.
// Each event names an inject released or disclosed, a response, or a status change,
// and carries only what this reader may read; the page shows it without reloading.
// EventSource reconnects by itself with the last event id, and the stream replays
// what was missed.
(function () {
  "use strict";
  var list = document.querySelector("[data-live-url]");
  if (!list || !window.EventSource) {
    return;
  }
  var player = list.hasAttribute("data-player");
  var announce = document.querySelector("[data-live-announce]");
  var statusLabel = document.querySelector("[data-exercise-status]");
  var injectTemplate = document.getElementById("inject-template");
  var formTemplate = document.getElementById("response-form-template");
  var empty = document.querySelector("[data-no-injects]");
  // The words, in the reader's language, from the page (crises/views/exercises.py).
  var phrases = JSON.parse(document.getElementById("exercise-live-phrases").textContent);

  function phrase(name, values) {
    return phrases[name].replace(/%\((\w+)\)s/g, function (match, key) {
      return String(values[key]);
    });
  }

  function field(item, name) {
    return item.querySelector('[data-field="' + name + '"]');
  }

  function say(text) {
    if (announce) {
      announce.textContent = text;
    }
  }

  function addForm(item, id, order) {
    if (!formTemplate || item.querySelector("form.response-form")) {
      return;
    }
    var form = formTemplate.content.firstElementChild.cloneNode(true);
    form.action = form.getAttribute("action").replace("00000000-0000-0000-0000-000000000000", id);
    form.querySelector("[data-label]").textContent = phrase("response_label", { order: order });
    item.querySelector("[data-respond]").appendChild(form);
  }

  function showInject(inject, kind) {
    var item = list.querySelector('[data-inject="' + inject.id + '"]');
    if (!item) {
      if (!player || !injectTemplate) {
        return;
      }
      item = injectTemplate.content.firstElementChild.cloneNode(true);
      item.setAttribute("data-inject", inject.id);
      list.appendChild(item);
      if (empty) {
        empty.hidden = true;
      }
    }
    field(item, "title").textContent =
      phrase("title", { order: inject.order }) +
      (inject.scenario_time ? " · " + inject.scenario_time : "");
    field(item, "to").textContent = inject.to + (inject.secret ? " " + phrases.secret : "");
    field(item, "state").textContent =
      phrase("released", { at: inject.released_at }) +
      (kind === "disclosed" ? phrases.disclosed : "");
    field(item, "text").textContent = inject.text;
    // The text's own language: the reader's when translated, else the authoritative one.
    field(item, "text").lang = inject.text_language || "";
    if (player) {
      addForm(item, inject.id, inject.order);
    }
    say(phrase(kind === "disclosed" ? "announce_disclosed" : "announce_new", { text: inject.text }));
  }

  function showResponse(response) {
    var item = list.querySelector('[data-inject="' + response.inject + '"]');
    if (!item || item.querySelector('[data-response="' + response.id + '"]')) {
      return;
    }
    var line = document.createElement("li");
    line.setAttribute("data-response", response.id);
    line.textContent = response.party + " (" + response.at + "): " + response.text;
    item.querySelector("[data-responses]").appendChild(line);
    say(phrase("announce_response", { party: response.party }));
  }

  var base = list.getAttribute("data-live-url");
  var lastId = list.getAttribute("data-last-event");

  function onMessage(message) {
    if (message.lastEventId) {
      lastId = message.lastEventId;
    }
    var event = JSON.parse(message.data);
    if (statusLabel) {
      statusLabel.textContent = event.status_label;
    }
    if (event.inject) {
      showInject(event.inject, event.kind);
    }
    if (event.response) {
      showResponse(event.response);
    }
    if (event.status === "ended") {
      list.querySelectorAll("form.response-form").forEach(function (form) {
        form.remove();
      });
    }
  }

  function connect() {
    var source = new EventSource(base + "?last=" + encodeURIComponent(lastId));
    source.onmessage = onMessage;
    source.onerror = function () {
      // EventSource reconnects by itself after a dropped stream (sending the last event
      // id); a refused reconnection closes it for good: start a new one a little later.
      if (source.readyState === EventSource.CLOSED) {
        window.setTimeout(connect, 2000);
      }
    };
  }

  connect();
  list.setAttribute("data-live", "connected");
})();
