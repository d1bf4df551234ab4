import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { Link } from './link.js';

export interface Crumb {
  label: string;
  href: string;
}

/**
 * The page's title (also the document title) with its breadcrumbs and actions. The h1 takes
 * focus after a navigation (see app.tsx) so keyboard and screen-reader users start there.
 */
export function PageHeader({ title, crumbs = [], children, badge }: { title: string; crumbs?: Crumb[]; children?: ComponentChildren; badge?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Weft`;
  }, [title]);
  return (
    <div class="page-header">
      {crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" class="crumbs">
          <ol>
            {crumbs.map((c) => (
              <li key={c.href}>
                <Link href={c.href}>{c.label}</Link>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div class="title-row">
        <h1 tabIndex={-1}>
          {title} {badge}
        </h1>
        {children && <div class="actions">{children}</div>}
      </div>
    </div>
  );
}
