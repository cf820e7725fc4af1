/**
 * A campaign's funnel: targeted → sent → delivered → clicked → ordered as bars with each
 * stage's share of the one before, and the orders' GMV beside the last. Only the bar series,
 * the grid and the tooltip are registered.
 */
import { formatFen, type CampaignFunnel } from '@chatmall/shared';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { EChart } from '../../components/echart';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export function FunnelChart({ funnel }: { funnel: CampaignFunnel }) {
  const option = useMemo(() => {
    const rows = [
      { zh: '目标', en: 'Targeted', v: funnel.targeted, color: '#bfbfbf' },
      { zh: '已发送', en: 'Sent', v: funnel.sent, color: '#69b1ff' },
      { zh: '已送达', en: 'Delivered', v: funnel.delivered, color: '#1677ff' },
      { zh: '点击', en: 'Clicked', v: funnel.clicked, color: '#fa8c16' },
      { zh: '下单', en: 'Ordered', v: funnel.ordered, color: '#07c160' },
    ];
    const share = (i: number) =>
      i === 0 || rows[i - 1].v === 0 ? '' : ` (${Math.round((rows[i].v / rows[i - 1].v) * 1000) / 10}%)`;
    return {
      grid: { left: 110, right: 170, top: 8, bottom: 8 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', show: false },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => `${r.zh} ${r.en}`),
        axisTick: { show: false },
        axisLine: { show: false },
      },
      series: [
        {
          type: 'bar',
          barWidth: 20,
          data: rows.map((r) => ({ value: r.v, itemStyle: { color: r.color, borderRadius: 3 } })),
          label: {
            show: true,
            position: 'right',
            formatter: (p: { dataIndex: number }) =>
              `${rows[p.dataIndex].v}${share(p.dataIndex)}${p.dataIndex === 4 ? ` · GMV ${formatFen(funnel.gmv)}` : ''}`,
          },
        },
      ],
    };
  }, [funnel]);
  return <EChart option={option} height={240} className="campaign-funnel" />;
}
