// One channel's last 12 months (ECharts): leads and signed projects as bars, revenue and cost as
// lines on a second axis, fed by the page's json_script data. The table under it is the record.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("channel-chart");
  if (!window.echarts || !box) return;
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 48, right: 72, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", splitLine: { show: false } }],
    series: [
      { name: zh ? "报备" : "Leads", type: "bar", data: data.leads },
      { name: zh ? "签约项目" : "Projects", type: "bar", data: data.projects },
      { name: zh ? "回款" : "Revenue", type: "line", yAxisIndex: 1, data: data.revenue.map(Number) },
      { name: zh ? "成本" : "Cost", type: "line", yAxisIndex: 1, data: data.cost.map(Number) }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
