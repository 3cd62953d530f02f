/* Home page: the figures of each child region as grouped bars (data: #child-chart-data). */
(function () {
  "use strict";
  var data = window.shegongData("child-chart-data");
  if (!data) return;
  window.shegongChart("child-chart", {
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 40, right: 16, bottom: 60, top: 36},
    xAxis: {type: "category", data: data.labels, axisLabel: {rotate: 35, interval: 0}},
    yAxis: {type: "value"},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", data: s.data}; })
  });
})();
