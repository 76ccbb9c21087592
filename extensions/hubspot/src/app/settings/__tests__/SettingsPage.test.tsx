import {
  Alert,
  Button,
  ErrorState,
  Input,
  LoadingSpinner,
  NumberInput,
  StatusTag,
  Table,
  TableRow,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';

import { answerOf, change, ok, routeFetcher, textOf } from '../../pages/__tests__/fixtures.ts';
import { API_BASE, type ApiFetcher } from '../../pages/api.ts';
import type { CrmHealth } from '../settings-api.ts';
import { SettingsPage } from '../SettingsPage.tsx';
import accountListBadHeader from './data/account-list-bad-header.json' with { type: 'json' };
import accountListImported from './data/account-list-imported.json' with { type: 'json' };
import partners from './data/partners.json' with { type: 'json' };
import program from './data/program.json' with { type: 'json' };
import programImport from './data/program-import.json' with { type: 'json' };
import programInvalid from './data/program-invalid.json' with { type: 'json' };
import programSaved from './data/program-saved.json' with { type: 'json' };
import programVersionConflict from './data/program-version-conflict.json' with { type: 'json' };
import syncHealth from './data/sync-health.json' with { type: 'json' };

const PROGRAM = 'GET /api/v1/program';
const SAVE = 'PUT /api/v1/program';
const HEALTH = 'GET /api/v1/sync/health';
const PARTNERS = 'GET /api/v1/partners';
const partner = partners.items[0]!;
const IMPORT = `POST /api/v1/partners/${partner.id}/accounts/import`;

const createHealth = (overrides: Partial<CrmHealth> = {}) => ({
  crms: [{ ...(syncHealth.crms[0] as CrmHealth), ...overrides }],
});

const renderSettings = (fetcher: ApiFetcher) => {
  const renderer = createRenderer('settings');
  renderer.render(<SettingsPage fetcher={fetcher} />);
  return renderer;
};

const field = (renderer: ReturnType<typeof renderSettings>, name: string) =>
  renderer.find(NumberInput, { name });

describe('SettingsPage', () => {
  it('shows a spinner while the program has not answered', () => {
    const { findByTestId } = renderSettings(routeFetcher({}));
    expect(findByTestId(LoadingSpinner, 'settings-loading')).toBeDefined();
  });

  it('shows the program in its form, the rate card, sync health and the intake', async () => {
    const renderer = renderSettings(
      routeFetcher({ [PARTNERS]: ok(partners), [PROGRAM]: ok(program), [HEALTH]: ok(syncHealth) }),
    );
    await renderer.waitFor(() => expect(renderer.findByTestId(Table, 'rate-card')).toBeDefined());
    expect(renderer.find(Input, { name: 'program.currency' }).props.value).toBe('USD');
    expect(field(renderer, 'program.protectionDays.byTier.platinum').props.value).toBe(120);
    expect(field(renderer, 'program.caps.activeRegistrationsByTier.silver').props.value).toBe(25);
    const rows = renderer.findByTestId(Table, 'rate-card').findAll(TableRow);
    expect(rows).toHaveLength(program.program.rates.length + 1);
    expect(textOf(rows[1]!)).toBe('reseller gold sourced 30 % No cap');
    expect(textOf(rows[3]!)).toBe('Any Any influenced 5 % 5,000.00 USD');
    expect(renderer.findByTestId(StatusTag, 'sync-status-hubspot').text).toBe('connected');
    expect(renderer.findByTestId(Text, 'intake-endpoint').text).toBe(
      `POST ${API_BASE}/api/v1/registrations`,
    );
  });

  it('shows a broken CRM with its reason', async () => {
    const renderer = renderSettings(
      routeFetcher({
        [PARTNERS]: ok(partners),
        [PROGRAM]: ok(program),
        [HEALTH]: ok(
          createHealth({ status: 'broken', statusReason: 'the refresh token was revoked' }),
        ),
      }),
    );
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(StatusTag, 'sync-status-hubspot').props.variant).toBe('danger'),
    );
    expect(renderer.findByTestId(StatusTag, 'sync-status-hubspot').text).toBe(
      'broken: the refresh token was revoked',
    );
  });

  it('saves the program with the version it was read at', async () => {
    const fetcher = routeFetcher({
      [PARTNERS]: ok(partners),
      [PROGRAM]: ok(program),
      [HEALTH]: ok(syncHealth),
      [SAVE]: answerOf(programSaved),
    });
    const renderer = renderSettings(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'save-program')).toBeDefined(),
    );
    change(field(renderer, 'program.approvalSlaHours'), 72);
    change(field(renderer, 'program.protectionDays.byTier.platinum'), undefined);
    renderer.findByTestId(Button, 'save-program').trigger('onClick');
    await renderer.waitFor(() =>
      expect(textOf(renderer.findByTestId(Alert, 'program-saved'))).toBe(
        `Version ${programSaved.version} is in force.`,
      ),
    );
    const [, options] = fetcher.mock.calls.find(([, o]) => o.method === 'PUT')!;
    const body = options.body as { version: number; program: typeof program.program };
    expect(body.version).toBe(program.version);
    expect(body.program.approvalSlaHours).toBe(72);
    expect(body.program.protectionDays.byTier).toEqual({});
    expect(body.program.rates).toEqual(program.program.rates);
  });

  it('sets when SLA tasks are made and their fallback owner', async () => {
    const fetcher = routeFetcher({
      [PARTNERS]: ok(partners),
      [PROGRAM]: ok(program),
      [HEALTH]: ok(syncHealth),
      [SAVE]: answerOf(programSaved),
    });
    const renderer = renderSettings(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'save-program')).toBeDefined(),
    );
    expect(field(renderer, 'program.slaTasks.share').props.value).toBe(75);
    change(field(renderer, 'program.slaTasks.share'), 50);
    change(renderer.find(Input, { name: 'program.slaTasks.fallbackOwnerId' }), ' 9001 ');
    renderer.findByTestId(Button, 'save-program').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'program-saved')).toBeDefined(),
    );
    const [, options] = fetcher.mock.calls.find(([, o]) => o.method === 'PUT')!;
    expect((options.body as { program: { slaTasks: unknown } }).program.slaTasks).toEqual({
      ...program.program.slaTasks,
      share: 0.5,
      fallbackOwnerId: '9001',
    });
  });

  it("shows the server's validation errors at the fields they name", async () => {
    const renderer = renderSettings(
      routeFetcher({
        [PARTNERS]: ok(partners),
        [PROGRAM]: ok(program),
        [HEALTH]: ok(syncHealth),
        [SAVE]: answerOf(programInvalid),
      }),
    );
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'save-program')).toBeDefined(),
    );
    renderer.findByTestId(Button, 'save-program').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.find(Input, { name: 'program.currency' }).props.error).toBe(true),
    );
    const messages = Object.fromEntries(
      programInvalid.error.details.map((detail) => [detail.path, detail.message]),
    );
    expect(renderer.find(Input, { name: 'program.currency' }).props.validationMessage).toBe(
      messages['program.currency'],
    );
    expect(field(renderer, 'program.protectionDays.byTier.gold').props.validationMessage).toBe(
      messages['program.protectionDays.byTier.gold'],
    );
    expect(field(renderer, 'program.approvalSlaHours').props.validationMessage).toBe(
      messages['program.approvalSlaHours'],
    );
    expect(field(renderer, 'program.protectionDays.default').props.error).toBe(false);
    expect(textOf(renderer.findByTestId(Alert, 'program-invalid'))).toBe(
      'See the fields marked below.',
    );
  });

  it('shows a 409 as a save by someone else, and reloads on request', async () => {
    const fetcher = routeFetcher({
      [PARTNERS]: ok(partners),
      [PROGRAM]: ok(program),
      [HEALTH]: ok(syncHealth),
      [SAVE]: answerOf(programVersionConflict),
    });
    const renderer = renderSettings(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'save-program')).toBeDefined(),
    );
    renderer.findByTestId(Button, 'save-program').trigger('onClick');
    await renderer.waitFor(() =>
      expect(textOf(renderer.findByTestId(Alert, 'program-conflict'))).toContain(
        programVersionConflict.error.message,
      ),
    );
    renderer.findByTestId(Alert, 'program-conflict').find(Button).trigger('onClick');
    await renderer.waitFor(() =>
      expect(fetcher.mock.calls.filter(([url]) => url.endsWith('/api/v1/program'))).toHaveLength(3),
    );
  });

  it('asks before a save the server wants confirmed, and confirms it', async () => {
    const fetcher = routeFetcher({
      [PARTNERS]: ok(partners),
      [PROGRAM]: ok(program),
      [HEALTH]: ok(syncHealth),
      [SAVE]: [
        {
          status: 409,
          body: {
            error: {
              code: 'PROGRAM.CONFIRMATION_REQUIRED',
              message: 'This changes 34 % of the accrued commissions',
            },
          },
        },
        answerOf(programSaved),
      ],
    });
    const renderer = renderSettings(fetcher);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'save-program')).toBeDefined(),
    );
    renderer.findByTestId(Button, 'save-program').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Button, 'confirm-save')).toBeDefined(),
    );
    renderer.findByTestId(Button, 'confirm-save').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Alert, 'program-saved')).toBeDefined(),
    );
    const puts = fetcher.mock.calls.filter(([, o]) => o.method === 'PUT');
    expect(puts[1]![1].body).toMatchObject({ confirm: true, version: program.version });
  });

  it("shows the service's error and retries on request", async () => {
    const fetcher = routeFetcher({
      [PARTNERS]: ok(partners),
      [PROGRAM]: [
        { status: 401, body: { error: { code: 'AUTH.INVALID', message: 'Not installed here' } } },
        ok(program),
      ],
      [HEALTH]: ok(syncHealth),
    });
    const renderer = renderSettings(fetcher);
    await renderer.waitFor(() =>
      expect(textOf(renderer.find(ErrorState))).toContain('Not installed here'),
    );
    renderer.find(ErrorState).find(Button).trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Table, 'rate-card')).toBeDefined());
  });

  describe("a partner's account list", () => {
    const loadedWith = async (answer: Parameters<typeof routeFetcher>[0][string]) => {
      const fetcher = routeFetcher({
        [PARTNERS]: ok(partners),
        [PROGRAM]: ok(program),
        [HEALTH]: ok(syncHealth),
        [IMPORT]: answer,
      });
      const renderer = renderSettings(fetcher);
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'account-list-upload')).toBeDefined(),
      );
      return { fetcher, renderer };
    };

    it('is imported for the partner chosen, with its counts and each bad row', async () => {
      const { fetcher, renderer } = await loadedWith(answerOf(accountListImported));
      expect(renderer.findByTestId(Button, 'account-list-upload').props.disabled).toBe(true);
      const csv = 'name,domain,population\nZenithwell Brands LLC,zenithwellbrands.com,customer\n';
      change(renderer.findByTestId(TextArea, 'account-list-csv'), csv);
      renderer.findByTestId(Button, 'account-list-upload').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Alert, 'account-list-imported'))).toBe(
          '1 of 2 rows kept, 1 matched to CRM companies, 1 refused.',
        ),
      );
      const rows = renderer.findByTestId(Table, 'account-list-bad-rows').findAll(TableRow);
      expect(textOf(rows[1]!)).toBe(`3 population ${accountListImported.errors[0]!.message}`);
      expect(fetcher).toHaveBeenCalledWith(`${API_BASE}${IMPORT.slice(5)}`, {
        method: 'POST',
        timeout: 8000,
        body: { csv },
      });
    });

    it('shows why a list was refused whole (its header)', async () => {
      const { renderer } = await loadedWith(answerOf(accountListBadHeader));
      change(
        renderer.findByTestId(TextArea, 'account-list-csv'),
        'company,website\nAcme,acme.com\n',
      );
      renderer.findByTestId(Button, 'account-list-upload').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Alert, 'account-list-refused'))).toBe(
          accountListBadHeader.error.message,
        ),
      );
    });
  });

  describe('the partner program import', () => {
    it('imports the list, with its counts and each bad row', async () => {
      const fetcher = routeFetcher({
        [PARTNERS]: ok(partners),
        [PROGRAM]: ok(program),
        [HEALTH]: ok(syncHealth),
        'POST /api/v1/partners/import': answerOf(programImport),
      });
      const renderer = renderSettings(fetcher);
      await renderer.waitFor(() =>
        expect(renderer.findByTestId(Button, 'program-import-upload')).toBeDefined(),
      );
      const csv =
        'partner_id,name,domain,type,tier,status\nP-NEW,Newpartner Ltd,newpartner.io,reseller,gold,active\n';
      change(renderer.findByTestId(TextArea, 'program-import-csv'), csv);
      renderer.findByTestId(Button, 'program-import-upload').trigger('onClick');
      await renderer.waitFor(() =>
        expect(textOf(renderer.findByTestId(Alert, 'program-import-imported'))).toBe(
          '1 of 2 rows kept, 1 refused.',
        ),
      );
      const rows = renderer.findByTestId(Table, 'program-import-bad-rows').findAll(TableRow);
      expect(textOf(rows[1]!)).toBe(`3 tier ${programImport.errors[0]!.message}`);
      expect(fetcher.mock.calls.find(([, o]) => o.method === 'POST')![1].body).toEqual({ csv });
    });
  });
});
