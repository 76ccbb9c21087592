import { normalizeDomain } from '../../../src/matching/domain';

const registrable = (raw: string) => normalizeDomain(raw)?.registrable;

describe('normalizeDomain', () => {
  it('reduces URLs, hosts and e-mail addresses to the registrable domain', () => {
    expect(registrable('https://shop.acme.co.uk:8080/x?y=1')).toBe('acme.co.uk');
    expect(registrable('WWW.ACME.COM')).toBe('acme.com');
    expect(registrable('acme.com/about')).toBe('acme.com');
    expect(registrable('http://eu.portal.acme.com.au')).toBe('acme.com.au');
    expect(registrable('j.doe@sales.acme.de')).toBe('acme.de');
  });

  it('keeps private suffixes apart: two shops on one platform are two companies', () => {
    expect(registrable('acme.myshopify.com')).toBe('acme.myshopify.com');
    expect(registrable('globex.myshopify.com')).toBe('globex.myshopify.com');
  });

  it('gives the label under the public suffix, for comparing brands across countries', () => {
    expect(normalizeDomain('acme-group.co.uk')?.label).toBe('acmegroup');
  });

  it('has no domain for blanks, bare suffixes, local names and IP addresses', () => {
    for (const raw of ['', '   ', 'co.uk', 'localhost', '192.168.1.10', 'not a domain'])
      expect(normalizeDomain(raw)).toBeUndefined();
  });

  describe('free-mail', () => {
    it.each([
      'gmail.com',
      'someone@outlook.com',
      'yahoo.co.uk',
      'gmx.de',
      'proton.me',
      'mail.yahoo.com',
    ])('marks %s as free-mail', (raw) => {
      expect(normalizeDomain(raw)?.freeMail).toBe(true);
    });

    it('does not mark company domains', () => {
      expect(normalizeDomain('acme.com')?.freeMail).toBe(false);
      expect(normalizeDomain('microsoft.com')?.freeMail).toBe(false);
    });
  });
});
