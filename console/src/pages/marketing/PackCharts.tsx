/**
 * The pack page's two charts: where the budget went (a bar per stage) and the share tree (who
 * brought whom). Only the bar and tree series, the grid and the tooltip are registered, so the
 * chunk carries no more of ECharts than this page draws.
 */
import { formatFen, type RedEnvelopePackStats, type RedEnvelopeTreeNode } from '@chatmall/shared';
import { BarChart, TreeChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { EChart } from '../../components/echart';

echarts.use([BarChart, TreeChart, GridComponent, TooltipComponent, CanvasRenderer]);

const yuan = (fen: number) => fen / 100;

/** Funded → grabbed → used, and what returned or is left: amounts in yuan, counts in the tooltip. */
export function PackFunnel({ stats }: { stats: RedEnvelopePackStats }) {
  const option = useMemo(() => {
    const rows = [
      { zh: '发放', en: 'Funded', v: stats.funded, color: '#fa8c16' },
      { zh: '已抢', en: 'Grabbed', v: stats.grabbed, color: '#f5222d' },
      { zh: '已使用', en: 'Used', v: stats.used, color: '#07c160' },
      { zh: '已退回', en: 'Returned', v: stats.returned, color: '#8c8c8c' },
      { zh: '剩余', en: 'Left', v: stats.left, color: '#d9d9d9' },
    ];
    return {
      grid: { left: 90, right: 90, top: 8, bottom: 8 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const r = rows[p.dataIndex];
          return `${r.zh} ${r.en}<br/>${r.v.count} 份 shares · ${formatFen(r.v.amount)}`;
        },
      },
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
          barWidth: 18,
          data: rows.map((r) => ({ value: yuan(r.v.amount), itemStyle: { color: r.color, borderRadius: 3 } })),
          label: {
            show: true,
            position: 'right',
            formatter: (p: { dataIndex: number }) =>
              `${formatFen(rows[p.dataIndex].v.amount)} · ${rows[p.dataIndex].v.count}`,
          },
        },
      ],
    };
  }, [stats]);
  return <EChart option={option} height={210} className="pack-funnel" />;
}

interface TreeDatum {
  name: string;
  value: number;
  node: RedEnvelopeTreeNode;
  children: TreeDatum[];
  symbol?: string;
  itemStyle?: { color: string; borderColor: string };
}

/** The nodes (each with its parent's id) as the nested data a tree series draws. */
export function treeData(nodes: RedEnvelopeTreeNode[], luckiest: Set<string>): TreeDatum | null {
  const byId = new Map<string, TreeDatum>();
  for (const n of nodes)
    byId.set(n.id, {
      name: n.grabbed !== null ? `${n.name}\n${formatFen(n.grabbed)}${luckiest.has(n.id) ? ' 手气最佳' : ''}` : n.name,
      value: n.grabbed ?? 0,
      node: n,
      children: [],
      ...(luckiest.has(n.id) ? { symbol: 'circle', itemStyle: { color: '#fa541c', borderColor: '#fa541c' } } : {}),
    });
  let root: TreeDatum | null = null;
  for (const n of nodes) {
    const d = byId.get(n.id)!;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) parent.children.push(d);
    else if (!n.parentId) root = d;
  }
  return root;
}

export function ShareTree({ nodes, luckiest }: { nodes: RedEnvelopeTreeNode[]; luckiest: Set<string> }) {
  const option = useMemo(() => {
    const root = treeData(nodes, luckiest);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: TreeDatum }) => {
          const n = p.data.node;
          if (!n.parentId) return `${n.name}<br/>直接带来 ${n.brought} 人 · brought ${n.brought}`;
          return [
            n.name,
            n.grabbed !== null ? `抢到 Grabbed ${formatFen(n.grabbed)}` : '未抢 Did not grab',
            `带来 Brought ${n.brought} 人`,
            `订单 Orders ${n.orders} · GMV ${formatFen(n.gmv)}`,
            n.groupKey ? `群 Group ${n.groupKey}` : '',
          ]
            .filter(Boolean)
            .join('<br/>');
        },
      },
      series: [
        {
          type: 'tree',
          data: root ? [root] : [],
          orient: 'LR',
          top: 24,
          bottom: 24,
          left: 90,
          right: 140,
          symbolSize: 12,
          initialTreeDepth: -1,
          expandAndCollapse: false,
          itemStyle: { color: '#07c160', borderColor: '#07c160' },
          lineStyle: { color: '#bfbfbf' },
          label: { position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 12 },
          leaves: { label: { position: 'right', verticalAlign: 'middle', align: 'left' } },
          animationDuration: 300,
        },
      ],
    };
  }, [nodes, luckiest]);
  const depth = Math.max(1, nodes.length);
  return <EChart option={option} height={Math.min(640, Math.max(240, depth * 36))} className="share-tree" />;
}
