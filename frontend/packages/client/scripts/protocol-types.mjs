// Generates packages/client/src/protocol.gen.ts, the TypeScript types of every WebSocket frame, from the
// socket channel of contracts/asyncapi.yaml (the one definition of the protocol). Unlike the OpenAPI
// types (generated into the build), the output is committed, so a reader sees the frames in the tree;
// test/protocol.test.ts fails when it is stale. Run: npm run protocol
//
// The schemas use a small part of JSON Schema, and this turns exactly that part into types: $ref,
// const, enum, type (also as a list), properties/required, additionalProperties, items, anyOf/oneOf
// and allOf. Validation-only keywords (minimum, pattern, format, not, if/then, ...) have no type and
// are left to the schema (the gateway's contract test validates real frames against it).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const contractPath = resolve(here, '..', '..', '..', '..', 'contracts', 'asyncapi.yaml');
export const outputPath = resolve(here, '..', 'src', 'protocol.gen.ts');

const SCHEMA_REF = '#/components/schemas/';
/** The operations of the socket channel, and the union each one's messages make. */
const DIRECTIONS = [
  { operation: 'sendSocketFrame', union: 'ServerFrame', types: 'SERVER_FRAME_TYPES', doc: 'Every frame the gateway sends' },
  { operation: 'receiveSocketFrame', union: 'ClientFrame', types: 'CLIENT_FRAME_TYPES', doc: 'Every frame a client may send' },
];

/** The whole generated file for the text of contracts/asyncapi.yaml. */
export function generate(contractText) {
  const doc = yaml.load(contractText);
  const schemas = doc.components.schemas;
  const emitted = new Set();
  const order = [];
  const visit = (name) => {
    if (emitted.has(name)) {
      return;
    }
    if (!schemas[name]) {
      throw new Error(`No schema ${name} in components.schemas`);
    }
    emitted.add(name);
    for (const ref of refsIn(schemas[name])) {
      visit(ref);
    }
    order.push(name);
  };

  const unions = DIRECTIONS.map(({ operation, union, types, doc: what }) => {
    const op = doc.operations[operation];
    if (!op) {
      throw new Error(`No operation ${operation} in the contract`);
    }
    const frames = op.messages.map((m) => {
      const channelMessage = resolvePointer(doc, m.$ref);
      const message = resolvePointer(doc, channelMessage.$ref);
      const schemaName = message.payload.$ref.slice(SCHEMA_REF.length);
      const frameType = schemas[schemaName].properties.type.const;
      return { schemaName, frameType };
    });
    frames.forEach((f) => visit(f.schemaName));
    return { union, types, what, operation, frames };
  });

  const out = [
    '// Generated from contracts/asyncapi.yaml (channel `socket`) by scripts/protocol-types.mjs. Do not edit:',
    '// change the contract and run `npm run protocol`.',
    '',
  ];
  for (const name of order) {
    out.push(...declaration(name, schemas[name]), '');
  }
  for (const { union, types, what, operation, frames } of unions) {
    out.push(`/** ${what} (operation \`${operation}\`). */`);
    out.push(`export type ${union} =`);
    frames.forEach((f, i) => out.push(`  | ${f.schemaName}${i === frames.length - 1 ? ';' : ''}`));
    out.push('');
    out.push(`/** The \`type\` of every ${union}, in the contract's order. */`);
    out.push(`export const ${types} = [${frames.map((f) => JSON.stringify(f.frameType)).join(', ')}] as const;`);
    out.push('');
  }
  return out.join('\n');
}

function resolvePointer(doc, ref) {
  if (!ref?.startsWith('#/')) {
    throw new Error(`Only local $refs are supported: ${ref}`);
  }
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined) {
    throw new Error(`Unresolvable $ref ${ref}`);
  }
  return node;
}

/** The component schemas a schema refers to, in document order. */
function refsIn(schema) {
  const refs = [];
  const walk = (node) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string' && node.$ref.startsWith(SCHEMA_REF)) {
        refs.push(node.$ref.slice(SCHEMA_REF.length));
      }
      for (const [key, value] of Object.entries(node)) {
        if (key !== 'if' && key !== 'then' && key !== 'else' && key !== 'not') {
          walk(value);
        }
      }
    }
  };
  walk(schema);
  return refs;
}

function jsDoc(text, indent) {
  if (!text) {
    return [];
  }
  const lines = String(text).trim().replace(/\*\//g, '*\\/').split('\n');
  if (lines.length === 1) {
    return [`${indent}/** ${lines[0]} */`];
  }
  return [`${indent}/**`, ...lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`), `${indent} */`];
}

function declaration(name, schema) {
  const head = jsDoc(schema.description, '');
  if (isPlainObject(schema)) {
    return [...head, `export interface ${name} ${objectType(schema, '')}`];
  }
  return [...head, `export type ${name} = ${type(schema, '')};`];
}

/** An object schema without unions or intersections: an interface. */
function isPlainObject(schema) {
  return (schema.type === 'object' || (!schema.type && schema.properties)) && !schema.allOf && !schema.anyOf && !schema.oneOf;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function objectType(schema, indent) {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = ['{'];
  for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
    if (propSchema === false) {
      continue;
    }
    lines.push(...jsDoc(propSchema.description, inner));
    const key = IDENTIFIER.test(prop) ? prop : JSON.stringify(prop);
    lines.push(`${inner}${key}${required.has(prop) ? '' : '?'}: ${type(propSchema, inner)};`);
  }
  const extra = schema.additionalProperties;
  if (extra !== false) {
    const value = extra === undefined || extra === true ? 'unknown' : type(extra, inner);
    lines.push(`${inner}[key: string]: ${value};`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}

function literal(value) {
  return value === null ? 'null' : JSON.stringify(value);
}

function union(parts) {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) {
    return 'unknown';
  }
  return unique.length === 1 ? unique[0] : unique.map((p) => (p.includes('&') ? `(${p})` : p)).join(' | ');
}

/** The TypeScript type of a schema (a boolean schema `true` or `{}` is unknown). */
function type(schema, indent) {
  if (schema === true || schema === undefined) {
    return 'unknown';
  }
  if (schema.$ref) {
    return schema.$ref.slice(SCHEMA_REF.length);
  }
  if ('const' in schema) {
    return literal(schema.const);
  }
  if (schema.enum) {
    return union(schema.enum.map(literal));
  }
  if (schema.anyOf || schema.oneOf) {
    return union((schema.anyOf ?? schema.oneOf).map((s) => type(s, indent)));
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    const parts = allOf.filter((s) => s.$ref || s.type || s.properties || s.anyOf || s.oneOf).map((s) => type(s, indent));
    if (rest.type || rest.properties) {
      parts.push(type(rest, indent));
    }
    if (parts.length <= 1) {
      return parts[0] ?? 'unknown';
    }
    return parts.map((p) => (p.includes(' | ') && !p.startsWith('{') ? `(${p})` : p)).join(' & ');
  }
  if (Array.isArray(schema.type)) {
    return union(schema.type.map((t) => type({ ...schema, type: t }, indent)));
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = schema.items === undefined ? 'unknown' : type(schema.items, indent);
      return /[ |&]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectType(schema, indent);
    default:
      return schema.properties ? objectType(schema, indent) : 'unknown';
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(outputPath, generate(readFileSync(contractPath, 'utf8')));
  console.log(`protocol: ${outputPath}`);
}
