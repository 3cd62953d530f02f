/* Indicator dashboard (data: #dashboard-data, written by the page; every figure is also in the
   page's tables). Sparklines per card, the time series, and the child regions: a choropleth map
   where the page names boundary files (installed from npm, served as static files), else — or
   when they fail to load — a ranked bar chart. Clicking a region or a bar opens that region's
   dashboard (the same address as the table's link).

   Features are matched to child regions by code (a feature's 6-digit `id` = the first 6 digits
   of a 12-digit region code), else by name (广州 ↔ 广州市); a file the page gave a `code` is
   that child region as a whole. The map is registered under "sg-<region code>" with the child
   codes as region names, so that a name never collides. */
(function () {
  "use strict";
  var data = window.shegongData("dashboard-data");
  if (!data || !window.echarts) return;
  var byCode = {};
  data.children.forEach(function (c) { byCode[c.code] = c; });
  var higher = data.indicator.higher;
  var COLOURS = ["#d63939", "#f59f00", "#2fb344"]; // worse → better

  data.cards.forEach(function (card) {
    window.shegongChart("spark-" + card.code, {
      animation: false,
      grid: {left: 2, right: 2, top: 6, bottom: 2},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", show: false, data: card.labels},
      yAxis: {type: "value", show: false, scale: true},
      series: [{type: "line", data: card.values, symbol: "none", connectNulls: false,
        lineStyle: {width: 2}, areaStyle: {opacity: 0.12}}]
    });
  });

  window.shegongChart("dash-series", {
    tooltip: {trigger: "axis"},
    grid: {left: 48, right: 16, top: 24, bottom: 40},
    xAxis: {type: "category", data: data.series.labels, axisLabel: {rotate: 35}},
    yAxis: {type: "value", scale: true},
    series: [{
      name: data.indicator.name, type: "line", data: data.series.values, connectNulls: false,
      markLine: data.indicator.target === null ? undefined : {
        symbol: "none", silent: true, data: [{yAxis: data.indicator.target}],
        label: {formatter: "{c}"}
      }
    }]
  });

  var el = document.getElementById("dash-map");
  if (!el || !data.children.length) return;

  function short(name) {
    var suffixes = ["特别行政区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "市", "盟", "县", "区"];
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (name.length > s.length + 1 && name.slice(-s.length) === s) return name.slice(0, -s.length);
    }
    return name;
  }

  function samePlace(regionName, featureName) {
    if (!featureName) return false;
    var a = short(regionName), b = short(featureName);
    return a === b || a.indexOf(b) === 0 || b.indexOf(a) === 0;
  }

  function childOf(feature) {
    var id = String(feature.id || (feature.properties || {}).adcode || "");
    if (/^\d{6}$/.test(id)) {
      for (var i = 0; i < data.children.length; i++) {
        if (data.children[i].code.slice(0, 6) === id) return data.children[i].code;
      }
    }
    var name = (feature.properties || {}).name || "";
    for (var j = 0; j < data.children.length; j++) {
      if (samePlace(data.children[j].name, name)) return data.children[j].code;
    }
    return null;
  }

  function collection(sources) {
    var features = [], encoded = false;
    sources.forEach(function (source) {
      if (source.json.UTF8Encoding) encoded = true;
      (source.json.features || []).forEach(function (feature) {
        var code = source.code || childOf(feature);
        if (!code || !byCode[code]) return;
        features.push({type: "Feature", id: feature.id, properties: {name: code},
          geometry: feature.geometry});
      });
    });
    return {type: "FeatureCollection", features: features, UTF8Encoding: encoded};
  }

  function load(boundary) {
    if (boundary.script) {
      var registered = window.echarts.getMap(boundary.map);
      if (!registered) return Promise.reject(new Error("map not registered"));
      return Promise.resolve([{json: registered.geoJSON || registered.geoJson, code: ""}]);
    }
    return Promise.all(boundary.files.map(function (file) {
      return fetch(file.url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) throw new Error(file.url);
        return response.json();
      }).then(function (json) { return {json: json, code: file.code}; });
    }));
  }

  function onClick(chart, key) {
    chart.on("click", function (params) {
      var child = byCode[params[key]];
      if (child && child.url) window.location.href = child.url;
    });
  }

  function drawMap(geo) {
    var mapName = "sg-" + data.region;
    window.echarts.registerMap(mapName, geo);
    var values = data.children.filter(function (c) { return c.value !== null; })
      .map(function (c) { return c.value; });
    var min = values.length ? Math.min.apply(null, values) : 0;
    var max = values.length ? Math.max.apply(null, values) : 1;
    if (min === max) { min = min - 1; max = max + 1; }
    var chart = window.shegongChart("dash-map", {
      tooltip: {trigger: "item", formatter: function (p) {
        var c = byCode[p.name];
        return c ? c.name + "：" + c.text : "";
      }},
      visualMap: {min: min, max: max, calculable: true, left: 8, bottom: 8, precision: 1,
        inRange: {color: higher ? COLOURS : COLOURS.slice().reverse()}},
      series: [{
        type: "map", map: mapName, roam: false, selectedMode: false,
        label: {show: true, fontSize: 11, formatter: function (p) {
          var c = byCode[p.name];
          return c ? c.short : "";
        }},
        data: data.children.filter(function (c) { return c.value !== null; })
          .map(function (c) { return {name: c.code, value: c.value}; })
      }]
    });
    if (!chart) return;
    el.setAttribute("data-map-kind", "map");
    el.setAttribute("data-map-regions", String(geo.features.length));
    onClick(chart, "name");
  }

  function drawBar() {
    var rows = data.children.slice().reverse(); // best at the top of a horizontal bar chart
    var chart = window.shegongChart("dash-map", {
      tooltip: {trigger: "axis"},
      grid: {left: 110, right: 24, top: 8, bottom: 24},
      xAxis: {type: "value"},
      yAxis: {type: "category", data: rows.map(function (c) { return c.name; }),
        axisLabel: {interval: 0}},
      series: [{type: "bar", name: data.indicator.name,
        data: rows.map(function (c) {
          return {value: c.value, code: c.code, itemStyle: {color: c.light === "red" ? COLOURS[0] :
            c.light === "amber" ? COLOURS[1] : c.light === "green" ? COLOURS[2] : "#206bc4"}};
        })}]
    });
    if (!chart) return;
    el.setAttribute("data-map-kind", "bar");
    chart.on("click", function (params) {
      var child = byCode[(params.data || {}).code];
      if (child && child.url) window.location.href = child.url;
    });
  }

  if (!data.boundary) { drawBar(); return; }
  load(data.boundary).then(function (sources) {
    var geo = collection(sources);
    if (!geo.features.length) throw new Error("no feature matched a child region");
    drawMap(geo);
  }).catch(function () { drawBar(); });
})();
