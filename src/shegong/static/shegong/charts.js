/* One way to draw an ECharts chart under the Content-Security-Policy.

   shegongChart(id, option) draws `option` in the element with that id and returns the chart
   (null when the element is absent). Tooltips are drawn on the canvas (renderMode "richText"):
   ECharts' HTML tooltips carry style attributes, which the policy refuses. When drawn, the
   element gets data-chart-ready="1" (tests and people can tell a chart from an empty box).

   shegongData(id) reads the JSON a template wrote with {{ value|json_script:id }}. */
(function () {
  "use strict";

  function shegongData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function shegongChart(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    if (option.tooltip) option.tooltip.renderMode = "richText";
    var chart = window.echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-chart-ready", "1");
    return chart;
  }

  window.shegongData = shegongData;
  window.shegongChart = shegongChart;
})();
