/* The organizer's map of blocks. Data comes from the json_script element #block-map-data; the
   same blocks are listed in the table below, which stays the page's content without this. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var box = document.getElementById("block-map");
    var source = document.getElementById("block-map-data");
    if (!box || !source || !window.L) { return; }
    var data = JSON.parse(source.textContent);
    var map = window.L.map(box, { scrollWheelZoom: false });
    window.L.tileLayer(data.tiles.url, {
      attribution: data.tiles.attribution,
      maxZoom: data.tiles.max_zoom
    }).addTo(map);
    var shapes = { uncovered: "■", waiting: "▲", quiet: "●" };
    var points = [];
    data.blocks.forEach(function (block) {
      var words = block.code + ": " + block.open + " " + box.dataset.labelOpen +
        (block.state === "uncovered" ? ", " + box.dataset.labelUncovered : "");
      var icon = window.L.divIcon({
        className: "block-pin state-" + block.state,
        html: '<span aria-hidden="true">' + shapes[block.state] + "</span>" +
          (block.open ? "<b>" + block.open + "</b>" : ""),
        iconSize: [30, 30]
      });
      window.L.marker([block.lat, block.lon], { icon: icon, title: words, alt: words, keyboard: true })
        .bindPopup(document.createTextNode(words + " · " + block.address))
        .addTo(map);
      points.push([block.lat, block.lon]);
    });
    if (points.length) { map.fitBounds(points, { padding: [24, 24] }); } else { map.setView([0, 0], 2); }
  });
}());
