import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Actor, ApiError, api, type Me, setCsrfToken } from './api.ts';
import { Paragraph } from './components/nlds.tsx';
import { EnrolLinkPage } from './features/auth/enrol-link-page.tsx';
import { DemoOutboxPage, InvitationPage } from './features/auth/invitation-page.tsx';
import { LoginPage } from './features/auth/login-page.tsx';
import { ForgotPasswordPage, NewPasswordPage } from './features/auth/password-reset-pages.tsx';
import { EmergencyAccessPage } from './features/care-team/emergency-access-page.tsx';
import { HandoversPage } from './features/care-team/handovers-page.tsx';
import { TakeOverPage } from './features/care-team/take-over-page.tsx';
import { ConsultationsPage } from './features/consultations/consultations.tsx';
import { CaseloadPage } from './features/families/caseload-page.tsx';
import { FamilyRecordPage } from './features/families/family-record-page.tsx';
import { RegisterFamilyPage } from './features/families/register-family-page.tsx';
import { FiguresPage } from './features/figures/figures-page.tsx';
import { KnowledgePage } from './features/knowledge/knowledge-page.tsx';
import { MeldcodeRoutePage, OverrideReviewPage } from './features/meldcode/meldcode.tsx';
import { PlanPrintPage } from './features/plan/plan-print-page.tsx';
import {
  HomeGuidesPage,
  OurConsentPage,
  OurDataPage,
  OurJourneyPage,
  ParentInvitationPage,
  WhatIsRecordedPage,
  WhoLookedPage,
} from './features/portal/portal.tsx';
import { ReferralPage, ReferralsPage } from './features/referrals/referrals-page.tsx';
import { SocialMapPage } from './features/referrals/social-map-page.tsx';
import { BreakGlassLogPage } from './features/shell/break-glass-log-page.tsx';
import { AccountPage, HomePage } from './features/shell/home-page.tsx';
import { LanguageSwitch } from './features/shell/language-switch.tsx';
import { Shell } from './features/shell/shell.tsx';
import { TasksPage } from './features/tasks/tasks-page.tsx';
import { rememberLanguage } from './i18n/i18n.ts';

function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** The app: who is signed in decides between the sign-in page and the shell. */
export function App() {
  const { t, i18n } = useTranslation();
  const path = usePath();
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('GET', '/api/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    retry: false,
  });

  const signedIn = (actor: Actor) => {
    if (actor.language !== i18n.language) {
      rememberLanguage(actor.language);
      void i18n.changeLanguage(actor.language);
    }
    queryClient.setQueryData(['me'], { actor, csrfToken: '' });
  };
  const logout = async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    setCsrfToken(undefined);
    queryClient.setQueryData(['me'], null);
  };

  if (path === '/enrol') return <EnrolLinkPage />;
  if (path === '/uitnodiging') return <InvitationPage />;
  if (path === '/outbox') return <DemoOutboxPage />;
  if (path === '/wachtwoord-vergeten') return <ForgotPasswordPage />;
  if (path === '/wachtwoord') return <NewPasswordPage />;
  if (path === '/ouder') return <ParentInvitationPage />;
  if (me.isPending) return <Paragraph>{t('app.loading')}</Paragraph>;
  if (!me.data) {
    return (
      <>
        <header className="kring-header">
          <span className="kring-brand">{t('app.name')}</span>
          <span>{t('app.tagline')}</span>
          <LanguageSwitch signedIn={false} />
        </header>
        <LoginPage onSignedIn={signedIn} />
      </>
    );
  }
  const actor = me.data.actor;
  return (
    <Shell actor={actor} onLogout={logout}>
      <Page actor={actor} path={path} />
    </Shell>
  );
}

/** The page for a path; professionals start at their caseload. */
function Page({ actor, path }: { actor: Actor; path: string }) {
  if (path === '/account') return <AccountPage actor={actor} />;
  if (actor.kind === 'professional') {
    if (path === '/gezinnen/nieuw') return <RegisterFamilyPage />;
    const family = /^\/gezinnen\/([0-9a-f-]{36})$/.exec(path);
    if (family?.[1]) return <FamilyRecordPage familyId={family[1]} />;
    const plan = /^\/gezinnen\/([0-9a-f-]{36})\/plan$/.exec(path);
    if (plan?.[1]) {
      const language = new URLSearchParams(window.location.search).get('taal') === 'en' ? 'en' : 'nl';
      return <PlanPrintPage familyId={plan[1]} language={language} />;
    }
    if (path === '/overdrachten') return <HandoversPage />;
    if (path === '/taken') return <TasksPage />;
    if (path === '/overnemen') return <TakeOverPage />;
    if (path === '/kennis') return <KnowledgePage />;
    if (path === '/verwijzingen') return <ReferralsPage />;
    const referral = /^\/verwijzingen\/([0-9a-f-]{36})$/.exec(path);
    if (referral?.[1]) return <ReferralPage referralId={referral[1]} />;
    if (path === '/sociale-kaart') return <SocialMapPage actor={actor} />;
    if (path === '/consultaties') return <ConsultationsPage />;
    if (path === '/noodtoegang') return <EmergencyAccessPage />;
    const override = /^\/delen-zonder-toestemming\/([0-9a-f-]{36})$/.exec(path);
    if (override?.[1]) return <OverrideReviewPage overrideId={override[1]} />;
    const route = /^\/meldcode\/([0-9a-f-]{36})$/.exec(path);
    if (route?.[1]) return <MeldcodeRoutePage routeId={route[1]} />;
    return <CaseloadPage />;
  }
  if (actor.kind === 'parent') {
    if (path === '/toestemming') return <OurConsentPage />;
    if (path === '/wie-keek-mee') return <WhoLookedPage />;
    if (path === '/vastgelegd') return <WhatIsRecordedPage />;
    if (path === '/onze-gegevens') return <OurDataPage />;
    if (path === '/vragen') return <HomeGuidesPage />;
    return <OurJourneyPage />;
  }
  if (actor.kind === 'admin' && path === '/noodtoegang-overzicht') return <BreakGlassLogPage />;
  // Analysts start at the municipality's figures.
  if (actor.kind === 'analyst' && (path === '/' || path === '/cijfers')) return <FiguresPage />;
  return <HomePage actor={actor} />;
}
