// Portal home: the earnings-by-month chart (ECharts), fed by the page's json_script data.
// Without JavaScript (or ECharts) the table inside #earnings-chart stays.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("earnings-chart");
  if (!window.echarts || !box) return;  // the table stays
  var rows = JSON.parse(document.getElementById("earnings-data").textContent);
  var labels = box.dataset;
  box.innerHTML = "";
  box.classList.add("h-11rem");
  var chart = echarts.init(box, null, {renderer: "svg"});
  chart.setOption({
    grid: {left: 8, right: 8, top: 24, bottom: 4, containLabel: true},
    // renderMode richText: the HTML tooltip's style="" attributes are refused by the CSP.
    tooltip: {trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return "¥" + Number(v).toLocaleString("zh-CN", {minimumFractionDigits: 2}); }},
    legend: {top: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: {fontSize: 11}},
    xAxis: {type: "category", data: rows.map(function (r) { return String(Number(r.month.slice(5))); }), axisTick: {show: false}},
    yAxis: {type: "value", axisLabel: {fontSize: 10, formatter: function (v) { return v >= 10000 ? (v / 10000) + labels.wan : v; }}},
    series: [
      {name: labels.earned, type: "bar", data: rows.map(function (r) { return Number(r.earned); }), itemStyle: {color: "#0d6efd"}, barGap: "10%"},
      {name: labels.paid, type: "bar", data: rows.map(function (r) { return Number(r.paid); }), itemStyle: {color: "#198754"}}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
