// Renders the built-in HTTP services for the worker that received the request: the primary holds
// the only place where every worker's counters meet.
import type { ServiceReply, ServiceRequest } from '../ipc';
import { renderPrometheus } from '../metrics';
import type { RuntimeServices } from './services';
import { renderStatsService } from './stats-page';

export async function renderService(req: ServiceRequest, rt: RuntimeServices): Promise<ServiceReply> {
  if (req.service === 'prometheus-exporter') {
    const { contentType, body } = await renderPrometheus({
      model: rt.model,
      stats: await rt.stats(),
      servers: rt.servers(),
      version: rt.version,
      startedAt: rt.startedAt,
      maxconn: rt.limits.globalMaxconn,
    });
    return { status: 200, headers: ['content-type', contentType], body };
  }
  return renderStatsService(req, rt);
}
