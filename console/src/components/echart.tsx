/**
 * One ECharts chart, filling its width and following its size. Only ECharts' core is imported
 * here: each page registers (`echarts.use`) the series and components it draws, so its own
 * chunk carries no more of ECharts than that.
 */
import * as echarts from 'echarts/core';
import { useEffect, useRef } from 'react';

export function EChart({
  option,
  height,
  className,
}: {
  option: echarts.EChartsCoreOption;
  height: number;
  className?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  // true: the new option replaces the old one instead of merging into it.
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={el} className={className} style={{ width: '100%', height }} />;
}
