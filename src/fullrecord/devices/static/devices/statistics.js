// The statistics page's charts, drawn with the vendored ECharts from the numbers the page
// carries (the same numbers /api/device-statistics/ answers).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var source = document.getElementById("device-statistics");
    if (!source || typeof echarts === "undefined") return;
    var numbers = JSON.parse(source.textContent);
    var charts = [];
    var officers = document.getElementById("chart-officers");
    if (officers) {
      var chart = echarts.init(officers);
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: [officers.dataset.labelOut, officers.dataset.labelFootage] },
        grid: { left: 40, right: 10, bottom: 60 },
        xAxis: { type: "category", data: numbers.officers.map(function (r) { return r.name; }),
                 axisLabel: { rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: officers.dataset.labelOut, type: "bar", data: numbers.officers.map(function (r) { return r.hours_out; }) },
          { name: officers.dataset.labelFootage, type: "bar", data: numbers.officers.map(function (r) { return r.footage_hours; }) }
        ]
      });
      officers.dataset.ready = "1";
      charts.push(chart);
    }
    var models = document.getElementById("chart-models");
    if (models) {
      var chart2 = echarts.init(models);
      chart2.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 10, bottom: 60 },
        xAxis: { type: "category", data: numbers.models.map(function (r) { return r.name; }),
                 axisLabel: { rotate: 30 } },
        yAxis: { type: "value" },
        series: [{ name: models.dataset.label, type: "bar", data: numbers.models.map(function (r) { return r.fault_rate; }) }]
      });
      models.dataset.ready = "1";
      charts.push(chart2);
    }
    // Checkouts, hours out and footage hours per device, officer and section.
    document.querySelectorAll('[data-chart="table"]').forEach(function (el) {
      var rows = numbers[el.dataset.table] || [];
      var c = echarts.init(el);
      var labels = [el.dataset.labelCheckouts, el.dataset.labelOut, el.dataset.labelFootage];
      c.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: labels },
        grid: { left: 40, right: 10, bottom: 60 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: labels[0], type: "bar", data: rows.map(function (r) { return r.checkouts; }) },
          { name: labels[1], type: "bar", data: rows.map(function (r) { return r.hours_out; }) },
          { name: labels[2], type: "bar", data: rows.map(function (r) { return r.footage_hours; }) }
        ]
      });
      el.dataset.ready = "1";
      charts.push(c);
    });
    // How many devices, how many idle, how many overdue for maintenance.
    document.querySelectorAll('[data-chart="counts"]').forEach(function (el) {
      var labels = el.dataset.labels.split("|");
      var total = numbers.devices_total || 0;
      var c = echarts.init(el);
      c.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 10, bottom: 30 },
        xAxis: { type: "category", data: labels },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: [total, numbers.idle.length, numbers.overdue.length] }]
      });
      el.dataset.ready = "1";
      charts.push(c);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
