import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import type { taskRoutes } from '../../../../server/src/tasks/task.routes.ts';
import { type Actor, type Answer, api } from '../../api.ts';
import { Button, Link } from '../../components/nlds.tsx';
import { rememberLanguage } from '../../i18n/i18n.ts';
import { queryKeys } from '../../query-keys.ts';
import { LanguageSwitch } from './language-switch.tsx';

interface NavItem {
  key: string;
  href: string;
  ready: boolean;
}

/** The modules each kind of account will find; those not built yet are shown as coming. */
const NAVIGATION: Record<Actor['kind'], NavItem[]> = {
  professional: [
    { key: 'caseload', href: '/', ready: true },
    { key: 'tasks', href: '/taken', ready: true },
    { key: 'handovers', href: '/overdrachten', ready: true },
    { key: 'referrals', href: '/verwijzingen', ready: true },
    { key: 'socialMap', href: '/sociale-kaart', ready: true },
    { key: 'consultations', href: '/consultaties', ready: true },
    { key: 'knowledge', href: '/kennis', ready: true },
    { key: 'account', href: '/account', ready: true },
  ],
  analyst: [
    { key: 'dashboard', href: '/', ready: true },
    { key: 'account', href: '/account', ready: true },
  ],
  parent: [
    { key: 'ourJourney', href: '/', ready: true },
    { key: 'homeGuides', href: '/vragen', ready: true },
    { key: 'recorded', href: '/vastgelegd', ready: true },
    { key: 'whoLooked', href: '/wie-keek-mee', ready: true },
    { key: 'ourConsent', href: '/toestemming', ready: true },
    { key: 'ourData', href: '/onze-gegevens', ready: true },
    { key: 'information', href: '/goed-om-te-weten', ready: true },
    { key: 'account', href: '/account', ready: true },
  ],
  admin: [
    { key: 'home', href: '/', ready: true },
    { key: 'adminPeople', href: '/beheer/mensen', ready: true },
    { key: 'adminOrganisations', href: '/beheer/organisaties', ready: true },
    { key: 'adminContent', href: '/beheer/inhoud', ready: true },
    { key: 'adminSystems', href: '/beheer/systemen', ready: true },
    { key: 'adminSecurity', href: '/beheer/beveiliging', ready: true },
    { key: 'adminAlerts', href: '/beheer/meldingen', ready: true },
    { key: 'breakGlassLog', href: '/noodtoegang-overzicht', ready: true },
    { key: 'account', href: '/account', ready: true },
  ],
  // A connected system calls the FHIR API with a token; it never has a web session.
  system: [],
};

export function actorRole(actor: Actor, t: (key: string) => string): string {
  return actor.discipline ? t(`disciplines.${actor.discipline}`) : t(`kinds.${actor.kind}`);
}

/** Header with the actor, language switch and sign-out; the main navigation; the page. */
export function Shell({ actor, onLogout, children }: { actor: Actor; onLogout: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const [path] = useLocation();
  const notifications = useQuery({
    queryKey: queryKeys.notifications(),
    queryFn: () => api<Answer<typeof taskRoutes, 'GET /api/notifications'>>('GET', '/api/notifications'),
    refetchInterval: 60_000,
  });
  const unread = notifications.data?.unread ?? 0;
  // On a phone the account and the navigation fold behind one menu button; it closes on every page.
  const [menuOpen, setMenuOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the menu whenever the page changes
  useEffect(() => setMenuOpen(false), [path]);
  // The account's language wins (chosen on another device, or a parents' language chosen on this
  // device before a professional signed in: their pages are in Dutch and English).
  const { i18n } = useTranslation();
  useEffect(() => {
    if (actor.language !== i18n.language) {
      rememberLanguage(actor.language);
      void i18n.changeLanguage(actor.language);
    }
  }, [actor.language, i18n]);
  return (
    <div className={menuOpen ? 'kring-shell kring-shell--menu-open' : 'kring-shell'}>
      <a className="kring-skip-link utrecht-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="kring-header">
        <a className="kring-brand" href="/">
          {t('app.name')}
        </a>
        <button
          type="button"
          className="utrecht-button utrecht-button--secondary-action kring-menu-button"
          aria-expanded={menuOpen}
          aria-controls="kring-actor kring-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t('shell.menu')}
          {unread > 0 ? ` (${unread})` : ''}
        </button>
        <div className="kring-actor" id="kring-actor">
          <div className="kring-actor__who" data-testid="actor">
            <span className="visually-hidden">{t('shell.signedInAs')} </span>
            <strong>{actor.displayName}</strong>
            <div className="kring-actor__role">
              {actorRole(actor, t)}
              {actor.organisationName ? ` · ${actor.organisationName}` : ''}
            </div>
          </div>
          <LanguageSwitch parents={actor.kind === 'parent'} />
          <Button appearance="secondary" onClick={onLogout}>
            {t('shell.logout')}
          </Button>
        </div>
      </header>
      <nav className="kring-nav" id="kring-nav" aria-label={t('shell.mainNav')}>
        <ul>
          {unread > 0 && (
            <li>
              {actor.kind === 'professional' ? (
                <Link href="/taken">
                  <span className="kring-badge">{t('shell.unread', { count: unread })}</span>
                </Link>
              ) : (
                <button
                  type="button"
                  className="utrecht-button utrecht-button--subtle kring-badge"
                  title={t('shell.markRead')}
                  onClick={async () => {
                    await api('POST', '/api/notifications/read');
                    await notifications.refetch();
                  }}
                >
                  {t('shell.unread', { count: unread })}
                </button>
              )}
            </li>
          )}
          {NAVIGATION[actor.kind].map((item) => (
            <li key={item.key}>
              {item.ready ? (
                <Link href={item.href} current={path === item.href}>
                  {t(`nav.${item.key}`)}
                </Link>
              ) : (
                <span className="kring-planned">
                  {t(`nav.${item.key}`)} ({t('shell.planned')})
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="kring-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
