import { Link } from '../components/link.js';
import { PageHeader } from '../components/page-header.js';
import { href, type ServiceTab } from '../router.js';
import { InstancesTab } from './service-instances.js';
import { RoutingTab } from './service-routing.js';
import { TopologyTab } from './service-topology.js';

const TABS: { tab: ServiceTab; label: string }[] = [
  { tab: 'instances', label: 'Instances' },
  { tab: 'topology', label: 'Topology' },
  { tab: 'routing', label: 'Routing' },
];

/** One service. Each tab follows only what it shows, so leaving a tab stops its updates. */
export function ServicePage({ dc, name, tab }: { dc: string; name: string; tab: ServiceTab }) {
  return (
    <section>
      <PageHeader title={name} crumbs={[{ label: 'Services', href: href({ page: 'services', dc }) }]} />
      <nav class="tabs" aria-label="Service views">
        {TABS.map((t) => (
          <Link key={t.tab} href={href({ page: 'service', dc, name, tab: t.tab })} aria-current={t.tab === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === 'instances' && <InstancesTab dc={dc} name={name} />}
      {tab === 'topology' && <TopologyTab dc={dc} name={name} />}
      {tab === 'routing' && <RoutingTab dc={dc} name={name} />}
    </section>
  );
}
