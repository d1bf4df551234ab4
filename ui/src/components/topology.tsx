import { navigate } from '../router.js';
import { summaryHealth } from './status.js';
import type { ServiceSummary, TopologySummary } from '../wire.js';

const BOX_W = 210;
const BOX_H = 48;
const ROW = 64;
const COL = [16, 380, 744];
const WIDTH = COL[2]! + BOX_W + 16;

function short(name: string, max = 24): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

export function decisionLabel(s: TopologySummary): string {
  const verdict = s.Intention.Allowed ? 'allow' : 'deny';
  return s.Intention.HasPermissions ? `${verdict} (L7 rules)` : verdict;
}

function decisionTitle(s: TopologySummary, from: string, to: string): string {
  const how = s.Intention.HasPermissions
    ? 'an intention with L7 permissions decides per request'
    : s.Intention.HasExact
      ? 'an intention naming both services decides'
      : `no intention names both services: a wildcard intention or the default policy (${s.Intention.DefaultAllow ? 'allow' : 'deny'}) decides`;
  return `${from} → ${to}: ${s.Intention.Allowed ? 'allowed' : 'denied'}; ${how}`;
}

function Box({ s, x, y, center, hrefOf }: { s: ServiceSummary; x: number; y: number; center?: boolean; hrefOf: (name: string) => string }) {
  const health = summaryHealth(s);
  const detail = `${s.InstanceCount} instance${s.InstanceCount === 1 ? '' : 's'} · ${health === 'none' ? 'no checks' : health}`;
  const body = (
    <g class={`topo-box topo-${health}${center ? ' topo-center' : ''}`} data-service={s.Name}>
      <title>{`${s.Name}: ${detail}`}</title>
      <rect x={x} y={y} width={BOX_W} height={BOX_H} rx="6" />
      <rect class="topo-stripe" x={x} y={y} width="6" height={BOX_H} rx="2" />
      <text x={x + 16} y={y + 20} class="topo-name">
        {short(s.Name)}
      </text>
      <text x={x + 16} y={y + 38} class="topo-detail">
        {detail}
      </text>
    </g>
  );
  if (center) return body;
  const link = hrefOf(s.Name);
  return (
    <a
      href={link}
      onClick={(e: MouseEvent) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(link);
      }}
    >
      {body}
    </a>
  );
}

/** A point at `t` along the edge's curve; labels sit on the fanned-out side so they never overlap. */
function along(from: [number, number], to: [number, number], t: number): [number, number] {
  const mx = (from[0] + to[0]) / 2;
  const u = 1 - t;
  const x = u * u * u * from[0] + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * to[0];
  const y = u * u * u * from[1] + 3 * u * u * t * from[1] + 3 * u * t * t * to[1] + t * t * t * to[1];
  return [x, y];
}

function Edge({ from, to, s, title, labelAt }: { from: [number, number]; to: [number, number]; s: TopologySummary; title: string; labelAt: number }) {
  const allowed = s.Intention.Allowed;
  const mx = (from[0] + to[0]) / 2;
  const [lx, ly] = along(from, to, labelAt);
  const label = decisionLabel(s);
  const labelW = (label.length + 2) * 7.5 + 12;
  return (
    <g class={`topo-edge ${allowed ? 'edge-allow' : 'edge-deny'}`} data-edge={s.Name} data-decision={allowed ? 'allow' : 'deny'}>
      <title>{title}</title>
      <path d={`M${from[0]},${from[1]} C${mx},${from[1]} ${mx},${to[1]} ${to[0]},${to[1]}`} marker-end={allowed ? 'url(#arrow-allow)' : 'url(#arrow-deny)'} />
      <rect class="edge-label-bg" x={lx - labelW / 2} y={ly - 11} width={labelW} height="22" rx="11" />
      <text class="edge-label" x={lx} y={ly + 4} text-anchor="middle">
        {allowed ? '✓ ' : '⊘ '}
        {label}
      </text>
    </g>
  );
}

/**
 * The service in the middle, the services that call it on the left, the ones it calls on the
 * right; each edge says whether intentions allow that connection. Colour and dashes repeat
 * what the words say. Boxes link to those services' own topology.
 */
export function TopologyPicture({ center, upstreams, downstreams, hrefOf }: { center: ServiceSummary; upstreams: TopologySummary[]; downstreams: TopologySummary[]; hrefOf: (name: string) => string }) {
  const rows = Math.max(upstreams.length, downstreams.length, 1);
  const height = rows * ROW + 40;
  const midY = height / 2 - BOX_H / 2;
  const yOf = (i: number, n: number) => height / 2 - (n * ROW) / 2 + i * ROW + (ROW - BOX_H) / 2;
  return (
    <svg class="topology" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={`Topology of ${center.Name}: ${downstreams.length} downstream and ${upstreams.length} upstream services`}>
      <defs>
        <marker id="arrow-allow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" class="marker-allow" />
        </marker>
        <marker id="arrow-deny" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" class="marker-deny" />
        </marker>
      </defs>
      <text class="topo-heading" x={COL[0]} y="14">
        Downstreams (call {short(center.Name, 18)})
      </text>
      <text class="topo-heading" x={COL[2]} y="14">
        Upstreams ({short(center.Name, 18)} calls)
      </text>
      {downstreams.length === 0 && (
        <text class="topo-detail" x={COL[0]} y={midY + BOX_H / 2}>
          none
        </text>
      )}
      {upstreams.length === 0 && (
        <text class="topo-detail" x={COL[2]} y={midY + BOX_H / 2}>
          none
        </text>
      )}
      {downstreams.map((d, i) => {
        const y = yOf(i, downstreams.length);
        return <Edge key={`d-${d.Name}`} s={d} from={[COL[0]! + BOX_W, y + BOX_H / 2]} to={[COL[1]! - 2, midY + BOX_H / 2]} title={decisionTitle(d, d.Name, center.Name)} labelAt={0.4} />;
      })}
      {upstreams.map((u, i) => {
        const y = yOf(i, upstreams.length);
        return <Edge key={`u-${u.Name}`} s={u} from={[COL[1]! + BOX_W, midY + BOX_H / 2]} to={[COL[2]! - 2, y + BOX_H / 2]} title={decisionTitle(u, center.Name, u.Name)} labelAt={0.6} />;
      })}
      {downstreams.map((d, i) => (
        <Box key={`db-${d.Name}`} s={d} x={COL[0]!} y={yOf(i, downstreams.length)} hrefOf={hrefOf} />
      ))}
      <Box s={center} x={COL[1]!} y={midY} center hrefOf={hrefOf} />
      {upstreams.map((u, i) => (
        <Box key={`ub-${u.Name}`} s={u} x={COL[2]!} y={yOf(i, upstreams.length)} hrefOf={hrefOf} />
      ))}
    </svg>
  );
}
