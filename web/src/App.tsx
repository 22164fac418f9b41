import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Route, Switch, useLocation, useSearch } from 'wouter';
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
import { InformationPage } from './features/portal/information-page.tsx';
import { OurDataPage } from './features/portal/our-data-page.tsx';
import {
  HomeGuidesPage,
  OurConsentPage,
  OurJourneyPage,
  ParentInvitationPage,
  WhatIsRecordedPage,
  WhoLookedPage,
} from './features/portal/portal.tsx';
import { ReferralPage, ReferralsPage } from './features/referrals/referrals-page.tsx';
import { SocialMapPage } from './features/referrals/social-map-page.tsx';
import { BreakGlassLogPage } from './features/shell/break-glass-log-page.tsx';
import { AccountPage, ADMIN_PARTS, AdminPage, HomePage } from './features/shell/home-page.tsx';
import { LanguageSwitch } from './features/shell/language-switch.tsx';
import { Shell } from './features/shell/shell.tsx';
import { TasksPage } from './features/tasks/tasks-page.tsx';
import { rememberLanguage } from './i18n/i18n.ts';
import { ParentPage } from './i18n/parent-page.tsx';
import { queryKeys } from './query-keys.ts';

/** The app: who is signed in decides between the sign-in page and the shell. */
export function App() {
  const { t, i18n } = useTranslation();
  const [path] = useLocation();
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: queryKeys.me(),
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
    queryClient.setQueryData(queryKeys.me(), { actor, csrfToken: '' });
  };
  const logout = async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    setCsrfToken(undefined);
    queryClient.setQueryData(queryKeys.me(), null);
  };

  if (path === '/enrol') return <EnrolLinkPage />;
  if (path === '/uitnodiging') return <InvitationPage />;
  if (path === '/outbox') return <DemoOutboxPage />;
  // Before signing in anyone may be a parent: these pages offer the parents' languages.
  const publicHeader = (
    <header className="kring-header">
      <span className="kring-brand">{t('app.name')}</span>
      <span className="kring-tagline">{t('app.tagline')}</span>
      <LanguageSwitch signedIn={false} parents />
    </header>
  );
  if (path === '/wachtwoord-vergeten' || path === '/wachtwoord' || path === '/ouder') {
    return (
      <>
        {publicHeader}
        {path === '/ouder' ? (
          <ParentInvitationPage />
        ) : path === '/wachtwoord' ? (
          <NewPasswordPage />
        ) : (
          <ForgotPasswordPage />
        )}
      </>
    );
  }
  if (me.isPending) return <Paragraph>{t('app.loading')}</Paragraph>;
  if (!me.data) {
    return (
      <>
        {publicHeader}
        <LoginPage onSignedIn={signedIn} />
      </>
    );
  }
  const actor = me.data.actor;
  return (
    <Shell actor={actor} onLogout={logout}>
      <Page actor={actor} />
    </Shell>
  );
}

/**
 * The page for a path (wouter: the routes are declared, the first that matches wins); each kind
 * of account sees only its own pages, and an unknown path lands on its start page — professionals
 * at their caseload, parents at their journey, analysts at the figures.
 */
function Page({ actor }: { actor: Actor }) {
  const search = useSearch();
  if (actor.kind === 'professional') {
    return (
      <Switch>
        <Route path="/account">{() => <AccountPage actor={actor} />}</Route>
        <Route path="/gezinnen/nieuw" component={RegisterFamilyPage} />
        <Route path="/gezinnen/:familyId">{({ familyId }) => <FamilyRecordPage familyId={familyId} />}</Route>
        <Route path="/gezinnen/:familyId/plan">
          {({ familyId }) => (
            <PlanPrintPage
              familyId={familyId}
              language={new URLSearchParams(search).get('taal') === 'en' ? 'en' : 'nl'}
            />
          )}
        </Route>
        <Route path="/overdrachten" component={HandoversPage} />
        <Route path="/taken" component={TasksPage} />
        <Route path="/overnemen" component={TakeOverPage} />
        <Route path="/kennis" component={KnowledgePage} />
        <Route path="/verwijzingen" component={ReferralsPage} />
        <Route path="/verwijzingen/:referralId">{({ referralId }) => <ReferralPage referralId={referralId} />}</Route>
        <Route path="/sociale-kaart">{() => <SocialMapPage actor={actor} />}</Route>
        <Route path="/consultaties" component={ConsultationsPage} />
        <Route path="/noodtoegang" component={EmergencyAccessPage} />
        <Route path="/delen-zonder-toestemming/:overrideId">
          {({ overrideId }) => <OverrideReviewPage overrideId={overrideId} />}
        </Route>
        <Route path="/meldcode/:routeId">{({ routeId }) => <MeldcodeRoutePage routeId={routeId} />}</Route>
        <Route component={CaseloadPage} />
      </Switch>
    );
  }
  if (actor.kind === 'parent') {
    return (
      <ParentPage>
        <Switch>
          <Route path="/account">{() => <AccountPage actor={actor} />}</Route>
          <Route path="/toestemming" component={OurConsentPage} />
          <Route path="/wie-keek-mee" component={WhoLookedPage} />
          <Route path="/vastgelegd" component={WhatIsRecordedPage} />
          <Route path="/onze-gegevens" component={OurDataPage} />
          <Route path="/vragen" component={HomeGuidesPage} />
          <Route path="/goed-om-te-weten" component={InformationPage} />
          <Route component={OurJourneyPage} />
        </Switch>
      </ParentPage>
    );
  }
  return (
    <Switch>
      <Route path="/account">{() => <AccountPage actor={actor} />}</Route>
      {actor.kind === 'admin' && <Route path="/noodtoegang-overzicht" component={BreakGlassLogPage} />}
      {actor.kind === 'admin' &&
        ADMIN_PARTS.map((part) => (
          <Route key={part.key} path={part.href}>
            {() => <AdminPage part={part.key} />}
          </Route>
        ))}
      {/* Analysts start at the municipality's figures. */}
      {actor.kind === 'analyst' && <Route path="/" component={FiguresPage} />}
      {actor.kind === 'analyst' && <Route path="/cijfers" component={FiguresPage} />}
      <Route>{() => <HomePage actor={actor} />}</Route>
    </Switch>
  );
}
