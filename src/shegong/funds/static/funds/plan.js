/* Allocation plan: proportional and optimised amounts per recipient (data: #plan-chart-data;
   series names in data-proportional and data-optimised, translated by the template). */
(function () {
  "use strict";
  var data = window.shegongData("plan-chart-data");
  var el = document.getElementById("plan-chart");
  if (!data || !el) return;
  var proportional = el.getAttribute("data-proportional");
  var optimised = el.getAttribute("data-optimised");
  window.shegongChart("plan-chart", {
    tooltip: {trigger: "axis"},
    legend: {data: [proportional, optimised]},
    xAxis: {type: "category", data: data.names, axisLabel: {rotate: 30}},
    yAxis: {type: "value"},
    series: [
      {name: proportional, type: "bar", data: data.proportional},
      {name: optimised, type: "bar", data: data.optimised}
    ]
  });
})();
