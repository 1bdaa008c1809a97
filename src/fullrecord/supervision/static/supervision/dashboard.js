// The supervision dashboard's charts, drawn with the vendored ECharts from the figures the
// page embeds (json_script): the same numbers as the table under them.
(() => {
  const source = document.getElementById("supervision-chart");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = data.labels;

  const rates = document.querySelector("[data-chart=rates]");
  if (rates) {
    const chart = echarts.init(rates, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 60 },
      xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", max: 100 },
      series: [
        { name: labels.coverage, type: "bar", data: data.coverage },
        { name: labels.association, type: "bar", data: data.association },
        { name: labels.review_score, type: "bar", data: data.review_score },
      ],
    });
    rates.dataset.rendered = "1";
    window.addEventListener("resize", () => chart.resize());
  }

  const months = document.querySelector("[data-chart=months]");
  if (months) {
    const chart = echarts.init(months, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", max: 100 },
        { type: "value", minInterval: 1 },
      ],
      series: [
        { name: labels.coverage, type: "line", data: data.month_coverage },
        { name: labels.association, type: "line", data: data.month_association },
        { name: labels.rectifications, type: "bar", yAxisIndex: 1, data: data.month_open },
        { name: labels.overdue, type: "bar", yAxisIndex: 1, data: data.month_overdue },
      ],
    });
    months.dataset.rendered = "1";
    window.addEventListener("resize", () => chart.resize());
  }
})();
