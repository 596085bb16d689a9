// ECharts line and bar charts (SVG renderer, tree-shaken imports); every chart is disposed on view change.
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  DataZoomComponent,
  SVGRenderer,
]);

const live = new Set<echarts.ECharts>();

export interface Series {
  readonly name: string;
  readonly data: readonly (number | null)[];
  readonly step?: boolean;
}

/** Title, axis tooltip and legend shared by every chart; `option` adds the axes, grid and series. */
function mount(
  el: HTMLElement,
  title: string,
  legendTop: number,
  option: echarts.EChartsCoreOption,
): echarts.ECharts {
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({
    title: { text: title, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    legend: { top: legendTop, type: 'scroll' },
    animation: false,
    ...option,
  });
  live.add(chart);
  return chart;
}

/** A line chart over category times. */
export function lineChart(
  el: HTMLElement,
  title: string,
  x: readonly string[],
  series: readonly Series[],
  yName: string,
): echarts.ECharts {
  return mount(el, title, 24, {
    grid: { top: 64, left: 64, right: 24, bottom: 40 },
    xAxis: { type: 'category', data: x },
    yAxis: { type: 'value', name: yName, scale: true },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.data,
      showSymbol: false,
      step: s.step ? 'end' : undefined,
      connectNulls: false,
    })),
  });
}

/** A grouped bar chart: categories on x, one series per group. */
export function barChart(
  el: HTMLElement,
  title: string,
  categories: readonly string[],
  series: readonly Series[],
  yName: string,
): echarts.ECharts {
  return mount(el, title, 28, {
    grid: { top: 72, left: 64, right: 24, bottom: 120 },
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: { rotate: 30, interval: 0, width: 160, overflow: 'truncate' },
    },
    yAxis: { type: 'value', name: yName },
    series: series.map((s) => ({ name: s.name, type: 'bar', data: s.data })),
  });
}

export function disposeCharts(): void {
  for (const chart of live) chart.dispose();
  live.clear();
}

export function resizeCharts(): void {
  for (const chart of live) chart.resize();
}
