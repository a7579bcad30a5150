// The programme KPI board's trend (ECharts): new customers a month against the target, fed by
// the page's json_script data. Without JavaScript the table under it stays the record.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("trend-chart");
  if (!window.echarts || !box) return;
  var data = JSON.parse(document.getElementById("board-data").textContent);
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 48, right: 24, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: zh ? "新增客户" : "New customers", type: "bar", data: data.counts },
      { name: zh ? "目标" : "Target", type: "line", symbol: "none", lineStyle: { type: "dashed" },
        data: data.months.map(function () { return Number(data.target); }) }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
