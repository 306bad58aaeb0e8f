import type { CloudWatchCheck, CloudWatchMetric, CloudWatchPreset } from '../config/index.ts';

const metric = (m: Omit<CloudWatchMetric, 'dimensions' | 'periodSeconds' | 'noData'> & Partial<CloudWatchMetric>): CloudWatchMetric => ({ dimensions: {}, periodSeconds: 60, noData: 'unknown', ...m });

/**
 * The usual signals a load balancer, database or container service sends to
 * CloudWatch, with thresholds that tell degraded from down. Ids are prefixed
 * by the preset's position so several presets can share a check.
 */
export function expandPreset(preset: CloudWatchPreset, index: number): CloudWatchMetric[] {
  const p = `p${index}_`;
  switch (preset.kind) {
    case 'alb': {
      const dims = { LoadBalancer: preset.loadBalancer, TargetGroup: preset.targetGroup };
      return [
        metric({ id: `${p}healthy_hosts`, namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: dims, stat: 'Minimum', downWhen: { below: 1 } }),
        metric({ id: `${p}unhealthy_hosts`, namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: dims, stat: 'Maximum', degradedWhen: { above: 0 } }),
        // no 5xx in a minute means no data point: that is good news
        metric({ id: `${p}elb_5xx`, namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: preset.loadBalancer }, stat: 'Sum', degradedWhen: { above: 5 }, downWhen: { above: 100 }, noData: 'up' }),
        metric({ id: `${p}response_time`, namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: preset.loadBalancer }, stat: 'p99', degradedWhen: { above: preset.slowAfterSeconds }, noData: 'up' }),
      ];
    }
    case 'classic-elb': {
      const dims = { LoadBalancerName: preset.loadBalancer };
      return [
        metric({ id: `${p}healthy_hosts`, namespace: 'AWS/ELB', metricName: 'HealthyHostCount', dimensions: dims, stat: 'Minimum', downWhen: { below: 1 } }),
        metric({ id: `${p}unhealthy_hosts`, namespace: 'AWS/ELB', metricName: 'UnHealthyHostCount', dimensions: dims, stat: 'Maximum', degradedWhen: { above: 0 } }),
        metric({ id: `${p}elb_5xx`, namespace: 'AWS/ELB', metricName: 'HTTPCode_ELB_5XX', dimensions: dims, stat: 'Sum', degradedWhen: { above: 5 }, downWhen: { above: 100 }, noData: 'up' }),
        metric({ id: `${p}latency`, namespace: 'AWS/ELB', metricName: 'Latency', dimensions: dims, stat: 'p99', degradedWhen: { above: preset.slowAfterSeconds }, noData: 'up' }),
      ];
    }
    case 'rds':
    case 'aurora': {
      const dims: Record<string, string> = preset.kind === 'rds' ? { DBInstanceIdentifier: preset.dbInstance } : { DBClusterIdentifier: preset.dbCluster };
      return [
        metric({ id: `${p}cpu`, namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: dims, stat: 'Average', degradedWhen: { above: 90 } }),
        ...(preset.maxConnections
          ? [metric({ id: `${p}connections`, namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: dims, stat: 'Maximum', degradedWhen: { above: Math.floor(preset.maxConnections * 0.9) }, downWhen: { above: preset.maxConnections - 1 } })]
          : []),
        metric({ id: `${p}free_memory`, namespace: 'AWS/RDS', metricName: 'FreeableMemory', dimensions: dims, stat: 'Minimum', degradedWhen: { below: 64 * 1024 * 1024 } }),
      ];
    }
    case 'ecs': {
      const dims = { ClusterName: preset.cluster, ServiceName: preset.service };
      return [
        metric({ id: `${p}running_tasks`, namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: dims, stat: 'Minimum', downWhen: { below: 1 } }),
        metric({ id: `${p}cpu`, namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: dims, stat: 'Average', degradedWhen: { above: 90 } }),
        metric({ id: `${p}memory`, namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: dims, stat: 'Average', degradedWhen: { above: 90 } }),
      ];
    }
  }
}

/** Every metric a check reads: its presets expanded, then its own. */
export function metricsOf(check: CloudWatchCheck): CloudWatchMetric[] {
  return [...check.presets.flatMap((preset, i) => expandPreset(preset, i)), ...check.metrics];
}
