/** One ECharts chart (only the pieces the dashboard uses are bundled, in its own chunk). */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { EChart } from '../../components/echart';

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 280,
  className,
}: {
  option: ChartOption;
  height?: number;
  className?: string;
}) {
  return <EChart option={option} height={height} className={className} />;
}
