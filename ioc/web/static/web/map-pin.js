/* The IOC's map pin (issue 19): every Leaflet marker is drawn as a CSS pin in the IOC's colours (.ioc-pin in
   ioc.css) instead of Leaflet's default PNG icon, whose path Leaflet guesses from its CSS file's URL and which
   the hashed static files rename (two 404s and a broken image). Load it right after leaflet.js. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  L.Marker.prototype.options.icon = L.divIcon({
    className: "ioc-pin",
    html: "<span></span>",
    iconSize: [28, 32],
    iconAnchor: [14, 30],
    popupAnchor: [0, -28],
  });
})();
