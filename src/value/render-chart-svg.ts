// ECharts rendered on the server to a deterministic SVG string, and a legend layout that never pages or clips.
import * as echarts from 'echarts';

/** Render one ECharts option to an SVG string (no DOM, no animation); `idPrefix` must be unique in a page. */
export function renderChartSvg(
  option: echarts.EChartsOption,
  width = 960,
  height = 340,
  idPrefix = 'chart',
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, ...option });
  // ECharts numbers its instances per process (ids `zr<N>-…`); renumber so output depends on the data only.
  // Style classes are numbered by a process-wide counter too: renumber them by first appearance.
  const classes = new Map<string, number>();
  const svg = chart
    .renderToSVGString()
    .replace(/\bzr\d+-/g, `${idPrefix}-`)
    .replace(/-cls-(\d+)/g, (_, n: string) => {
      if (!classes.has(n)) classes.set(n, classes.size);
      return `-cls-${classes.get(n)}`;
    });
  chart.dispose();
  return svg;
}

const LEGEND_FONT_PX = 12;
const LEGEND_ROW_PX = 22;
/** Icon, gap to the text and gap to the next item (ECharts defaults: itemWidth 25, 5 and itemGap 10). */
const LEGEND_ITEM_EXTRA_PX = 25 + 5 + 10;
/**
 * Generous average glyph width at 12 px: ECharts measures text on the server with Helvetica-like widths, while
 * browsers often render wider fonts (DejaVu Sans), so legend texts get a fixed box this wide per character.
 */
const GLYPH_PX = 0.62 * LEGEND_FONT_PX;

/**
 * A plain (never paged) legend under the plot: every item gets the same text box, wide enough for the longest
 * name in any common sans-serif font, so items line up in columns and wrap onto as many rows as they need; and
 * the bottom margin the plot must leave for the legend and the x-axis labels above it.
 */
export function wrappedLegend(
  names: readonly string[],
  widthPx: number,
  axisLabelPx = 28,
): { legend: echarts.LegendComponentOption; gridBottomPx: number } {
  const textPx = Math.ceil(Math.max(1, ...names.map((n) => n.length)) * GLYPH_PX);
  const perRow = Math.max(1, Math.floor((widthPx - 20) / (textPx + LEGEND_ITEM_EXTRA_PX)));
  const rows = Math.max(1, Math.ceil(names.length / perRow));
  return {
    legend: {
      type: 'plain',
      bottom: 4,
      left: 10,
      right: 10,
      // A fixed-width text box; the (transparent) background makes ECharts lay items out by the box, not by
      // its own measure of the text.
      textStyle: { fontSize: LEGEND_FONT_PX, width: textPx, backgroundColor: 'transparent' },
    },
    gridBottomPx: axisLabelPx + 12 + rows * LEGEND_ROW_PX,
  };
}
