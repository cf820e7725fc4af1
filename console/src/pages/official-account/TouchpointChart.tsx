/**
 * A touchpoint's days: scans, new followers and first orders as lines, GMV as bars on its own
 * axis (yuan). Only the line and bar series, the grid, the legend and the tooltip are
 * registered, so the chunk carries no more of ECharts than this draws.
 */
import { formatFen } from '@chatmall/shared';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import type { Res } from '../../api/hooks';
import { EChart } from '../../components/echart';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function TouchpointChart({ stats }: { stats: Res<'touchpointStats'> }) {
  const option = useMemo(() => {
    const days = stats.days;
    return {
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => String(v),
      },
      grid: { left: 48, right: 64, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
      yAxis: [
        { type: 'value', minInterval: 1, name: '人次 Count' },
        {
          type: 'value',
          name: 'GMV ¥',
          splitLine: { show: false },
          axisLabel: { formatter: (v: number) => `${v}` },
        },
      ],
      series: [
        { name: '扫码 Scans', type: 'line', data: days.map((d) => d.scans), color: '#1677ff' },
        {
          name: '新粉丝 New followers',
          type: 'line',
          smooth: true,
          data: days.map((d) => d.newFollowers),
          color: '#07c160',
        },
        {
          name: '首单 First orders',
          type: 'line',
          smooth: true,
          data: days.map((d) => d.firstOrders),
          color: '#fa8c16',
        },
        {
          name: 'GMV',
          type: 'bar',
          yAxisIndex: 1,
          barMaxWidth: 14,
          data: days.map((d) => d.gmv / 100),
          color: '#d3adf7',
          tooltip: { valueFormatter: (v: number) => formatFen(Math.round(v * 100)) },
        },
      ],
    };
  }, [stats]);
  return <EChart option={option} height={280} className="touchpoint-chart" />;
}
