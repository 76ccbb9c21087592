import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The HubSpot project as HubSpot's own parser (@hubspot/project-parsing-lib) reads it, offline.
// The check is an ES module (the library ships ESM only), run as a child process.
const PROJECT = path.join(__dirname, '../../extensions/hubspot');
const CHECK = path.join(PROJECT, 'tools/check-project.mjs');

interface Report {
  problems: string[];
  components: Array<{ uid: string; type: string; entrypoint: string | null }>;
}

const check = (dir: string): Report =>
  JSON.parse(execFileSync(process.execPath, [CHECK, dir], { encoding: 'utf8' })) as Report;

describe('the HubSpot project', () => {
  it('parses with no problem, with the app, the deal card and the app pages', () => {
    const report = check(PROJECT);
    expect(report.problems).toEqual([]);
    expect(report.components.map((c) => [c.uid, c.type])).toEqual(
      expect.arrayContaining([
        ['partnerlens_app', 'APPLICATION'],
        ['partnerlens_deal_partners', 'CARD'],
        ['partnerlens_pages', 'PAGE'],
      ]),
    );
  });

  describe('when broken', () => {
    let copy: string;
    const file = (relative: string) => path.join(copy, relative);
    const edit = (relative: string, change: (text: string) => string) =>
      writeFileSync(file(relative), change(readFileSync(file(relative), 'utf8')));

    beforeEach(() => {
      copy = mkdtempSync(path.join(tmpdir(), 'hs-project-'));
      cpSync(path.join(PROJECT, 'hsproject.json'), file('hsproject.json'));
      cpSync(path.join(PROJECT, 'src'), file('src'), {
        recursive: true,
        filter: (source) => !source.includes('node_modules') && !source.includes('__tests__'),
      });
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));

    it('names an hsmeta file that is not JSON', () => {
      edit('src/app/cards/DealPartners-hsmeta.json', (text) => text.replace('"uid"', 'uid'));
      expect(check(copy).problems).toEqual([
        expect.stringMatching(/^src\/app\/cards\/DealPartners-hsmeta\.json: not valid JSON/),
      ]);
    });

    it('names a component of an unknown type or with a bad uid', () => {
      edit('src/app/pages/pages-hsmeta.json', (text) =>
        text.replace('"pages"', '"page-of-sorts"').replace('partnerlens_pages', 'bad uid!'),
      );
      const { problems } = check(copy);
      expect(problems).toContain(
        'src/app/pages/pages-hsmeta.json: unknown component type "page-of-sorts"',
      );
      expect(
        problems.some((p) => p.startsWith('src/app/pages/pages-hsmeta.json: ') && /uid/i.test(p)),
      ).toBe(true);
    });

    it('names a component whose entrypoint is missing', () => {
      rmSync(file('src/app/pages/Pages.tsx'));
      expect(check(copy).problems).toEqual([
        'partnerlens_pages: entrypoint /app/pages/Pages.tsx does not exist',
      ]);
    });

    it('names a fetch to a URL that permittedUrls does not allow', () => {
      edit('src/app/app-hsmeta.json', (text) =>
        text.replace(
          '"fetch": ["https://app.partnerlens.io"]',
          '"fetch": ["https://api.example.com"]',
        ),
      );
      expect(check(copy).problems.sort()).toEqual(
        expect.arrayContaining([
          'src/app/cards/card-api.ts: fetches from https://app.partnerlens.io, not in permittedUrls.fetch',
          'src/app/pages/api.ts: fetches from https://app.partnerlens.io, not in permittedUrls.fetch',
        ]),
      );
    });

    it('names a literal hubspot.fetch URL that is not permitted', () => {
      edit(
        'src/app/cards/DealPartners.tsx',
        (text) => `${text}\nvoid hubspot.fetch('https://evil.example.com/x', {});\n`,
      );
      expect(check(copy).problems).toEqual([
        'src/app/cards/DealPartners.tsx: fetches from https://evil.example.com, not in permittedUrls.fetch',
      ]);
    });

    it('names a component in the folder of another type', () => {
      cpSync(file('src/app/pages/pages-hsmeta.json'), file('src/app/cards/extra-hsmeta.json'));
      edit('src/app/cards/extra-hsmeta.json', (text) =>
        text.replace('partnerlens_pages', 'partnerlens_extra'),
      );
      expect(check(copy).problems).toEqual([
        'src/app/cards/extra-hsmeta.json: a pages component belongs in a folder named pages',
      ]);
    });

    it('names an unreadable hsproject.json', () => {
      writeFileSync(file('hsproject.json'), '{ "name": ');
      expect(check(copy).problems).toEqual([expect.stringMatching(/^hsproject\.json: /)]);
    });
  });
});
