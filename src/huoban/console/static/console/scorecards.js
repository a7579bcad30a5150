// A partner's scorecard trend (ECharts): the total and each KPI by month, fed by the page's
// json_script data. Without JavaScript the table below stays the record.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("scorecard-chart");
  if (!window.echarts || !box) return;
  var data = JSON.parse(document.getElementById("scorecard-data").textContent);
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var num = function (xs) { return xs.map(function (x) { return x === null ? null : Number(x); }); };
  var series = [{ name: zh ? "总分" : "Total", type: "line", data: num(data.total), lineStyle: { width: 3 } }];
  data.kpis.forEach(function (k) {
    series.push({ name: k.name, type: "line", data: num(k.scores), connectNulls: true, lineStyle: { type: "dashed" } });
  });
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" },
    grid: { left: 48, right: 24, top: 40, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", min: 0, max: 150 },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
