import { SoqlError } from './errors';
import { formatValue } from './field-values';
import type { SalesforceOrg } from './org';
import type { FieldDef, FieldValue, SfRecord, SObjectSchema } from './schema';

/** A field named in a query: its own (Name) or through parent relationships (Account.Owner.Name). */
export interface FieldPath {
  /** The reference fields walked, each with the types it may point to. */
  hops: FieldDef[];
  leaf: FieldDef;
  /** As written in the query, for error messages and Bulk CSV headers. */
  text: string;
}

export function soqlPosition(soql: string, token: string): string {
  const at = Math.max(0, soql.toLowerCase().indexOf(token.toLowerCase()));
  return `\n${soql}\n${' '.repeat(at)}^\nERROR at Row:1:Column:${at + 1}\n`;
}

/** Resolves a dotted field name from the query's object, or throws INVALID_FIELD as Salesforce words it. */
export function resolvePath(
  org: SalesforceOrg,
  schema: SObjectSchema,
  text: string,
  soql: string,
): FieldPath {
  const parts = text.split('.');
  // Salesforce lets a query prefix fields with its own object's name (Account.Name FROM Account).
  if (parts.length > 1 && parts[0]!.toLowerCase() === schema.name.toLowerCase()) parts.shift();
  const hops: FieldDef[] = [];
  let current = schema;
  for (const relationship of parts.slice(0, -1)) {
    const hop = current.relationship(relationship);
    if (!hop)
      throw new SoqlError(
        'INVALID_FIELD',
        `${soqlPosition(soql, text)}Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    hops.push(hop);
    current = org.schema(hop.referenceTo![0]!)!;
  }
  const name = parts[parts.length - 1]!;
  const leaf = current.field(name);
  if (!leaf)
    throw new SoqlError(
      'INVALID_FIELD',
      `${soqlPosition(soql, text)}No such column '${name}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  return { hops, leaf, text };
}

/** The record a chain of references leads to (polymorphic references are found by their id). */
function follow(org: SalesforceOrg, record: SfRecord, hops: FieldDef[]): SfRecord | undefined {
  let current: SfRecord | undefined = record;
  for (const hop of hops) {
    const id: FieldValue | undefined = current[hop.name];
    current = typeof id === 'string' ? org.find(hop.referenceTo!, id)?.record : undefined;
    if (!current) return undefined;
  }
  return current;
}

/** The stored value at the end of the path, or null where a reference on the way is empty. */
export function valueAt(org: SalesforceOrg, record: SfRecord, path: FieldPath): FieldValue {
  if (path.hops.length === 0) return record[path.leaf.name] ?? null;
  return follow(org, record, path.hops)?.[path.leaf.name] ?? null;
}

type Node = { field: FieldDef; path?: FieldPath; children?: Map<string, Node> };

/**
 * Builds the record shape a query answers with: selected fields in order, parents nested under
 * their relationship name with their own attributes, null where the reference is empty.
 */
export function projector(
  org: SalesforceOrg,
  paths: FieldPath[],
  version: string,
): (type: string, record: SfRecord) => Record<string, unknown> {
  const root = new Map<string, Node>();
  for (const path of paths) {
    let level = root;
    for (const hop of path.hops) {
      const key = hop.relationshipName!;
      const node = level.get(key) ?? { field: hop, children: new Map() };
      level.set(key, node);
      level = node.children!;
    }
    level.set(path.leaf.name, { field: path.leaf, path });
  }
  const attributes = (type: string, id: FieldValue) => ({
    type,
    url: `/services/data/v${version}/sobjects/${type}/${id}`,
  });
  const build = (type: string, record: SfRecord, level: Map<string, Node>) => {
    const out: Record<string, unknown> = { attributes: attributes(type, record.Id ?? null) };
    for (const [key, node] of level) {
      if (!node.children) {
        out[key] = formatValue(node.field, record[node.field.name]);
        continue;
      }
      const id = record[node.field.name];
      const parent = typeof id === 'string' ? org.find(node.field.referenceTo!, id) : undefined;
      out[key] = parent ? build(parent.type, parent.record, node.children) : null;
    }
    return out;
  };
  return (type, record) => build(type, record, root);
}
