/* Petition analysis: matters registered per week (data: #analysis-data). */
(function () {
  "use strict";
  var data = window.shegongData("analysis-data");
  if (!data) return;
  window.shegongChart("weekly-chart", {
    tooltip: {trigger: "axis"},
    grid: {left: 40, right: 16, top: 16, bottom: 40},
    xAxis: {type: "category", data: data.weeks},
    yAxis: {type: "value"},
    series: [{type: "line", data: data.counts, smooth: true}]
  });
})();
