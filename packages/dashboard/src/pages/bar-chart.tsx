import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A bar chart (Chart.js), redrawn when its data changes. */
export function BarChart(props: {
  labels: string[];
  series: Array<{ label: string; color: string; data: number[] }>;
  stacked?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: props.labels,
        datasets: props.series.map((s) => ({
          label: s.label,
          data: s.data,
          backgroundColor: s.color,
          borderRadius: 4,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: props.series.length > 1, position: 'bottom' } },
        scales: {
          x: { stacked: props.stacked, grid: { display: false } },
          y: { stacked: props.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(props)]);
  return (
    <div class="h-56">
      <canvas ref={canvas} />
    </div>
  );
}
