import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const ROOT = path.join(__dirname, '../..');
const FORCE_APP = path.join(ROOT, 'extensions/salesforce/force-app');
const DEFAULT = path.join(FORCE_APP, 'main/default');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === '__tests__'
        ? []
        : filesUnder(path.join(dir, entry.name))
      : [path.join(dir, entry.name)],
  );
const xml = new XMLParser({ ignoreAttributes: false });
const read = (file: string) => xml.parse(readFileSync(path.join(DEFAULT, file), 'utf8'));

describe('the Salesforce package metadata', () => {
  it('is well-formed XML, every file', () => {
    const files = filesUnder(FORCE_APP).filter((file) => file.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const check = XMLValidator.validate(readFileSync(file, 'utf8'));
      expect({ file: path.relative(ROOT, file), check }).toEqual({
        file: path.relative(ROOT, file),
        check: true,
      });
    }
  });

  it('resolves into the components an admin deploys, and converts to Metadata API format', async () => {
    const components = ComponentSet.fromSource(FORCE_APP);
    const names = components
      .getSourceComponents()
      .toArray()
      .map((c) => `${c.type.name}:${c.fullName}`)
      .sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'ApexClass:PartnerLensCardController',
        'ApexClass:PartnerLensClient',
        'ApexClass:PartnerLensSigner',
        'ApexClass:PartnerLensTriageController',
        'CustomApplication:PartnerLens',
        'CustomMetadata:PartnerLens_Setting.Default',
        'CustomObject:PartnerLens_Setting__mdt',
        'CustomPermission:PartnerLens_Decide',
        'CustomTab:PartnerLens_Triage',
        'ExternalCredential:PartnerLens',
        'FlexiPage:PartnerLens_Triage',
        'LightningComponentBundle:partnerLensDealCard',
        'LightningComponentBundle:partnerLensTriage',
        'NamedCredential:PartnerLens',
        'PermissionSet:PartnerLens_Admin',
        'PermissionSet:PartnerLens_Partner_Manager',
        'PermissionSet:PartnerLens_User',
      ]),
    );
    const out = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-mdapi-'));
    try {
      const result = await new MetadataConverter().convert(components, 'metadata', {
        type: 'directory',
        outputDirectory: out,
        genUniqueDir: false,
      });
      const packageXml = readFileSync(path.join(result.packagePath!, 'package.xml'), 'utf8');
      expect(packageXml).toContain('<version>66.0</version>');
      // .forceignore keeps the LWC tests and their fixtures out of what is deployed.
      const converted = filesUnder(path.join(out, 'lwc'));
      expect(converted.some((file) => file.includes('__tests__'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails on a file of no metadata type, so the check bites', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'partnerlens-force-app-'));
    try {
      cpSync(FORCE_APP, copy, { recursive: true });
      writeFileSync(path.join(copy, 'main/default/classes/Stray.unknown-meta.xml'), '<x/>');
      expect(() => ComponentSet.fromSource(copy).getSourceComponents().toArray()).toThrow();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('puts the card on Opportunity record pages and the triage on app pages and tabs', () => {
    const card = read(
      'lwc/partnerLensDealCard/partnerLensDealCard.js-meta.xml',
    ).LightningComponentBundle;
    expect(card.isExposed).toBe(true);
    expect(card.targets.target).toBe('lightning__RecordPage');
    expect(card.targetConfigs.targetConfig.objects.object).toBe('Opportunity');
    const triage = read(
      'lwc/partnerLensTriage/partnerLensTriage.js-meta.xml',
    ).LightningComponentBundle;
    expect(triage.targets.target).toEqual(['lightning__AppPage', 'lightning__Tab']);
    const page = read('flexipages/PartnerLens_Triage.flexipage-meta.xml').FlexiPage;
    expect(page.type).toBe('AppPage');
    expect(page.flexiPageRegions.itemInstances.componentInstance.componentName).toBe(
      'partnerLensTriage',
    );
  });

  it('calls out through a SecuredEndpoint Named Credential with no secret in metadata', () => {
    const named = read('namedCredentials/PartnerLens.namedCredential-meta.xml').NamedCredential;
    expect(named.namedCredentialType).toBe('SecuredEndpoint');
    expect(named.allowMergeFieldsInBody).toBe(false);
    expect(named.allowMergeFieldsInHeader).toBe(true);
    const external = read(
      'externalCredentials/PartnerLens.externalCredential-meta.xml',
    ).ExternalCredential;
    expect(external.authenticationProtocol).toBe('Custom');
    expect(JSON.stringify(external)).not.toMatch(/plsf_|SigningSecret<\/parameterName>/);
  });

  it('gives every permission set the principal access; only managers and admins decide', () => {
    const decides: Record<string, boolean> = {};
    for (const name of ['PartnerLens_User', 'PartnerLens_Partner_Manager', 'PartnerLens_Admin']) {
      const set = read(`permissionsets/${name}.permissionset-meta.xml`).PermissionSet;
      expect(set.externalCredentialPrincipalAccesses).toEqual({
        enabled: true,
        externalCredentialPrincipal: 'PartnerLens-PartnerLensOrg',
      });
      const permissions = [set.customPermissions ?? []].flat().map((p: { name: string }) => p.name);
      decides[name] = permissions.includes('PartnerLens_Decide');
    }
    expect(decides).toEqual({
      PartnerLens_User: false,
      PartnerLens_Partner_Manager: true,
      PartnerLens_Admin: true,
    });
  });

  it('names its package directory and API version in sfdx-project.json, tests left out', () => {
    const project = JSON.parse(readFileSync(path.join(ROOT, 'sfdx-project.json'), 'utf8'));
    expect(project.packageDirectories).toEqual([
      { path: 'extensions/salesforce/force-app', default: true },
    ]);
    expect(project.sourceApiVersion).toBe('66.0');
    expect(readFileSync(path.join(ROOT, '.forceignore'), 'utf8')).toContain('**/__tests__/**');
  });
});
