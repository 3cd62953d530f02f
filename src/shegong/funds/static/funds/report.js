/* Budget execution report: where the money went, as a Sankey diagram (data: #sankey-data;
   the unit of amounts in data-unit). */
(function () {
  "use strict";
  var data = window.shegongData("sankey-data");
  var el = document.getElementById("sankey");
  if (!data || !el) return;
  var unit = el.getAttribute("data-unit") || "";
  var chart = window.shegongChart("sankey", {
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        return p.data.source ? p.data.source + " → " + p.data.target + "：" + p.data.value + " " + unit : p.name;
      }
    },
    series: [{
      type: "sankey", layoutIterations: 32, emphasis: {focus: "adjacency"}, nodeAlign: "left",
      data: data.nodes, links: data.links, lineStyle: {color: "gradient", curveness: 0.5}
    }]
  });
  if (!chart) return;
  el.setAttribute("data-nodes", data.nodes.length);
  el.setAttribute("data-links", data.links.length);
  el.setAttribute("data-ready", "1");
})();
