// Lets the ReDoc bundle run under the platform's Content-Security-Policy.
// Loaded, with the request's nonce, just before the bundle:
// - the style sheets the bundle inserts as it loads (before ReDoc can be handed
//   a nonce) receive this script's nonce;
// - its "API docs by Redocly" logo, hard-wired to a CDN, is replaced by an
//   empty image, so nothing on the page loads from elsewhere.
"use strict";
(function () {
  const nonce = document.currentScript.nonce;
  const CDN = "https://cdn.redoc.ly/";
  const EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

  function withNonce(node) {
    if (node instanceof HTMLStyleElement && !node.nonce) {
      node.setAttribute("nonce", nonce);
    }
    return node;
  }
  const appendChild = Node.prototype.appendChild;
  const insertBefore = Node.prototype.insertBefore;
  Node.prototype.appendChild = function (node) {
    return appendChild.call(this, withNonce(node));
  };
  Node.prototype.insertBefore = function (node, reference) {
    return insertBefore.call(this, withNonce(node), reference);
  };

  function offTheCdn(value) {
    return String(value).startsWith(CDN) ? EMPTY_IMAGE : value;
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    const src = this instanceof HTMLImageElement && name.toLowerCase() === "src";
    return setAttribute.call(this, name, src ? offTheCdn(value) : value);
  };
  const source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...source,
    set(value) {
      source.set.call(this, offTheCdn(value));
    },
  });
})();
