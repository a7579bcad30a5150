// Channel analytics charts (ECharts): the programme's funnel and each channel's CAC beside its
// CLV, fed by the page's json_script data. Without JavaScript the table stays the record.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("analytics-data").textContent);
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var num = function (xs) { return xs.map(function (x) { return x === null ? null : Number(x); }); };
  var charts = [];
  var funnel = document.getElementById("funnel-chart");
  if (funnel) {
    var names = zh ? ["线索", "有效线索", "签约项目", "新客户"] : ["Leads", "Valid", "Projects", "New customers"];
    var chart = echarts.init(funnel);
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "funnel", sort: "none", left: 8, right: 8, top: 8, bottom: 8, minSize: "10%",
        label: { position: "inside", formatter: "{b} {c}" },
        data: names.map(function (n, i) { return { name: n, value: data.funnel[i] }; }) }]
    });
    charts.push(chart);
  }
  var cac = document.getElementById("cac-chart");
  if (cac) {
    var bars = echarts.init(cac);
    bars.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 72, right: 16, top: 36, bottom: 48 },
      xAxis: { type: "category", data: data.channels, axisLabel: { interval: 0, rotate: data.channels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [
        { name: "CAC", type: "bar", data: num(data.cac) },
        { name: "CLV", type: "bar", data: num(data.clv) }
      ]
    });
    charts.push(bars);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
