// Programme dashboard charts (ECharts), fed by the page's json_script data. Without JavaScript
// the tables beside each chart stay visible; with it, each chart replaces its table.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var t = function (cn, en) { return zh ? cn : en; };
  var num = function (xs) { return xs.map(function (x) { return x === null ? null : Number(x); }); };
  var grid = { left: 56, right: 48, top: 36, bottom: 28 };
  var options = {
    leads: {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: data.months },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: t("报备线索", "Leads"), type: "bar", data: data.leads, itemStyle: { color: "#0d6efd" } },
        { name: t("及时率", "On time"), type: "line", yAxisIndex: 1, data: data.compliance, connectNulls: true, itemStyle: { color: "#198754" } }
      ]
    },
    signed: {
      tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return v >= 10000 ? (zh ? (v / 10000) + "万" : (v / 1000) + "k") : v; } } },
      series: [{ name: t("签约额", "Signed"), type: "bar", data: num(data.signed), itemStyle: { color: "#6f42c1" } }]
    },
    tiers: {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: data.tiers },
      yAxis: [{ type: "value", axisLabel: { formatter: function (v) { return v >= 10000 ? (zh ? (v / 10000) + "万" : (v / 1000) + "k") : v; } } }, { type: "value", minInterval: 1 }],
      series: [
        { name: t("签约额", "Signed"), type: "bar", data: num(data.signed_by_tier), itemStyle: { color: "#6f42c1" } },
        { name: t("伙伴数", "Partners"), type: "bar", yAxisIndex: 1, data: data.partners_by_tier, itemStyle: { color: "#fd7e14" } }
      ]
    },
    inbound: {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("主动来访", "Inbound"), type: "bar", data: data.inbound, itemStyle: { color: "#adb5bd" } },
        { name: t("转回伙伴", "Routed back"), type: "bar", data: data.routed_back, itemStyle: { color: "#20c997" } }
      ]
    }
  };
  if (data.commission) {
    options.commission = {
      tooltip: { trigger: "item", valueFormatter: function (v) { return "¥" + Number(v).toLocaleString(); } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["45%", "70%"], center: ["50%", "45%"], data: [
        { name: t("应付未付", "Owed"), value: Number(data.commission.owed), itemStyle: { color: "#ffc107" } },
        { name: t("已付", "Paid"), value: Number(data.commission.paid), itemStyle: { color: "#198754" } }
      ] }]
    };
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var option = options[el.dataset.chart];
    if (!option) return;
    el.classList.remove("d-none");
    var fallback = el.parentElement.querySelector(".chart-fallback");
    if (fallback) fallback.classList.add("d-none");
    // The default HTML tooltip writes style="" attributes, which the Content-Security-Policy
    // refuses (style-src 'self'); rich text draws the tooltip on the canvas itself.
    if (option.tooltip) option.tooltip.renderMode = "richText";
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
